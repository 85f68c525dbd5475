"""What the matrix page does: add and remove lines through :mod:`drillplan.hazards.matrix`
(the functions ``drillplan hazards add-line`` calls), run the hazard check and print it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from drillplan.hazards import matrix
from drillplan.hazards.levels import level_label
from drillplan.readiness.hazard_check import HazardCheck, hazard_check
from drillplan.reports.registry import build_report

from drillplan.ui import messages
from drillplan.ui.area import PageHost
from drillplan.ui.areas.hazards import dialogs
from drillplan.ui.areas.reports.page import reports_dir
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.opener import open_path
from drillplan.ui.rows_model import RowsView


class MatrixHost(PageHost, Protocol):
    """What the matrix actions need of their page (the page provides it; never imported)."""

    choices: dict[str, list[tuple[str, str]]]
    lines: RowsView

    def hazard_code(self) -> str | None: ...

    def hazard_name(self) -> str: ...

    def levels(self) -> list[str]: ...

    def check_level(self) -> str | None: ...

    def show_check(self, result: HazardCheck) -> None: ...

    def refresh(self) -> None: ...


CHANGES = ("hazards",)


class MatrixActions:
    """The page's actions; the page is passed in, never imported at run time."""

    def __init__(self, page: MatrixHost) -> None:
        self.page = page
        self.printed: list[str] = []  # the checks this page opened (tests use it)

    def _hazard(self) -> str | None:
        code = self.page.hazard_code()
        if code is None:
            self.page.need_selection(tr("一个灾种"))
        return code

    def seed(self) -> None:
        user = self.page.ctx.user
        self.page.op(lambda s: matrix.ensure_starter_hazards(s, user=user),
                     lambda _n: self.page.refresh(), changes=CHANGES)  # fmt: skip

    def add_plan(self) -> None:
        hazard = self._hazard()
        if hazard is None:
            return
        user = self.page.ctx.user

        def save(session: Session, values: dict[str, Any]) -> Any:
            return matrix.link_plan(session, hazard=hazard, plan=values.get("plan"),
                                    min_level=values.get("level"), user=user)  # fmt: skip

        self._form("hazardPlan", tr("启动预案"), dialogs.plan_fields(
            self.page.levels(), self.page.choices.get("plan", [])), save)  # fmt: skip

    def add_team(self) -> None:
        hazard = self._hazard()
        if hazard is None:
            return
        user = self.page.ctx.user

        def save(session: Session, values: dict[str, Any]) -> Any:
            return matrix.add_team_line(
                session, hazard=hazard, level=values.get("level"), team=values.get("team"),
                headcount=values.get("headcount"), notes=values.get("notes"), user=user,
            )  # fmt: skip

        self._form("hazardTeam", tr("待命队伍"), dialogs.team_fields(
            self.page.levels(), self.page.choices.get("team", [])), save)  # fmt: skip

    def add_material(self) -> None:
        hazard = self._hazard()
        if hazard is None:
            return
        user, c = self.page.ctx.user, self.page.choices

        def save(session: Session, values: dict[str, Any]) -> Any:
            return matrix.add_material_line(
                session, hazard=hazard, level=values.get("level"),
                material=values.get("material"), quantity=values.get("quantity"),
                depot=values.get("depot"), unit=values.get("unit"), notes=values.get("notes"),
                user=user,
            )  # fmt: skip

        fields = dialogs.material_fields(self.page.levels(), c.get("material", []),
                                         c.get("depot", []), c.get("unit", []))  # fmt: skip
        self._form("hazardMaterial", tr("前置物资"), fields, save)

    def _form(self, name: str, what: str, fields: Any, save: Any) -> None:
        title = tr("{hazard}：加入{what}").format(hazard=self.page.hazard_name(), what=what)
        levels = self.page.levels()
        self.page.form(name=name, title=title, fields=fields, save=save,
                       values={"level": levels[0]} if levels else {}, changes=CHANGES,
                       saved=lambda _r: self.page.refresh())  # fmt: skip

    def remove(self) -> None:
        hazard = self._hazard()
        line = self.page.lines.current()
        if hazard is None:
            return
        if line is None:
            self.page.need_selection(tr("矩阵中的一行"))
            return
        what = f"{line['level_label']} {line['code']} {line['name']}"
        if not self.page.confirm_delete(what):
            return
        user, kind, level, code = self.page.ctx.user, line["kind"], line["level"], line["code"]
        place = line.get("place") or None

        def remove(session: Session) -> None:
            if kind == "plan":
                matrix.unlink_plan(session, hazard=hazard, plan=code, user=user)
            elif kind == "team":
                matrix.remove_team_line(session, hazard=hazard, level=level, team=code, user=user)
            else:
                depot = place if place and matrix_has_depot(session, place) else None
                unit = place if place and depot is None else None
                matrix.remove_material_line(session, hazard=hazard, level=level, material=code,
                                            depot=depot, unit=unit, user=user)  # fmt: skip

        self.page.op(remove, lambda _r: self.page.refresh(), changes=CHANGES).failure(
            lambda exc: messages.show_error(self.page, exc)
        )

    def check(self) -> None:
        hazard, level = self._hazard(), self.page.check_level()
        if hazard is None or level is None:
            return
        as_of = self.page.ctx.as_of()
        self.page.op(lambda s: hazard_check(s, hazard=hazard, level=level, as_of=as_of),
                     self.page.show_check).failure(
            lambda exc: messages.show_error(self.page, exc))  # fmt: skip

    def print_check(self) -> None:
        hazard, level = self._hazard(), self.page.check_level()
        if hazard is None or level is None:
            return
        lang, as_of = current_language(), self.page.ctx.as_of()
        path = reports_dir() / f"预警响应核查单-{hazard}-{level}.pdf"

        def build(session: Session) -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            return build_report(session, "hazard-check", path, as_of=as_of, lang=lang,
                                hazard=hazard, level=level).path  # fmt: skip

        def done(made: Path) -> None:
            self.printed.append(str(made))
            open_path(self.page, made)

        self.page.op(build, done).failure(lambda exc: messages.show_error(self.page, exc))


def matrix_has_depot(session: Session, code: str) -> bool:
    """Whether a line's place code is a depot's (else a unit's)."""
    try:
        matrix.get_depot(session, code)
    except Exception:
        return False
    return True


def check_summary(result: HazardCheck) -> str:
    lang = current_language()
    missing = len(result.missing)
    head = f"{result.hazard_name} {level_label(result.level, lang)}"
    if not missing:
        return tr("{head}：各项均满足").format(head=head)
    return tr("{head}：{n} 项不满足").format(head=head, n=missing)
