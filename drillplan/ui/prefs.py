"""Per-PC preferences in QSettings: language, database location, window and table layout.

The settings the office works by (horizons, flood season, weights ...) live in the database
(:mod:`drillplan.settings`); this file keeps only what belongs to one PC and one user.
Tests point :func:`use` at a temporary INI file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from drillplan.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES

ORGANISATION = "drillplan"
APPLICATION = "drillplan"


@dataclass(frozen=True)
class Preference:
    """One per-PC preference, declared once: its QSettings key, type and default."""

    key: str
    type: type
    default: object
    zh: str
    en: str


#: Every per-PC value; the window and table layouts are stored per widget under the
#: ``geometry/``, ``splitter/`` and ``header/`` prefixes (Qt's own saveState blobs), and the
#: widths of the columns the user resized by hand under ``columns/`` (column key -> px).
PREFERENCES: dict[str, Preference] = {
    p.key: p
    for p in (
        Preference("ui/language", str, DEFAULT_LANGUAGE, "界面语言", "Interface language"),
        Preference("db/location", str, "", "数据库位置（空：默认文件）", "Database location"),
        Preference(
            "ui/checklist_hidden",
            bool,
            False,
            "启动时不显示开始使用清单",
            "Hide the start checklist",
        ),
    )
}
LAYOUT_PREFIXES = ("geometry/", "splitter/", "header/", "columns/")


class Prefs:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(ORGANISATION, APPLICATION)

    # --- values ---------------------------------------------------------------------------

    @property
    def language(self) -> str:
        value = str(self._value("ui/language"))
        return value if value in LANGUAGES else DEFAULT_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

    @property
    def database(self) -> str:
        """The database location chosen in the settings ('' = the default file)."""
        return str(self._value("db/location") or "")

    @database.setter
    def database(self, value: str) -> None:
        self.store.setValue("db/location", value.strip())

    @property
    def checklist_hidden(self) -> bool:
        return bool(self._value("ui/checklist_hidden"))

    @checklist_hidden.setter
    def checklist_hidden(self, value: bool) -> None:
        self.store.setValue("ui/checklist_hidden", bool(value))

    def _value(self, key: str) -> object:
        declared = PREFERENCES[key]
        return self.store.value(key, declared.default, type=declared.type)

    def sync(self) -> None:
        self.store.sync()

    # --- layout ---------------------------------------------------------------------------

    def save_geometry(self, key: str, widget: QWidget) -> None:
        self.store.setValue(f"geometry/{key}", widget.saveGeometry())

    def restore_geometry(self, key: str, widget: QWidget) -> bool:
        data = self.store.value(f"geometry/{key}")
        return isinstance(data, QByteArray) and widget.restoreGeometry(data)

    def save_layout(self, root: QWidget) -> None:
        """Every named splitter and table header below ``root``."""
        for splitter in root.findChildren(QSplitter):
            if splitter.objectName():
                self.store.setValue(f"splitter/{splitter.objectName()}", splitter.saveState())
        for header in root.findChildren(QHeaderView):
            if header.objectName():
                self.store.setValue(f"header/{header.objectName()}", header.saveState())

    def restore_splitter(self, splitter: QSplitter) -> bool:
        data = self.store.value(f"splitter/{splitter.objectName()}")
        return isinstance(data, QByteArray) and splitter.restoreState(data)

    def column_widths(self, table: str) -> dict[str, int]:
        """The widths the user gave columns of ``table`` by hand (others fit their content)."""
        try:
            data = json.loads(str(self.store.value(f"columns/{table}", "{}")))
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): int(v) for k, v in data.items() if isinstance(v, int) and v > 0}

    def set_column_widths(self, table: str, widths: dict[str, int]) -> None:
        self.store.setValue(f"columns/{table}", json.dumps(widths, sort_keys=True))

    def restore_header(self, header: QHeaderView) -> bool:
        data = self.store.value(f"header/{header.objectName()}")
        return isinstance(data, QByteArray) and header.restoreState(data)


_current: list[Prefs] = []


def use(prefs: Prefs) -> Prefs:
    """Make ``prefs`` the preferences of this process (the app does it once at start-up)."""
    _current[:] = [prefs]
    return prefs


def current() -> Prefs:
    if not _current:
        _current.append(Prefs())
    return _current[0]
