"""Translations (one Qt mechanism, complete, no mixed-language screens), the language
switch, the settings dialog and the per-PC layout kept in QSettings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

from drillplan import settings
from drillplan.db.database import Database
from drillplan.db.models import Plan
from tests.support.ui import closed, settle  # fixtures: tests/ui/conftest.py

from drillplan.ui import prefs as prefs_module
from drillplan.ui.areas.settings.dialog import SettingsDialog
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import qm_path, set_language, tr, ts_path
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
LUPDATE = ROOT / ".venv" / "bin" / "pyside6-lupdate"
LRELEASE = ROOT / ".venv" / "bin" / "pyside6-lrelease"


def catalogue(path: Path) -> dict[str, tuple[str | None, str | None]]:
    tree = ET.parse(path)
    out = {}
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        out[source] = (translation.text, translation.get("type"))
    return out


def test_every_ui_string_has_a_finished_english_translation() -> None:
    messages = catalogue(ts_path())
    assert len(messages) > 400
    unfinished = [s for s, (text, kind) in messages.items() if not text or kind is not None]
    assert unfinished == []
    for source, (text, _kind) in messages.items():
        assert not CJK.search(text or "") or "e.g." in (text or "") or "队员" in (text or ""), (
            source
        )
        assert set(re.findall(r"\{(\w+)", source)) == set(re.findall(r"\{(\w+)", text or "")), (
            source
        )


@pytest.mark.skipif(not LRELEASE.exists(), reason="pyside6-lrelease is not installed")
def test_the_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [str(LRELEASE), str(ts_path()), "-qm", str(fresh)], check=True, capture_output=True
    )
    assert fresh.read_bytes() == qm_path().read_bytes(), "run resources/i18n/update.sh"


@pytest.mark.skipif(not LUPDATE.exists(), reason="pyside6-lupdate is not installed")
def test_the_catalogue_holds_exactly_the_strings_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (ROOT / "drillplan" / "ui").rglob("*.py"))
    subprocess.run(
        [str(LUPDATE), *files, "-ts", str(fresh), "-locations", "none"],
        check=True,
        capture_output=True,
    )
    assert set(catalogue(fresh)) == set(catalogue(ts_path())), "run pyside6-lupdate (see i18n.py)"


def test_translator_switches_both_ways() -> None:
    set_language("en")
    assert tr("保存") == "Save" and tr("共 {n} 条").format(n=3) == "3 rows"
    set_language("zh")
    assert tr("保存") == "保存"


def chrome_texts(root: QWidget) -> list[str]:
    """Every visible text of the UI itself (not the data rows) below ``root``."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel) and widget.objectName() != "dataLabel":
            texts.append(str(widget.property("text")))
        elif isinstance(widget, QAbstractButton | QGroupBox):
            texts.append(str(widget.property("text") or widget.property("title") or ""))
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox) and not widget.objectName().startswith("filter_owner"):
            if widget.objectName().startswith("filter_"):
                texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model = widget.model()
            columns = model.columnCount(QModelIndex())
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)
            ]
        texts.append(widget.toolTip() if widget.objectName() != "cardValue" else "")
    return [t for t in texts if t]


def test_english_screens_have_no_chinese_chrome(qtbot: Any, demo_db: Database) -> None:
    window = MainWindow(demo_db, lang="en")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        assert [window.nav.item(i).text() for i in range(3)] == ["Overview", "Plans", "Teams"]
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus == ["&File", "&Edit", "&View", "&Reports", "&Help"]
        for key, page in window.pages.items():
            window.show_area(key)
            tabs = getattr(page, "screenshot_tabs", ()) or ("",)
            for tab in tabs:
                if tab:
                    page.show_tab(tab)
                settle(window.ctx)
                mixed = [t for t in chrome_texts(page) if CJK.search(t)]
                assert mixed == [], (key, tab, mixed[:5])
    finally:
        window.close()
        set_language("zh")


def test_language_switch_keeps_the_data_and_the_place(qtbot: Any, demo_db: Database) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show_area("plans")
    settle(window.ctx)
    total = window.pages["plans"].panel.model.total
    english = window.relaunch("en")
    qtbot.addWidget(english)
    try:
        assert closed(window)
        assert english.current_area() == "plans"
        assert english.nav.item(1).text() == "Plans"
        assert english.pages["plans"].panel.model.total == total
        assert english.pages["plans"].panel.model.headerData(0, Qt.Orientation.Horizontal) == "Code"
        assert prefs_module.current().language == "en"
        chinese = english.relaunch("zh")
        qtbot.addWidget(chinese)
        assert chinese.nav.item(1).text() == "应急预案"
        chinese.close()
    finally:
        set_language("zh")


def test_settings_dialog_saves_core_settings_and_per_pc_preferences(
    qtbot: Any, ctx: UiContext, tmp_path: Path
) -> None:
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    settle(ctx)
    general, database, alerts, weights = dialog.pages
    assert general.unit_name.displayText() == "青浦区应急管理局"  # type: ignore[attr-defined]
    general.unit_name.setText("")  # type: ignore[attr-defined]
    dialog.accept()
    assert dialog.error.isVisibleTo(dialog) and "不能为空" in dialog.error.property("text")
    general.unit_name.setText("上海市青浦区应急管理局")  # type: ignore[attr-defined]
    alerts.horizons.setText("15、60、120")  # type: ignore[attr-defined]
    alerts.flood_start.setText("05-15")  # type: ignore[attr-defined]
    weights.spins["coverage"].setValue(40)  # type: ignore[attr-defined]
    target = tmp_path / "other.sqlite3"
    database.location.setText(str(target))  # type: ignore[attr-defined]
    database.test_button.click()  # type: ignore[attr-defined]
    settle(ctx)
    assert "首次使用时将新建" in database.result.property("text")  # type: ignore[attr-defined]
    database.location.setText(ctx.db.url)  # type: ignore[attr-defined]
    database.test_button.click()  # type: ignore[attr-defined]
    settle(ctx)
    assert "连接成功" in database.result.property("text")  # type: ignore[attr-defined]
    database.location.setText(str(target))  # type: ignore[attr-defined]
    general.language.setCurrentIndex(general.language.findData("en"))  # type: ignore[attr-defined]
    switched: list[str] = []
    dialog.language_changed.connect(switched.append)
    dialog.accept()
    settle(ctx)
    assert switched == ["en"]
    with ctx.db.session() as session:
        assert settings.get(session, "unit_name") == "上海市青浦区应急管理局"
        assert settings.get(session, "expiry_horizons") == [15, 60, 120]
        assert settings.get(session, "flood_season_start") == "05-15"
        assert settings.get(session, "readiness_weights")["coverage"] == 40
    store = prefs_module.current().store
    store.sync()
    ini = Path(store.fileName()).read_text(encoding="utf-8")
    assert "language=en" in ini and "other.sqlite3" in ini
    assert prefs_module.current().database == str(target)


def test_window_geometry_splitters_and_columns_persist(qtbot: Any, demo_db: Database) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(700, 520)  # the offscreen screen is 800 x 600
    window.show()
    settle(window.ctx)
    header = window.pages["plans"].panel.view.horizontalHeader()
    header.resizeSection(1, 333)
    splitter = window.pages["teams"].splitter
    splitter.setSizes([500, 100])
    sizes = splitter.sizes()
    size = window.size()
    window.close()
    assert prefs_module.current().store.value("geometry/mainWindow") is not None
    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    again.show()
    try:
        assert again.size() == size
        assert again.pages["plans"].panel.view.horizontalHeader().sectionSize(1) == 333
        assert again.pages["teams"].splitter.sizes() == sizes
    finally:
        again.close()


def test_settings_reach_the_core(ctx: UiContext) -> None:
    with ctx.db.session() as session:
        settings.set_value(session, "expiry_horizons", [20, 40])
    with ctx.db.session() as session:
        assert session.scalar(select(Plan.id)) is not None
        assert settings.get(session, "expiry_horizons") == [20, 40]
