"""A vocabulary value is entered by its code, its Chinese label or its English label, wherever it
is entered: the one parser (``kernel.values.parse_enum``) and the doors that use it (the domain
write functions the forms call, the command line's helpers and an import)."""

from __future__ import annotations

import csv
import datetime as dt
from enum import StrEnum
from pathlib import Path

import pytest
from sqlalchemy import select

from drillplan import competitions as comp
from drillplan.db.database import Database
from drillplan.db.models import Drill, Plan, Team
from drillplan.drills import editing
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.interchange.values import BadValue, to_enum
from drillplan.kernel import vocab
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import (
    DepotTier,
    DrillForm,
    DrillPurpose,
    DrillScope,
    DrillStatus,
    EmergencyCategory,
    EventKind,
    HolderClass,
    HseepType,
    PlanKind,
    PlanStatus,
    Readiness,
    Scoring,
    TeamKind,
    Tier,
    UnitKind,
    input_names,
    label,
)
from drillplan.org import teams
from drillplan.plans import register
from tests import factories as f

#: every vocabulary of kernel/vocab
VOCABULARIES: list[type[StrEnum]] = sorted(
    (
        obj
        for obj in vars(vocab).values()
        if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
    ),
    key=lambda cls: cls.__name__,
)
#: the vocabularies users enter in a form, a command or a file: each must be labelled
ENTERED = [
    DrillForm, DrillScope, DrillPurpose, HseepType, DrillStatus, PlanKind, PlanStatus,
    EmergencyCategory, HolderClass, TeamKind, DepotTier, Tier, UnitKind, Readiness, EventKind,
    Scoring,
]  # fmt: skip
MEMBERS = [(cls, m) for cls in VOCABULARIES for m in cls]
SOCIAL_CREDIT_CODE = "52310118MJ5X12340X"


def _id(pair: tuple[type[StrEnum], StrEnum]) -> str:
    return f"{pair[0].__name__}.{pair[1].value}"


def test_the_entered_vocabularies_are_all_found() -> None:
    assert set(ENTERED) <= set(VOCABULARIES)


@pytest.mark.parametrize("cls", ENTERED, ids=lambda c: c.__name__)
def test_every_entered_member_has_its_own_labels(cls: type[StrEnum]) -> None:
    for lang in ("zh", "en"):
        labels = [label(m, lang) for m in cls]
        assert all(text and text != m.value for text, m in zip(labels, cls, strict=True)), labels
        assert len(set(labels)) == len(labels), f"{cls.__name__}: two members share a label"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label(m, "zh")) for m in cls)


@pytest.mark.parametrize("pair", MEMBERS, ids=[_id(p) for p in MEMBERS])
def test_code_chinese_and_english_label_are_accepted(pair: tuple[type[StrEnum], StrEnum]) -> None:
    cls, member = pair
    for name in (member.value, label(member, "zh"), label(member, "en")):
        assert parse_enum(cls, name, field="f") is member, name
        assert parse_enum(cls, f"  {name.upper()}\u3000", field="f") is member, name
        assert to_enum(name, cls) is member
    assert parse_enum(cls, member, field="f") is member


@pytest.mark.parametrize("cls", VOCABULARIES, ids=lambda c: c.__name__)
def test_no_name_stands_for_two_members(cls: type[StrEnum]) -> None:
    owner: dict[str, StrEnum] = {}
    for member in cls:
        for name in input_names(member):
            key = name.casefold()
            assert owner.setdefault(key, member) is member, (name, owner[key], member)


def test_full_width_and_aliases() -> None:
    assert parse_enum(DrillForm, "ＴＡＢＬＥＴＯＰ", field="form") is DrillForm.TABLETOP
    assert parse_enum(DrillForm, "桌面推演", field="form") is DrillForm.TABLETOP  # DESIGN.md's word
    assert parse_enum(HseepType, "桌面推演", field="hseep_type") is HseepType.TABLETOP
    assert parse_enum(TeamKind, "社会力量", field="kind") is TeamKind.SOCIAL
    assert parse_enum(PlanKind, "专项", field="kind") is PlanKind.SPECIAL
    # a file written with a vocabulary's older shared label still reads
    assert parse_enum(HolderClass, "政府", field="holder_class") is HolderClass.GOVERNMENT


def test_blank_and_bad_values() -> None:
    assert parse_enum(Tier, None, field="tier", optional=True) is None
    assert parse_enum(Tier, " \u3000", field="tier", optional=True) is None
    with pytest.raises(ValidationError) as err:
        parse_enum(Tier, "", field="tier")
    assert (err.value.field, err.value.message, err.value.rule) == ("tier", "必须填写", "required")
    with pytest.raises(ValidationError) as err:
        parse_enum(DrillForm, "沙盘演练", field="form", what="演练形式")
    bad = err.value
    assert bad.field == "form" and bad.rule == "not_in_list"
    assert "演练形式“沙盘演练”" in bad.message
    assert all(label(m) in bad.message for m in DrillForm)  # the Chinese labels
    assert bad.message_en is not None and "tabletop, live" in bad.message_en  # the codes
    with pytest.raises(ValidationError) as err:
        parse_enum(Tier, "x" * 10_000, field="tier")
    assert len(err.value.message) < 200  # a huge cell is not repeated in the message
    with pytest.raises(BadValue) as cell:
        to_enum("沙盘演练", DrillForm)
    assert (cell.value.rule, cell.value.message) == (
        "not_in_list",
        "“沙盘演练”不是可选值（可选：桌面演练、实战演练）",
    )


# ------------------------------------------------------------------- through the real doors


def _drill(db: Database, form: object, **kw: object) -> Drill:
    with db.session() as session:
        owner = f.unit(session)
        drill = editing.create_drill(
            session,
            title="防汛防台桌面推演",
            form=form,
            scope=kw.pop("scope", "综合"),
            organiser_unit_id=owner.id,
            starts_at=dt.datetime(2026, 5, 20, 9),
            ends_at=dt.datetime(2026, 5, 20, 11),
            **kw,
        )
        session.expunge(drill)
        return drill


@pytest.mark.parametrize(
    "form", ["桌面演练", "Tabletop", "tabletop", "桌面推演", DrillForm.TABLETOP]
)
def test_a_drill_form_by_code_chinese_or_english(db: Database, form: object) -> None:
    drill = _drill(db, form, hseep_type="桌面推演", purpose="Testing", scope="comprehensive")
    assert (drill.form, drill.hseep_type) == (DrillForm.TABLETOP, HseepType.TABLETOP)
    assert (drill.purpose, drill.scope) == (DrillPurpose.TESTING, DrillScope.COMPREHENSIVE)


def test_a_drill_status_by_chinese_label(db: Database) -> None:
    drill = _drill(db, "实战演练", status="筹备")
    assert (drill.form, drill.status) == (DrillForm.LIVE, DrillStatus.PREPARING)
    with db.session() as session:
        moved = editing.transition_status(session, drill_id=drill.id, to="Conducted")
        assert moved.status == DrillStatus.CONDUCTED


@pytest.mark.parametrize("kind", ["社会应急力量", "Social rescue organisation", "social"])
def test_a_team_kind_by_code_chinese_or_english(db: Database, kind: str) -> None:
    with db.session() as session:
        owner = f.unit(session)
        team = teams.create_team(
            session, code="QP-T09", name="青浦蓝天救援队", kind=kind, owner_unit_id=owner.id,
            tier="District", readiness="部分可用", credit_code=SOCIAL_CREDIT_CODE,
        )  # fmt: skip
        assert (team.kind, team.tier, team.readiness) == (
            TeamKind.SOCIAL,
            Tier.DISTRICT,
            Readiness.LIMITED,
        )
        teams.update_team(session, team_id=team.id, expected_version=None, kind="Volunteers")
        assert team.kind == TeamKind.VOLUNTEER


@pytest.mark.parametrize("kind", ["专项预案", "Special", "special"])
def test_a_plan_kind_by_code_chinese_or_english(db: Database, kind: str) -> None:
    with db.session() as session:
        owner = f.unit(session)
        plan = register.create_plan(
            session, code="QP-ZX-009", title="防汛防台专项应急预案", kind=kind,
            category="Natural disaster", holder_class="人员密集场所", owner_unit_id=owner.id,
        )  # fmt: skip
        assert (plan.kind, plan.category, plan.holder_class) == (
            PlanKind.SPECIAL,
            EmergencyCategory.NATURAL,
            HolderClass.SHANGHAI_LIST,
        )


@pytest.mark.parametrize(
    ("kind", "scoring"), [("个人项目", "计时"), ("Team", "Points"), ("team", "time")]
)
def test_a_competition_event_by_code_chinese_or_english(
    db: Database, kind: str, scoring: str
) -> None:
    with db.session() as session:
        competition = comp.create_competition(
            session, year=2025, title="技能大比武", held_on=dt.date(2025, 10, 18), venue=None
        )
        event = comp.add_event(
            session, competition_id=competition.id, name="绳索救援", kind=kind, scoring=scoring
        )
        assert event.kind in (EventKind.INDIVIDUAL, EventKind.TEAM)
        assert event.kind == parse_enum(EventKind, kind, field="kind")
        assert event.scoring == parse_enum(Scoring, scoring, field="scoring")


def _import(db: Database, tmp_path: Path, kind: str, rows: list[dict[str, str]]) -> object:
    spec = KINDS[kind]
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([spec.column(key).zh for key in rows[0]])
        writer.writerows([list(r.values()) for r in rows])
    with db.session() as session:
        return import_file(session, spec, path)


def test_an_imported_team_kind_by_code_chinese_or_english(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        f.unit(session, code="310118-YJJ")
    rows = [
        {"code": f"QP-T0{n}", "name": f"队伍{n}", "kind": kind, "owner_unit": "310118-YJJ",
         "tier": tier, "credit_code": SOCIAL_CREDIT_CODE if n == 1 else ""}
        for n, (kind, tier) in enumerate(
            [("社会应急力量", "区级"), ("Professional", "City"), ("street", "street"),
             ("志愿者队伍", "街镇级")], start=1,
        )
    ]  # fmt: skip
    report = _import(db, tmp_path, "teams", rows)
    assert report.problems == [] and report.created == 4  # type: ignore[attr-defined]
    with db.session() as session:
        kinds = dict(session.execute(select(Team.code, Team.kind)).tuples().all())
    assert kinds == {
        "QP-T01": TeamKind.SOCIAL,
        "QP-T02": TeamKind.PROFESSIONAL,
        "QP-T03": TeamKind.STREET,
        "QP-T04": TeamKind.VOLUNTEER,
    }


def test_an_imported_plan_and_drill_by_english_labels(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        f.unit(session, code="310118-YJJ")
    plans = [{"code": "QP-ZX-001", "title": "防汛防台专项应急预案", "kind": "Special",
              "category": "natural", "owner_unit": "310118-YJJ",
              "holder_class": "High-risk industries"}]  # fmt: skip
    assert _import(db, tmp_path, "plans", plans).problems == []  # type: ignore[attr-defined]
    drills = [{"code": "QP-DR-2026-001", "title": "防汛桌面推演", "form": "桌面推演",
               "scope": "Comprehensive", "organiser": "310118-YJJ",
               "starts_at": "2026-05-20 09:00", "ends_at": "2026-05-20 11:00",
               "hseep_type": "Tabletop exercise", "status": "筹备"}]  # fmt: skip
    assert _import(db, tmp_path, "drills", drills).problems == []  # type: ignore[attr-defined]
    with db.session() as session:
        plan = session.scalars(select(Plan)).one()
        drill = session.scalars(select(Drill)).one()
        assert (plan.kind, plan.holder_class) == (PlanKind.SPECIAL, HolderClass.HIGH_RISK)
        assert (drill.form, drill.hseep_type, drill.status) == (
            DrillForm.TABLETOP,
            HseepType.TABLETOP,
            DrillStatus.PREPARING,
        )
