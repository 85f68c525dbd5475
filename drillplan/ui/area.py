"""What every area page shares: the context, the standard actions and the refresh rule.

The main window's shortcuts call the current page: Ctrl+N ``new_item``, Enter/double-click
``edit_item``, Del ``delete_item`` (after a confirmation), Ctrl+F ``focus_search``, F5
``refresh``. A page refreshes itself when another view's op changed one of its ``areas``;
the page that made the change updates itself in the op's success callback instead.

A page with many actions keeps them in plain action objects it owns (composition, not
mixins): ``self.stock_actions = StockActions(self)``. An action object sees its page through
a small :class:`typing.Protocol` (:class:`PageHost` plus what that page adds), so no module
imports the page that imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QWidget

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import Forewarn, FormDialog, open_once
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr
from drillplan.ui.ops import Op, OpChanges

T = TypeVar("T")


class PageHost(Protocol):
    """What an action object uses of the page that owns it (:class:`AreaPage` provides it)."""

    ctx: UiContext
    dialog: QWidget | None

    def widget(self) -> QWidget:
        """The page as the parent of the dialogs an action opens."""
        ...

    def op(
        self,
        fn: Callable[[Session], T],
        success: Callable[[T], None] | None = None,
        *,
        changes: Sequence[str] = (),
        progress: str | None = None,
    ) -> Op[T]: ...

    def form(
        self,
        *,
        name: str,
        title: str,
        fields: Sequence[FieldSpec],
        save: Callable[[Session, dict[str, Any]], Any],
        values: dict[str, Any] | None = None,
        changes: Sequence[str] = (),
        saved: Callable[[Any], None] | None = None,
        intro: str = "",
        record: Hashable = None,
        forewarn: Forewarn | None = None,
    ) -> FormDialog: ...

    def open_dialog(
        self, dialog: FormDialog, saved: Callable[[Any], None] | None = None
    ) -> FormDialog:
        """Open a form dialog built by an action (or raise the one open for its record)."""
        ...

    def confirm_delete(self, what: str) -> bool: ...

    def need_selection(self, what: str) -> None: ...


class AreaPage(QWidget):
    areas: tuple[str, ...] = ()  # the kinds of change this page shows
    screenshot_tabs: tuple[str, ...] = ()  # extra screenshots: names of tabs

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QWidget | None = None  # the dialog this page opened last (tests use it)
        ctx.runner.changes_applied.connect(self._on_changes)

    # --- the standard actions (pages override what they support) ----------------------

    def new_item(self) -> None:
        """Ctrl+N."""

    def edit_item(self) -> None:
        """Enter on the current row."""

    def delete_item(self) -> None:
        """Del (the page asks for confirmation)."""

    def focus_search(self) -> None:
        """Ctrl+F."""

    def refresh(self) -> None:
        """F5, and after another view changed this page's data."""

    def show_tab(self, name: str) -> None:
        """Bring a named tab to the front (screenshots, dashboard click-through)."""

    # --- helpers (the services of PageHost) ------------------------------------------------

    def widget(self) -> QWidget:
        return self

    def _on_changes(self, changes: OpChanges) -> None:
        if changes.source is self or not changes.touches(*self.areas):
            return
        if self.isVisible() or changes.touches("all"):
            self.refresh()
        else:
            self._stale = True

    _stale = False

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def op(
        self,
        fn: Callable[[Session], T],
        success: Callable[[T], None] | None = None,
        *,
        changes: Sequence[str] = (),
        progress: str | None = None,
    ) -> Op[T]:
        """Run ``fn`` on the worker; ``changes`` names the areas a write touches."""
        op: Op[T] = Op(fn, parent=self)
        if success is not None:
            op.success(success)
        if changes:
            op.changes(*changes, source=self)
        if progress:
            op.with_progress(progress)
        return op.run(self.ctx.runner)

    def form(
        self,
        *,
        name: str,
        title: str,
        fields: Sequence[FieldSpec],
        save: Callable[[Session, dict[str, Any]], Any],
        values: dict[str, Any] | None = None,
        changes: Sequence[str] = (),
        saved: Callable[[Any], None] | None = None,
        intro: str = "",
        record: Hashable = None,
        forewarn: Forewarn | None = None,
    ) -> FormDialog:
        """Open an edit dialog (window-modal, not blocking) built from ``fields``; ``record``
        (an id) makes a second request for the same record raise the open dialog instead."""
        dialog = FormDialog(
            self,
            self.ctx,
            name=name,
            title=title,
            fields=fields,
            save=save,
            values=values,
            areas=changes,
            source=self,
            intro=intro,
            record=record,
            forewarn=forewarn,
        )
        return self.open_dialog(dialog, saved)

    def open_dialog(
        self, dialog: FormDialog, saved: Callable[[Any], None] | None = None
    ) -> FormDialog:
        """Open ``dialog`` (window-modal, not blocking); ``saved`` runs on its ``saved`` signal.
        If a dialog for the same record is open already, that one is raised and returned."""
        shown = open_once(dialog)
        if shown is not dialog:
            return shown
        if saved is not None:
            dialog.saved.connect(saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        return dialog

    def confirm_delete(self, what: str) -> bool:
        return messages.confirm(
            self,
            tr("确认删除"),
            tr("确定要删除{what}吗？此操作不能撤销。").format(what=what),
            danger=True,
        )

    def need_selection(self, what: str) -> None:
        messages.inform(self, tr("请先选择"), tr("请先在列表中选择{what}。").format(what=what))
