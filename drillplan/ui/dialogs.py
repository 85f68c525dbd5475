"""Dialog bases: one that remembers its geometry and opens help on F1 (as Picard's), and the
form dialog every edit goes through (fields in, one op out, errors under the fields)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

import shiboken6
from sqlalchemy.orm import Session

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.errors import ValidationError

from drillplan.ui import messages
from drillplan.ui import prefs as prefs_module
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, FormWidget, _message
from drillplan.ui.i18n import pick, tr
from drillplan.ui.ops import Op

# Room left for the window manager's title bar and borders, which Qt cannot know before the
# window is shown (evilwm, Windows at 125 %: about 30-40 px).
FRAME_ALLOWANCE = QSize(16, 48)


def fit_to_screen(widget: QWidget) -> None:
    """Shrink ``widget`` to the screen it is on and move it fully onto it.

    A size saved on a bigger monitor (or at another scaling) is cut to the screen in the
    dimension that does not fit; long forms scroll inside (see ``FittingScrollArea``), so
    the buttons stay visible on a 1366x768 laptop at 100 % and 125 %.
    """
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    room = QSize(
        max(200, area.width() - FRAME_ALLOWANCE.width()),
        max(200, area.height() - FRAME_ALLOWANCE.height()),
    )
    size = widget.size()
    if size.width() > room.width() or size.height() > room.height():
        # only what does not fit shrinks: a history of 820 px on an 800 px screen keeps its
        # height and becomes as wide as the screen, not as small as its size hint
        size = size.boundedTo(room).expandedTo(widget.minimumSizeHint().boundedTo(room))
    if size.boundedTo(room) != widget.size():
        widget.resize(size.boundedTo(room))
    geometry = widget.geometry()
    x = min(max(geometry.x(), area.x()), area.x() + area.width() - geometry.width())
    y = min(
        max(geometry.y(), area.y() + FRAME_ALLOWANCE.height() - 8),
        area.y() + area.height() - geometry.height() - 8,
    )
    if (x, y) != (geometry.x(), geometry.y()):
        widget.move(max(area.x(), x), max(area.y(), y))


class FittingScrollArea(QScrollArea):
    """A frameless scroll area that asks for its whole content (Qt's own caps the hint at a
    few lines) and scrolls only when the screen is too small for it."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(content)

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        hint = content.sizeHint()
        return QSize(hint.width() + bar + 2, hint.height() + 2)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        return QSize(width, 120)


class BaseDialog(QDialog):
    """A dialog that remembers where it was and how big, and shows help on F1.

    ``record`` names what the dialog edits (a plan's id ...); with its name it is the dialog's
    :attr:`key`, so :func:`open_once` can raise the dialog already open for that record.
    """

    def __init__(
        self, parent: QWidget | None, name: str, title: str, *, record: Hashable = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.record = record
        self._restored = False
        help_key = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self)
        help_key.activated.connect(self.show_help)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._restored:
            self._restored = True
            prefs_module.current().restore_geometry(f"dialog/{self.objectName()}", self)
            fit_to_screen(self)
        super().showEvent(event)

    def done(self, result: int) -> None:
        prefs_module.current().save_geometry(f"dialog/{self.objectName()}", self)
        super().done(result)

    def show_help(self) -> None:
        from drillplan.ui.help import show_help  # the help viewer is only needed here

        show_help(self)

    @property
    def key(self) -> tuple[str, Hashable]:
        """What makes two dialogs the same: the kind and the record (or, without one, the
        title, which names the record where there is one: "编辑预案 QP-YA-01")."""
        return (self.objectName(), self.record if self.record is not None else self.windowTitle())


D = TypeVar("D", bound=BaseDialog)

_open: dict[tuple[int, str, Hashable], BaseDialog] = {}


def _window_of(dialog: QWidget) -> int:
    """The window a dialog belongs to (its parent's), so two main windows never share one."""
    parent = dialog.parentWidget()
    return int(shiboken6.getCppPointer(parent.window())[0]) if parent is not None else 0


def open_dialog_for(key: tuple[int, str, Hashable]) -> BaseDialog | None:
    """The dialog open now for ``key`` (window, name, record), if any."""
    dialog = _open.get(key)
    if dialog is not None and not (shiboken6.isValid(dialog) and dialog.isVisible()):
        _open.pop(key, None)
        return None
    return dialog


def open_once(dialog: D) -> D:
    """Open ``dialog`` (window-modal, not blocking) unless one for the same record is open:
    then that one is raised and ``dialog`` is dropped, so a second double-click (or a second
    Edit) never gives two editors of one record. Returns the dialog that is open."""
    key = (_window_of(dialog), *dialog.key)
    existing = open_dialog_for(key)
    if existing is not None and existing is not dialog:
        dialog.deleteLater()
        existing.raise_()
        existing.activateWindow()
        return existing  # type: ignore[return-value]
    _open[key] = dialog

    def forget(*_args: object) -> None:
        if _open.get(key) is dialog:
            del _open[key]

    dialog.finished.connect(forget)
    dialog.destroyed.connect(forget)
    dialog.open()
    return dialog


# what a save would bring that the user should know first: (Chinese, English) lines
Forewarn = Callable[[Session, dict[str, Any]], Sequence[tuple[str, str]]]


class FormDialog(BaseDialog):
    """Edit ``fields``; Save runs ``save(session, values)`` as one op, then closes.

    Enter saves (the default button), Esc cancels. A ``ValidationError`` from the core is
    shown under its field; anything else in the standard error dialog. Nothing is saved
    unless the whole op succeeds. With ``forewarn`` (a drill's conflicts ...), Save first asks
    the core what the save would bring; if anything, the user chooses 仍然保存 or 返回修改.
    """

    saved = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        ctx: UiContext,
        *,
        name: str,
        title: str,
        fields: Sequence[FieldSpec],
        save: Callable[[Session, dict[str, Any]], Any],
        values: Mapping[str, Any] | None = None,
        areas: Sequence[str] = (),
        source: object | None = None,
        intro: str = "",
        record: Hashable = None,
        forewarn: Forewarn | None = None,
    ) -> None:
        super().__init__(parent, name, title, record=record)
        self.ctx = ctx
        self._save = save
        self._forewarn = forewarn
        self._shown_once = False
        self.forewarned: list[str] = []  # what the last check found (tests, screenshots)
        self._areas = tuple(areas)
        self._source = source
        self.result_value: Any = None
        self.form = FormWidget(fields, self)
        if values:
            self.form.set_values(values)
        self.general_error = QLabel(self)
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet("color: #b3261e;")
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("保存"))
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            note = QLabel(intro, self)
            note.setObjectName("pageNote")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.scroll = FittingScrollArea(self.form, self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        last = list(self.form.editors.values())[-1].widget if self.form.editors else None
        if last is not None:
            QWidget.setTabOrder(last, self.save_button)
        self.setMinimumWidth(480)
        first = self.form.first_editor()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        self.general_error.hide()
        values = self.form.collect()
        if values is None:
            return
        self.buttons.setEnabled(False)
        forewarn = self._forewarn
        if forewarn is None:
            self._run_save(values)
            return
        check = Op(lambda session: list(forewarn(session, dict(values))), parent=self)
        check.success(lambda found: self._checked(values, found)).failure(self._failed)
        check.run(self.ctx.runner)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._shown_once:
            self._shown_once = True
            self.form.mark_unchanged()  # what the dialog opened with is "unchanged"
        super().showEvent(event)

    def reject(self) -> None:
        """Esc, Cancel or the window's ×: a changed form asks 放弃修改？ first."""
        if self.isVisible() and self.form.changed() and not messages.discard_changes(self):
            return
        super().reject()

    def _checked(self, values: dict[str, Any], found: list[tuple[str, str]]) -> None:
        self.forewarned = [pick(zh, en) for zh, en in found]
        if self.forewarned and not messages.save_anyway(self, self.windowTitle(), self.forewarned):
            self.buttons.setEnabled(True)  # 返回修改: the form stays as it was
            return
        self._run_save(values)

    def _run_save(self, values: dict[str, Any]) -> None:
        save = self._save
        op = Op(lambda session: save(session, values), parent=self)
        op.changes(*self._areas, source=self._source) if self._areas else None
        op.success(self._saved).failure(self._failed).run(self.ctx.runner)

    def _saved(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_value = result
        self.saved.emit(result)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            # every field the core found wrong at once, each under its field
            placed = [self.form.show_error(e.field, _message(e), focus=False) for e in exc.every()]
            left = [e for e, shown in zip(exc.every(), placed, strict=True) if not shown]
            if any(placed):
                first = next(e for e, shown in zip(exc.every(), placed, strict=True) if shown)
                self.form.focus_field(first.field)
                if not left:
                    return
                self.general_error.setText("；".join(messages.describe(e)[1] for e in left))
                self.general_error.show()
                return
        labels, shown = self.form.labels(), self.form.shown
        self.general_error.setText(messages.describe(exc, labels, shown)[1])
        self.general_error.show()
        messages.show_error(self, exc, labels=labels, shown=shown)
