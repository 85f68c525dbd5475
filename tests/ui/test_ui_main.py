"""The main window offscreen on the demo data: areas, lazy tables, shortcuts, fonts, first run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from drillplan.db.database import Database, open_db
from drillplan.db.migrate import SchemaMismatch
from drillplan.demo import load_demo
from drillplan.listing import expiry_tone, fetch_ids, fetch_rows, format_value
from drillplan.plans.listing import PLANS
from drillplan.readiness.overview import database_is_blank
from drillplan.stock.listing import LOTS
from tests.support.listings import LISTINGS
from tests.support.ui import AS_OF, settle  # fixtures: tests/ui/conftest.py

from drillplan.ui.first_run import (
    DEMO,
    EMPTY,
    FirstRunDialog,
    apply_choice,
    demo_available,
    needs_first_run,
)
from drillplan.ui.fonts import EMBEDDED_FAMILY
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.shell import app as app_module
from drillplan.ui.shell.app import application, run_app
from drillplan.ui.shell.main_window import AREAS, WINDOW_TITLE, MainWindow
from drillplan.ui.shell.screenshot import save_screenshots
from drillplan.ui.table_model import ListingModel

pytestmark = pytest.mark.ui


@pytest.fixture
def app(ui_app: QApplication) -> QApplication:
    return application()


def fill(db: Database) -> None:
    with db.session() as session:
        load_demo(session, as_of=AS_OF)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "ui.sqlite3")
    fill(db)
    yield db
    db.close()


@pytest.fixture
def window(qtbot: Any, filled: Database) -> MainWindow:
    win = MainWindow(filled, as_of=AS_OF)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    return win


def listing_panels(win: MainWindow) -> dict[str, ListingPanel]:
    return {p.listing.name: p for page in win.pages.values() for p in getattr(page, "panels", [])}


# --- the window -------------------------------------------------------------------------


def test_window_title_areas_and_status_bar(window: MainWindow, filled: Database) -> None:
    assert window.windowTitle() == WINDOW_TITLE
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names == [
        "总览", "应急预案", "救援队伍", "物资储备", "演练", "技能比武", "报表", "调拨申请",
        "通讯录与值班", "避难场所", "培训与宣教", "响应矩阵",
    ]  # fmt: skip
    assert window.stack.count() == len(AREAS)
    assert str(Path(filled.url.removeprefix("sqlite:///"))) in window.location.text()


def test_every_listing_table_shows_the_rows_in_the_database(
    window: MainWindow, filled: Database
) -> None:
    panels = listing_panels(window)
    assert set(panels) == set(LISTINGS)
    with filled.session() as session:
        for name, panel in panels.items():
            ids = fetch_ids(session, panel.listing, filters=panel.listing.default_filters)
            assert ids, f"no {name} rows in the test data"
            model = panel.model
            assert model.total == len(ids)
            assert model.rowCount() == len(ids) and model.complete
            assert panel.count.text() == f"共 {len(ids)} 条"
            first = fetch_rows(session, panel.listing, ids[:1])[ids[0]]
            for column, col in enumerate(panel.listing.columns):
                shown = model.index(0, column).data()
                assert shown == format_value(col, first[column]), (name, col.key)
            assert panel.view.alternatingRowColors()


def test_overview_cards_show_the_counts(window: MainWindow) -> None:
    settle(window.ctx)
    counts = window.overview.counts
    assert counts["plans"] > 0 and counts["teams"] > 0
    for key, card in window.overview.count_cards.items():
        assert card.value.text() == str(counts[key])
    data = window.overview.data
    assert data is not None
    for figure in data.figures:
        shown = window.overview.cards[figure.key].value.text()
        if figure.target == "requests":  # one line beside the date: 逾期调拨申请：1
            assert shown == f"{figure.zh}：{figure.count}"
        else:
            assert shown == str(figure.count)
    assert "2025-06-01" in window.overview.as_of_label.text()


def test_keyboard_switches_areas_and_focuses_search(qtbot: Any, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    window.show_area("reports")
    for number, area in enumerate(AREAS[:9], start=1):  # Ctrl+1 … Ctrl+9
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_area() == area.key
        assert window.nav.currentRow() == number - 1
    for action in window.area_actions[9:]:  # the tenth page on: the list and the View menu
        assert action.shortcuts() == []
        action.trigger()
        assert window.current_area() == AREAS[window.area_actions.index(action)].key
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    panel = window.pages["plans"].panel
    assert isinstance(panel, ListingPanel)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.search)


def test_search_box_filters_the_table(qtbot: Any, window: MainWindow, filled: Database) -> None:
    panel = window.pages["plans"].panel
    assert isinstance(panel, ListingPanel)
    with filled.session() as session:
        ids = fetch_ids(session, PLANS)
        code = fetch_rows(session, PLANS, ids[:1])[ids[0]][0]
        expected = fetch_ids(session, PLANS, search=code)
    qtbot.keyClicks(panel.search, code)
    qtbot.waitUntil(lambda: panel.model.total == len(expected))
    assert panel.model.index(0, 0).data() == code
    assert panel.count.text() == f"共 {len(expected)} 条"
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.total == len(ids))


def test_filter_box_re_runs_the_query(window: MainWindow, filled: Database) -> None:
    panel = window.pages["stock"].lots
    assert panel.listing is LOTS
    box = panel.filter_boxes["in_stock"]
    assert box.isChecked() and box.text() == "只显示有库存的批次"
    with filled.session() as session:
        in_stock = fetch_ids(session, LOTS, filters=["in_stock"])
        every = fetch_ids(session, LOTS)
    assert len(every) > len(in_stock) == panel.model.total
    box.setChecked(False)
    assert panel.model.total == len(every)
    assert panel.count.text() == f"共 {len(every)} 条"
    box.setChecked(True)
    assert panel.model.total == len(in_stock)


def test_sorting_re_runs_the_query(window: MainWindow, filled: Database) -> None:
    panel = window.pages["plans"].panel
    assert isinstance(panel, ListingPanel)
    column = PLANS.keys.index("code")
    panel.view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    with filled.session() as session:
        ids = fetch_ids(session, PLANS, order_by="code", descending=True)
    shown = [panel.model.id_at(r) for r in range(panel.model.rowCount())]
    assert shown == ids[: len(shown)]
    assert panel.model.index(0, column).data() > panel.model.index(1, column).data()
    assert panel.model.order == ("code", True)


# --- the generic model ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_generic_model_passes_the_model_tester(
    qtmodeltester: Any, filled: Database, name: str
) -> None:
    model = ListingModel(LISTINGS[name], filled.session)
    assert model.rowCount() == model.total > 0
    qtmodeltester.check(model, force_py=True)


def test_a_big_list_shows_its_first_ids_then_appends_the_rest(qtbot: Any, filled: Database) -> None:
    pending: list[tuple[Any, Any]] = []

    def loader(fn: Any, done: Any) -> None:
        pending.append((fn, done))

    class Small(ListingModel):
        FIRST_PAGE = 5

    model = Small(LOTS, filled.session, loader=loader)
    with filled.session() as session:
        every = fetch_ids(session, LOTS, filters=LOTS.default_filters)
    assert model.rowCount() == 5 and not model.complete and len(pending) == 1
    assert [model.id_at(r) for r in range(5)] == every[:5]
    fn, done = pending.pop()
    with filled.session() as session:
        rest = fn(session)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        done(rest)
    assert blocker.args[1:] == [5, len(every) - 1]  # first and last row, inclusive
    assert model.complete and model.rowCount() == len(every)
    model.sort(LOTS.keys.index("batch_no"))
    stale_fn, stale_done = pending.pop()
    model.sort(LOTS.keys.index("on_hand"))
    with filled.session() as session:
        stale_done(stale_fn(session))  # an answer to an older query is dropped
    assert not model.complete and model.rowCount() == 5
    right = model.index(0, LOTS.keys.index("on_hand")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight
    assert model.headerData(0, Qt.Orientation.Horizontal) == "物资编码"
    model_en = ListingModel(LOTS, filled.session, lang="en")
    assert model_en.headerData(0, Qt.Orientation.Horizontal) == "Material code"


def test_expiry_dates_are_coloured(filled: Database) -> None:
    model = ListingModel(LOTS, filled.session, as_of=AS_OF)
    column = LOTS.keys.index("expiry_date")
    tones = []
    for row in range(model.rowCount()):
        if not model.index(row, column).data():
            continue  # a material that never expires
        shown = dt.date.fromisoformat(model.index(row, column).data())
        colour = model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
        tones.append(
            (expiry_tone(shown, AS_OF, model.soon_days), colour.name() if colour else None)
        )
        if shown < AS_OF:
            assert "已过期" in model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert ("expired", "#b3261e") in tones and ("expiring", "#9a5b00") in tones
    assert (None, None) in tones
    assert {tone for tone, _ in tones} == {"expired", "expiring", None}
    assert all((tone is None) == (colour is None) for tone, colour in tones)
    other = model.index(0, LOTS.keys.index("batch_no"))
    assert other.data(Qt.ItemDataRole.ForegroundRole) is None


# --- fonts ------------------------------------------------------------------------------


def test_embedded_font_is_registered_and_the_default(app: QApplication) -> None:
    assert EMBEDDED_FAMILY in QFontDatabase.families()
    assert EMBEDDED_FAMILY in app.font().families()


def glyph(text: str) -> QImage:
    label = QLabel(text)
    label.setStyleSheet("background: white; color: black; font-size: 40px;")
    label.adjustSize()
    return label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def ink(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 128
    )


def test_chinese_renders_as_glyphs_not_boxes(app: QApplication) -> None:
    text = "应急预案管理"
    # inFontUcs4, not inFont: PySide6 mangles str -> QChar above U+7FFF.
    assert all(QFontMetrics(app.font()).inFontUcs4(ord(ch)) for ch in text)
    images = [glyph(ch) for ch in text]
    assert all(ink(image) > 20 for image in images)
    # Missing glyphs all render as the same box; real glyphs differ from each other.
    for a, b in itertools.combinations(images, 2):
        assert a != b
    assert glyph(text).width() > images[0].width() * 4


# --- first run and start-up -------------------------------------------------------------


def test_first_run_on_a_new_empty_database(qtbot: Any, tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.sqlite3")
    try:
        assert needs_first_run(db)
        dialog = FirstRunDialog(db)
        qtbot.addWidget(dialog)
        assert dialog.choice() == EMPTY
        assert not apply_choice(db, EMPTY)
        assert needs_first_run(db)
        assert demo_available() and dialog.demo_button.isEnabled()
        dialog.demo_button.setChecked(True)
        assert dialog.choice() == DEMO
        assert apply_choice(db, DEMO)
        with db.session() as session:
            assert not database_is_blank(session)
    finally:
        db.close()
    reopened = open_db(tmp_path / "new.sqlite3")
    try:
        assert not needs_first_run(reopened)  # asked only when the file was just created
    finally:
        reopened.close()


def test_run_app_shows_schema_errors_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def refuse(_db: Any) -> Database:
        raise SchemaMismatch("数据库版本比本程序新")

    monkeypatch.setattr(app_module, "open_db", refuse)
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    assert run_app("whatever.sqlite3", ["drillplan"]) == 2
    assert shown and "数据库版本比本程序新" in shown[0]


def test_run_app_opens_the_main_window(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[str] = []

    def fake_exec(*_args: Any) -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.windowTitle() for w in windows if w.isVisible())
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: 1)
    assert run_app(str(tmp_path / "app.sqlite3"), ["drillplan"]) == 0
    assert seen == [WINDOW_TITLE]


# --- screenshots ------------------------------------------------------------------------


def test_screenshots_of_every_area_and_the_main_dialogs(filled: Database, tmp_path: Path) -> None:
    paths = save_screenshots(filled, tmp_path / "shots", as_of=AS_OF)
    names = [p.name for p in paths]
    for area in AREAS:
        assert f"{area.key}.png" in names
    for name in (
        "overview.png",
        "plans.png",
        "stock-lots.png",
        "stock-expiry.png",
        "drills-calendar.png",
        "dialog-plan-edit.png",
        "dialog-plan-validation.png",
        "dialog-stock-issue.png",
        "dialog-drill-evaluation.png",
        "dialog-settings.png",
        "dialog-error.png",
    ):
        assert name in names, name
    for path in paths:
        image = QImage(str(path))
        if path.name.startswith("dialog-"):
            assert image.width() > 200 and image.height() > 80, path.name
        else:
            assert (image.width(), image.height()) == (1280, 800), path.name


def test_a_shared_database_refreshes_every_view_after_another_pcs_change(
    window: MainWindow, filled: Database
) -> None:
    """The PostgreSQL poll (driven by hand here): another client's commit refreshes all."""
    from drillplan.audit import log as auditlog
    from drillplan.auth.changes import ChangeWatcher

    from drillplan.ui.ops import OpChanges

    seen: list[OpChanges] = []
    window.ctx.runner.changes_applied.connect(seen.append)
    settle(window.ctx)
    window._watcher = ChangeWatcher()
    window._check_other_clients()  # the baseline
    settle(window.ctx)
    assert seen == []
    with filled.session() as session:  # another PC commits a change
        auditlog.record(session, user="other-pc", action="test.change", table="unit")
    window._check_other_clients()
    settle(window.ctx)
    assert [c.areas for c in seen] == [frozenset({"all"})]


def test_a_screenshot_on_a_full_disk_leaves_no_file(qtbot: Any, tmp_path: Path) -> None:
    from drillplan.kernel.atomic import FileWriteError
    from tests.support.disk import full_disk, listing

    from drillplan.ui.shell.screenshot import _save

    label = QLabel("应急演练" * 40)
    qtbot.addWidget(label)
    label.resize(800, 600)
    with full_disk(tmp_path / "disk", keep={"overview.png": b"old"}) as disk:
        with pytest.raises(FileWriteError, match="磁盘空间不足"):
            _save(label, disk / "overview.png")
        assert listing(disk) == {"overview.png": b"old"}
    written = _save(label, tmp_path / "overview.png")
    assert QImage(str(written)).width() == 800
