"""The resource directory's search box: Ctrl+K from any page, results as one types, Enter
opens the holder on its page with its row selected; the capacity reserves tab edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from drillplan.db.database import Database
from tests.support.ui import AS_OF, fill, settle, type_text, wait_for

from drillplan.ui.areas.stock.page import StockPage
from drillplan.ui.areas.teams.page import TeamsPage
from drillplan.ui.shell.main_window import MainWindow

SHOTS = Path("/tmp/h1-shots")


def _window(qtbot: Any, demo_db: Database) -> MainWindow:
    window = MainWindow(demo_db, as_of=AS_OF)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    settle(window.ctx)
    return window


def _results(qtbot: Any, window: MainWindow, query: str) -> list[str]:
    dialog = window.find_dialog
    dialog.box.clear()
    type_text(dialog.box, query)
    wait_for(qtbot, lambda: dialog.found is not None and dialog.found.query == query)
    settle(window.ctx)
    return [dialog.results.item(i).text() for i in range(dialog.results.count())]


def test_ctrl_k_finds_as_one_types_and_enter_opens_the_depot(qtbot: Any, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    window.show_area("drills")  # from any page
    QTest.keySequence(window, "Ctrl+K")
    dialog = window.find_dialog
    assert dialog.isVisible() and dialog.focusWidget() is dialog.box
    shown = _results(qtbot, window, "冲 锋 舟")
    tiers = {text.split("]")[0] for text in shown}
    assert {"[市级", "[区级", "[街镇级", "[企业", "[协议储备", "[队伍装备", "[产能储备"} <= tiers
    assert any("18076086503" in t and "杨军平" in t for t in shown)  # keeper and phone
    assert any("上海淀湖船艇服务有限公司 屠平" in t for t in shown)  # agreement supplier
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "find_dialog.png"))
    row = next(i for i, t in enumerate(shown) if "CK-QP-01" in t)
    dialog.results.setCurrentRow(row)
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    settle(window.ctx)
    assert not dialog.isVisible() and window.current_area() == "stock"
    stock = window.pages["stock"]
    assert isinstance(stock, StockPage) and stock.current_tab() == "depots"
    assert stock.depots.current_text("code") == "CK-QP-01"


def test_a_team_result_opens_the_team_and_capacity_its_tab(qtbot: Any, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    window.open_find()
    shown = _results(qtbot, window, "水上救援")
    assert shown and all(t.startswith("[队伍装备]") for t in shown)
    dialog = window.find_dialog
    row = next(i for i, t in enumerate(shown) if "TD-ZY-04" in t)
    dialog._activated(dialog.results.item(row))
    settle(window.ctx)
    teams = window.pages["teams"]
    assert isinstance(teams, TeamsPage) and window.current_area() == "teams"
    assert teams.panel.current_text("code") == "TD-ZY-04"
    window.open_find()
    shown = _results(qtbot, window, "编织袋")
    row = next(i for i, t in enumerate(shown) if t.startswith("[产能储备]"))
    assert "承诺 100,000 条" in shown[row]
    dialog._activated(dialog.results.item(row))
    settle(window.ctx)
    stock = window.pages["stock"]
    assert isinstance(stock, StockPage) and stock.current_tab() == "capacity"
    assert stock.capacity.current_text("code") == "CN-2026-01"
    window.grab().save(str(SHOTS / "capacity_tab.png"))


def test_capacity_form_refuses_a_bad_lead_time_then_saves(qtbot: Any, demo_db: Database) -> None:
    window = _window(qtbot, demo_db)
    window.show_area("stock")
    stock = window.pages["stock"]
    assert isinstance(stock, StockPage)
    stock.show_tab("capacity")
    stock.new_item()
    settle(window.ctx)
    dialog = stock.dialog
    assert dialog is not None
    form = dialog.form  # type: ignore[attr-defined]
    fill(form, code="CN-T1", supplier="测试编织厂", promised_qty="500", lead_time_hours="很快")
    form.editors["material_id"].set(next(iter(form.editors["material_id"].spec.choices))[0])
    dialog.accept()  # type: ignore[attr-defined]
    settle(window.ctx)
    assert "小时数或天数" in form.errors["lead_time_hours"].text()
    fill(form, lead_time_hours="2天")
    dialog.accept()  # type: ignore[attr-defined]
    settle(window.ctx)
    stock.capacity.reload()
    codes = [
        stock.capacity.model.index(r, 0).data() for r in range(stock.capacity.model.rowCount())
    ]
    assert "CN-T1" in codes


def test_the_bench_measures_the_search_box(ctx: Any) -> None:
    from drillplan.ui.shell.bench import FIND_QUERIES, _find_figures

    figures = _find_figures(ctx)
    assert set(figures["ui_find_queries"]) == set(FIND_QUERIES)
    assert figures["ui_find_queries"]["救生衣"]["holders"] > 5  # the demo's life jackets
    assert 0 < figures["ui_find_ms"] <= max(figures["ui_find_first_ms"], figures["ui_find_ms"])
