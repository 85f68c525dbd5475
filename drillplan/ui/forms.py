"""One form framework for every edit dialog: field specs become widgets.

A dialog declares its fields (:class:`FieldSpec`: key, label, kind, required, choices and a
Qt-free ``check``); :class:`FormWidget` builds the editors in order (which is also the tab
order), shows validation messages in red under the field they concern, and returns the
values as plain Python. The keys are the core's keyword arguments, so a core
``ValidationError(field, ...)`` lands under the right editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_optional_date

from drillplan.ui.date_edit import MomentEdit, SelectingLine
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.picker import SearchChecklist, SearchPicker

Kind = Literal[
    "text",
    "multiline",
    "int",
    "decimal",
    "date",
    "datetime",
    "choice",
    "bool",
    "list",
    "multi",
    "custom",
]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # already translated: FieldSpec("code", tr("编号"))
    kind: Kind = "text"
    required: bool = False
    choices: Sequence[tuple[Any, str]] = ()
    check: Callable[[Any], Any] | None = None  # Qt-free; returns the value or raises
    placeholder: str = ""
    hint: str = ""
    aliases: tuple[str, ...] = ()  # other names the core gives this field in its errors
    max_length: int = 0
    read_only: bool = False
    empty_choice: bool = False  # a choice may be left empty
    factory: Callable[[QWidget], Any] | None = None  # kind "custom": has value()/set_value()
    searchable: bool = False  # "choice"/"multi" of records: type code, name or pinyin to find
    keeps_duration_of: str = ""  # kind "datetime": moves with that field (an end with its start)


def _message(exc: ValidationError) -> str:
    return exc.message if current_language() == "zh" else exc.message_en or exc.message


class Editor:
    """One field's widget with a uniform get/set."""

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        self.spec = spec
        self.widget = self._build(parent)
        self.widget.setObjectName(f"field_{spec.key}")
        if spec.hint:
            self.widget.setToolTip(spec.hint)
        self.widget.setEnabled(not spec.read_only)

    def _build(self, parent: QWidget) -> QWidget:
        kind = self.spec.kind
        if kind == "custom":
            assert self.spec.factory is not None
            return self.spec.factory(parent)
        if kind == "multiline":
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
            return edit
        if kind == "datetime":
            return MomentEdit(parent, field=self.spec.key)
        if kind == "choice" and self.spec.searchable:
            picker = SearchPicker(parent)
            empty = tr("（未选择）") if self.spec.empty_choice else ""
            picker.set_choices(self.spec.choices, empty=empty)
            return picker
        if kind == "multi" and self.spec.searchable:
            checklist = SearchChecklist(parent)
            checklist.set_choices(self.spec.choices)
            return checklist
        if kind == "choice":
            box = QComboBox(parent)
            if self.spec.empty_choice:
                box.addItem(tr("（未选择）"), None)
            for value, shown in self.spec.choices:
                box.addItem(shown, value)
            return box
        if kind == "bool":
            return QCheckBox(parent)
        if kind == "multi":
            items = QListWidget(parent)
            items.setMaximumHeight(110)
            for value, shown in self.spec.choices:
                item = QListWidgetItem(shown, items)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            return items
        line = SelectingLine(parent) if kind == "date" else QLineEdit(parent)
        if self.spec.max_length:
            line.setMaxLength(self.spec.max_length)
        placeholder = self.spec.placeholder
        if not placeholder and kind == "date":
            placeholder = "YYYY-MM-DD"
        if not placeholder and kind == "list":
            placeholder = tr("多项用顿号“、”分隔")
        line.setPlaceholderText(placeholder)
        return line

    # --- values ---------------------------------------------------------------------------

    def raw(self) -> Any:
        """The value as entered; format errors raise ValidationError(field)."""
        w, kind, key = self.widget, self.spec.kind, self.spec.key
        if kind == "custom" or isinstance(w, SearchPicker | SearchChecklist):
            return w.value()  # type: ignore[attr-defined]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip() or None
        if isinstance(w, MomentEdit):
            moment = w.value()
            return moment.replace(second=0, microsecond=0) if moment is not None else None
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QListWidget):
            return [
                w.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked
            ]
        assert isinstance(w, QLineEdit)
        value = w.displayText().strip()
        if kind == "date":
            return parse_optional_date(value, field=key)
        if kind == "list":
            return [v for v in (p.strip() for p in value.replace(",", "、").split("、")) if v]
        if not value:
            return None
        if kind == "int":
            try:
                return int(value)
            except ValueError as exc:
                raise ValidationError(key, "请填写整数", message_en="enter a whole number") from exc
        return value

    def state(self) -> object:
        """What the editor shows, without parsing it: to tell whether the user changed it."""
        w = self.widget
        if isinstance(w, MomentEdit):
            return w.line.displayText()
        if isinstance(w, SearchPicker | SearchChecklist):
            return repr(w.value())
        if self.spec.kind == "custom":
            try:
                return repr(w.value())  # type: ignore[attr-defined]
            except Exception:  # a custom editor half filled in counts as changed
                return object()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentIndex()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QListWidget):
            return tuple(w.item(i).checkState() == Qt.CheckState.Checked for i in range(w.count()))
        assert isinstance(w, QLineEdit)
        return w.displayText()

    def set(self, value: Any) -> None:
        w = self.widget
        if self.spec.kind == "custom" or isinstance(w, SearchPicker | SearchChecklist):
            w.set_value(value)  # type: ignore[attr-defined]
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        elif isinstance(w, MomentEdit):
            w.set_value(value if isinstance(value, dt.datetime) else None)
        elif isinstance(w, QComboBox):
            index = w.findData(value)
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QListWidget):
            wanted = set(value or [])
            for i in range(w.count()):
                item = w.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        else:
            assert isinstance(w, QLineEdit)
            if value is None:
                shown = ""
            elif isinstance(value, list | tuple):
                shown = "、".join(str(v) for v in value)
            elif isinstance(value, dt.date):
                shown = value.isoformat()
            else:
                shown = str(value)
            w.setText(shown)


class ErrorLine(QLabel):
    """The message under a field: one line whose room is kept while it is hidden, so showing
    an error never moves the fields below it (the next click lands where the user aimed). A
    message too long for the line is cut with "…" and shown whole in its tooltip."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b3261e;")
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)
        self.setFixedHeight(self.fontMetrics().height() + 2)
        self._full = ""
        self.hide()

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if text else "")
        self._elide()

    def text(self) -> str:
        return self._full

    def clear(self) -> None:
        self.setText("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)


class FormWidget(QWidget):
    """Editors in a form layout, each with its inline error message under it."""

    edited = Signal(str)  # a field lost focus after editing

    def __init__(self, fields: Sequence[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = list(fields)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, ErrorLine] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setVerticalSpacing(4)
        for spec in self.specs:
            editor = Editor(spec, self)
            error = ErrorLine(self)
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 2)
            column.setSpacing(1)
            column.addWidget(editor.widget)
            column.addWidget(error)
            caption = QLabel(spec.label + ("  *" if spec.required else ""), self)
            caption.setBuddy(editor.widget)
            layout.addRow(caption, box)
            self.editors[spec.key] = editor
            self.errors[spec.key] = error
            line = self._line_of(editor.widget)
            if line is not None:
                line.editingFinished.connect(lambda key=spec.key: self._live_check(key))
        for spec in self.specs:
            if spec.keeps_duration_of:
                self._follow(spec.key, spec.keeps_duration_of)
        widgets = [e.widget for e in self.editors.values()]
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)

    # --- values -----------------------------------------------------------------------------

    def set_values(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if key in self.editors:
                self.editors[key].set(value)
        self.mark_unchanged()

    def mark_unchanged(self) -> None:
        """What the editors show now is "unchanged" (see :meth:`changed`)."""
        self._snapshot = self._state()

    def _state(self) -> dict[str, object]:
        return {key: editor.state() for key, editor in self.editors.items()}

    def changed(self) -> list[str]:
        """The fields the user changed since the values were set (Esc then asks)."""
        before = getattr(self, "_snapshot", None)
        if before is None:
            return []
        now = self._state()
        return [key for key in self.editors if now[key] != before.get(key)]

    def editor(self, key: str) -> QWidget:
        return self.editors[key].widget

    def first_editor(self) -> QWidget | None:
        enabled = [e.widget for e in self.editors.values() if e.widget.isEnabled()]
        return enabled[0] if enabled else None

    def _value(self, key: str) -> Any:
        editor = self.editors[key]
        spec = editor.spec
        value = editor.raw()
        if spec.required and value in (None, "", []):
            raise ValidationError(key, f"{spec.label}不能为空", message_en=f"{key} is required")
        if spec.check is not None and value not in (None, "", []):
            value = spec.check(value)
        return value

    def collect(self) -> dict[str, Any] | None:
        """Every value, checked here first; None (with messages shown) if any is wrong."""
        self.clear_errors()
        values: dict[str, Any] = {}
        first_bad: str | None = None
        for key, editor in self.editors.items():
            if editor.spec.read_only:
                continue
            try:
                values[key] = self._value(key)
            except ValidationError as exc:
                self.show_error(key, _message(exc))
                first_bad = first_bad or key
        if first_bad is not None:
            self.editors[first_bad].widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return values

    @staticmethod
    def _line_of(widget: QWidget) -> QLineEdit | None:
        if isinstance(widget, QLineEdit):
            return widget
        return widget.line if isinstance(widget, MomentEdit) else None

    def _follow(self, key: str, leader: str) -> None:
        """``key`` moves with ``leader`` by as much as it moved: the end keeps the duration."""
        lead, follower = self.editors[leader].widget, self.editors[key].widget
        assert isinstance(lead, MomentEdit) and isinstance(follower, MomentEdit)

        def moved(old: dt.datetime, new: dt.datetime) -> None:
            try:
                end = follower.value()
            except ValidationError:
                return  # an end that is not a date is left for its own message
            if end is not None:
                follower.set_value(end + (new - old))
                self.errors[key].hide()

        lead.moved.connect(moved)

    def _live_check(self, key: str) -> None:
        """Check a line edit as soon as it is left (empty required fields wait for Save)."""
        widget = self._line_of(self.editors[key].widget)
        assert widget is not None
        self.errors[key].hide()
        if widget.displayText().strip():
            try:
                self._value(key)
            except ValidationError as exc:
                label = self.errors[key]
                label.setText(_message(exc))
                label.show()
        self.edited.emit(key)

    # --- errors -----------------------------------------------------------------------------

    def key_for(self, field: str) -> str | None:
        if field in self.editors:
            return field
        for spec in self.specs:
            if field in spec.aliases:
                return spec.key
        head = field.split(".")[0]
        return head if head in self.editors and head != field else None

    def show_error(self, field: str, message: str, *, focus: bool = True) -> bool:
        """Show ``message`` under the field the core named; False if no such field here."""
        key = self.key_for(field)
        if key is None:
            return False
        label = self.errors[key]
        label.setText(message)
        label.show()
        if focus:
            self.editors[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def focus_field(self, field: str) -> None:
        key = self.key_for(field)
        if key is not None:
            self.editors[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()

    def labels(self) -> dict[str, str]:
        """Every name the core may give a field (its key and aliases) -> the field's label."""
        labels: dict[str, str] = {}
        for spec in self.specs:
            for name in (spec.key, *spec.aliases):
                labels[name] = spec.label
        return labels

    def shown(self, field: str, value: Any) -> str:
        """``value`` of ``field`` as this form shows it: a choice by its label ("基层单位",
        the unit's name), never a code or an id."""
        from drillplan.ui.messages import value_text  # messages imports nothing of forms

        key = self.key_for(field)
        spec = self.editors[key].spec if key is not None else None
        if spec is None or not spec.choices:
            return value_text(field, value)
        names = {str(v): shown for v, shown in spec.choices}
        if isinstance(value, list | tuple):
            return "、".join(names.get(str(v), value_text(field, v)) for v in value) or tr("（空）")
        return names.get(str(value), value_text(field, value))

    def error_message(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if label.isVisibleTo(self) else ""


def picker(key: str, label: str, choices: Sequence[tuple[Any, str]], **kw: Any) -> FieldSpec:
    """A searchable pick of one record (material, unit, team, depot, plan, holder)."""
    return FieldSpec(key, label, "choice", choices=choices, searchable=True, **kw)


def vocab_label(member: Any) -> str:
    """A vocabulary member's label in the interface language (kernel/vocab.py is its one home)."""
    from drillplan.kernel.vocab import label

    return label(member, current_language())


def vocab(enum_cls: type, *, exclude: Sequence[Any] = ()) -> list[tuple[str, str]]:
    """The members of a vocabulary as (value, label in the current language)."""
    return [(m.value, vocab_label(m)) for m in enum_cls if m not in exclude]
