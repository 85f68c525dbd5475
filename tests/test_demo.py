"""The demo data set: loads, meets its minimums, is consistent and deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import time
from collections import defaultdict
from decimal import Decimal

import pytest
from dateutil.rrule import rrulestr
from sqlalchemy import func, select

from drillplan.db.database import open_db
from drillplan.db.models import (
    AllocationLine,
    AllocationRequest,
    Certificate,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    CorrectiveAction,
    Depot,
    Drill,
    DrillOccurrenceMove,
    Holder,
    Holiday,
    Lot,
    Material,
    Member,
    Movement,
    Plan,
    PlanEvaluation,
    PlanStatusChange,
    Reservation,
    Setting,
    Team,
    Unit,
    User,
)
from drillplan.demo import DEMO_DIR, demo_counts, fingerprint, load_demo, week_shift
from drillplan.kernel.errors import Conflict
from drillplan.kernel.values import validate_credit_code, validate_phone
from drillplan.kernel.vocab import (
    DepotTier,
    DrillStatus,
    MovementKind,
    PlanStatus,
    RequestState,
    Scoring,
    TeamKind,
)

# A Wednesday 15 weeks and a day after the data's anchor: exercises the week shift.
AS_OF = dt.date(2027, 3, 10)
QINGPU_TOWNS = {
    "310118001": "夏阳街道",
    "310118002": "盈浦街道",
    "310118003": "香花桥街道",
    "310118102": "朱家角镇",
    "310118103": "练塘镇",
    "310118104": "金泽镇",
    "310118105": "赵巷镇",
    "310118106": "徐泾镇",
    "310118107": "华新镇",
    "310118109": "重固镇",
    "310118110": "白鹤镇",
}
POSITIVE = {MovementKind.RECEIPT, MovementKind.TRANSFER_IN, MovementKind.ROTATION_IN}
NEGATIVE = {
    MovementKind.ISSUE,
    MovementKind.TRANSFER_OUT,
    MovementKind.WRITE_OFF,
    MovementKind.ROTATION_OUT,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    started = time.perf_counter()
    with db.session() as session:
        summary = load_demo(session, as_of=AS_OF)
    elapsed = time.perf_counter() - started
    yield db, summary, elapsed
    db.close()


@pytest.fixture
def session(demo):
    db, _summary, _elapsed = demo
    with db.sessions() as session:
        yield session


def _fresh_fingerprint(path, as_of):
    db = open_db(path)
    try:
        with db.session() as session:
            load_demo(session, as_of=as_of)
        with db.session() as session:
            return fingerprint(session), demo_counts(session)
    finally:
        db.close()


# ------------------------------------------------------------------- loading


def test_loads_fast_and_summary_matches_tables(demo, session):
    _db, summary, elapsed = demo
    assert elapsed < 5, f"demo load took {elapsed:.2f} s"
    assert summary.as_of == AS_OF
    assert summary.shift_days == week_shift(summary.anchor, AS_OF)
    assert summary.shift_days % 7 == 0
    assert abs((summary.anchor + dt.timedelta(days=summary.shift_days) - AS_OF).days) <= 3
    counts = demo_counts(session)
    for table, n in summary.counts.items():
        assert counts[table] == n, table


def test_data_files_are_utf8_data():
    names = sorted(p.name for p in DEMO_DIR.iterdir())
    assert "materials.csv" in names and "units.json" in names and "meta.json" in names
    for path in DEMO_DIR.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    with (DEMO_DIR / "materials.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 60
    for row in rows:
        assert len(row["code"]) == 7 and row["code"].isdigit() and row["code"][0] in "123"


def test_default_as_of_is_today(tmp_path):
    db = open_db(tmp_path / "today.sqlite3")
    try:
        with db.session() as session:
            summary = load_demo(session)
        assert summary.as_of == dt.date.today()
    finally:
        db.close()


# ------------------------------------------------------------------ contents


def test_units_towns_and_credit_codes(session):
    towns = {
        u.code: u.name for u in session.scalars(select(Unit).where(Unit.kind == "street_town"))
    }
    assert towns == QINGPU_TOWNS
    district = session.scalar(select(Unit).where(Unit.name == "青浦区人民政府"))
    assert district is not None and district.tier == "district"
    names = set(session.scalars(select(Unit.name)))
    assert {"青浦区应急管理局", "青浦区水务局", "青浦区交通委员会"} <= names

    social = list(session.scalars(select(Unit).where(Unit.kind == "social_org")))
    assert len(social) >= 5
    for unit in social:
        assert validate_credit_code(unit.credit_code) == unit.credit_code
        assert unit.credit_code[:2] in {"51", "52", "53"}
        assert unit.credit_code[2:8] == "310118"
    enterprises = list(session.scalars(select(Unit).where(Unit.kind == "enterprise")))
    assert enterprises
    for unit in enterprises:
        assert unit.credit_code.startswith("91")
        validate_credit_code(unit.credit_code)
    for code in session.scalars(select(Unit.credit_code).where(Unit.credit_code.is_not(None))):
        validate_credit_code(code)


def test_materials_catalogue(session):
    materials = list(session.scalars(select(Material)))
    assert len(materials) >= 60
    assert {m.code[0] for m in materials} == {"1", "2", "3"}
    assert any(m.code.endswith("99") for m in materials)
    names = {m.name for m in materials}
    for needed in (
        "编织袋",
        "麻袋",
        "救生衣",
        "救生圈",
        "橡皮艇",
        "冲锋舟",
        "土工布",
        "潜水泵",
        "应急灯",
        "消防水带",
        "单帐篷",
        "棉被",
        "毛毯",
        "折叠床",
        "家庭应急包",
    ):
        assert needed in names, needed
    assert any(m.shelf_life_days is None for m in materials)
    assert any(m.needs_rotation for m in materials)
    assert sum(m.flood_control for m in materials) >= 15


def test_depots_holders_and_quotas(session):
    tiers = defaultdict(int)
    for depot in session.scalars(select(Depot)):
        tiers[depot.tier] += 1
    assert set(tiers) == set(DepotTier)
    assert tiers[DepotTier.STREET] >= 11 and tiers[DepotTier.DISTRICT] >= 2
    depot_ids = set(session.scalars(select(Depot.id)))
    holder_depots = set(session.scalars(select(Holder.depot_id).where(Holder.kind == "depot")))
    assert holder_depots == depot_ids
    team_holders = session.scalar(
        select(func.count()).select_from(Holder).where(Holder.kind == "team")
    )
    assert team_holders >= 5
    assert session.scalar(
        select(func.count()).select_from(Lot).join(Holder).where(Holder.kind == "team")
    )


def test_lots_in_every_expiry_band(session):
    bands = defaultdict(int)
    for expiry in session.scalars(
        select(Lot.expiry_date).where(Lot.on_hand > 0, Lot.expiry_date.is_not(None))
    ):
        days = (expiry - AS_OF).days
        band = (
            "expired"
            if days < 0
            else "30"
            if days <= 30
            else "90"
            if days <= 90
            else ("180" if days <= 180 else "later")
        )
        bands[band] += 1
    for band in ("expired", "30", "90", "180", "later"):
        assert bands[band] >= 3, dict(bands)


def test_ledger_equals_on_hand_and_never_negative(session):
    stmt = select(Movement.lot_id, func.sum(Movement.quantity)).group_by(Movement.lot_id)
    totals = dict(session.execute(stmt).tuples().all())
    lots = list(session.scalars(select(Lot)))
    for lot in lots:
        assert lot.id in totals, f"lot {lot.id} has no movements"
        assert Decimal(str(totals[lot.id])) == lot.on_hand, lot.batch_no
    running: dict[int, Decimal] = defaultdict(Decimal)
    for movement in session.scalars(select(Movement).order_by(Movement.moved_on, Movement.id)):
        assert movement.quantity != 0
        if movement.kind in POSITIVE:
            assert movement.quantity > 0
        if movement.kind in NEGATIVE:
            assert movement.quantity < 0
        running[movement.lot_id] += movement.quantity
        assert running[movement.lot_id] >= 0, movement.id
    kinds = set(session.scalars(select(Movement.kind).distinct()))
    assert {
        MovementKind.RECEIPT,
        MovementKind.ISSUE,
        MovementKind.TRANSFER_OUT,
        MovementKind.TRANSFER_IN,
        MovementKind.WRITE_OFF,
        MovementKind.ROTATION_OUT,
        MovementKind.ROTATION_IN,
        MovementKind.ADJUSTMENT,
    } <= kinds


def test_transfers_pair_same_batch_between_holders(session):
    pairs = defaultdict(list)
    stmt = select(Movement, Lot).join(Lot).where(Movement.transfer_ref.is_not(None))
    for movement, lot in session.execute(stmt):
        pairs[movement.transfer_ref].append((movement, lot))
    assert len(pairs) >= 10
    in_transit = set(  # dispatched allocation requests: the transfer-in is still to come
        session.scalars(
            select(AllocationLine.transfer_ref)
            .join(AllocationRequest)
            .where(AllocationRequest.state == RequestState.DISPATCHED)
        )
    )
    assert in_transit and all(len(pairs.pop(ref)) == 1 for ref in in_transit)
    for ref, legs in pairs.items():
        assert sorted(m.kind for m, _ in legs) == [
            MovementKind.TRANSFER_IN,
            MovementKind.TRANSFER_OUT,
        ], ref
        (m1, l1), (m2, l2) = legs
        assert m1.quantity + m2.quantity == 0
        assert m1.moved_on == m2.moved_on
        assert l1.material_id == l2.material_id and l1.batch_no == l2.batch_no
        assert l1.holder_id != l2.holder_id


def test_no_dates_after_as_of_where_history_is_meant(session):
    assert session.scalar(select(func.max(Movement.moved_on))) <= AS_OF
    assert session.scalar(select(func.max(Lot.last_inspected_on))) <= AS_OF
    assert session.scalar(select(func.max(Lot.production_date))) <= AS_OF
    assert session.scalar(select(func.max(PlanStatusChange.changed_on))) <= AS_OF
    assert session.scalar(select(func.max(PlanEvaluation.evaluated_on))) <= AS_OF
    assert session.scalar(select(func.max(Certificate.issued_on))) <= AS_OF
    assert session.scalar(select(func.max(CorrectiveAction.closed_on))) <= AS_OF


def test_phones_validate(session):
    phones = [
        *session.scalars(select(Unit.phone)),
        *session.scalars(select(Depot.keeper_phone)),
        *session.scalars(select(Team.duty_phone)),
        *session.scalars(select(Member.phone)),
    ]
    phones = [p for p in phones if p]
    assert len(phones) > 400
    for phone in phones:
        assert validate_phone(phone) == phone


def test_teams_members_certificates(session):
    teams = list(session.scalars(select(Team)))
    assert {t.kind for t in teams} == set(TeamKind)
    specialties = {s for t in teams if t.kind == TeamKind.PROFESSIONAL for s in t.specialties}
    assert {"防汛抢险", "交通运输", "建设工程", "水上救援", "危险化学品"} <= specialties
    social = [t for t in teams if t.kind == TeamKind.SOCIAL]
    assert len(social) >= 5
    for team in social:
        validate_credit_code(team.credit_code)
        assert team.agreement_no and team.agreement_expires_on
    assert any(t.agreement_expires_on < AS_OF for t in social)
    assert any(t.agreement_expires_on >= AS_OF for t in social)
    assert sum(t.kind == TeamKind.STREET for t in teams) == 11
    stmt = select(Member.team_id, func.count()).group_by(Member.team_id)
    per_team = dict(session.execute(stmt).tuples().all())
    assert set(per_team) == {t.id for t in teams}
    assert min(per_team.values()) >= 8 and max(per_team.values()) <= 25
    roles = set(session.scalars(select(Member.role)))
    assert {"队长", "副队长", "队员", "驾驶员", "医护"} <= roles
    expiries = list(session.scalars(select(Certificate.expires_on)))
    days = [(e - AS_OF).days for e in expiries if e is not None]
    assert any(d < 0 for d in days)
    assert any(0 <= d <= 30 for d in days)
    assert any(30 < d <= 90 for d in days)
    assert any(e is None for e in expiries)


def test_plans_lifecycle(session):
    plans = list(session.scalars(select(Plan)))
    assert len(plans) >= 20
    assert len({p.kind for p in plans}) >= 6
    statuses = {p.status for p in plans}
    assert statuses == set(PlanStatus)
    titles = " ".join(p.title for p in plans)
    for word in (
        "总体应急预案",
        "防汛防台",
        "轨道交通大客流",
        "危险化学品",
        "极端天气",
        "地震",
        "进口博览会",
    ):
        assert word in titles, word
    assert any(p.flood_related for p in plans)
    assert any(p.holder_class == "high_risk" for p in plans)
    assert any(p.holder_class == "town_production_safety" for p in plans)
    late = [p for p in plans if p.filed_on and (p.filed_on - p.published_on).days > 28]
    on_time = [p for p in plans if p.filed_on and (p.filed_on - p.published_on).days <= 20]
    assert late and on_time
    for plan in plans:
        changes = list(
            session.scalars(
                select(PlanStatusChange)
                .where(PlanStatusChange.plan_id == plan.id)
                .order_by(PlanStatusChange.changed_on, PlanStatusChange.id)
            )
        )
        assert changes, plan.code
        previous = None
        for change in changes:
            assert change.from_status == previous
            previous = change.to_status
        assert previous == plan.status, plan.code
        assert plan.current_version == plan.revisions[-1].version
    stmt = select(PlanEvaluation.plan_id, func.max(PlanEvaluation.evaluated_on)).group_by(
        PlanEvaluation.plan_id
    )
    last_eval = dict(session.execute(stmt).tuples().all())
    assert any((AS_OF - day).days > 3 * 365 for day in last_eval.values())


def test_drills_findings_and_recurrence(session):
    drills = list(session.scalars(select(Drill).order_by(Drill.starts_at)))
    assert 15 <= len(drills) <= 25
    assert {d.form for d in drills} == {"tabletop", "live"}
    statuses = {d.status for d in drills}
    assert {
        DrillStatus.EVALUATED,
        DrillStatus.CONDUCTED,
        DrillStatus.PLANNED,
        DrillStatus.CANCELLED,
    } <= statuses
    for drill in drills:
        assert drill.plans, drill.code
        assert drill.participants, drill.code
        assert drill.starts_at.weekday() < 5 and 8 <= drill.starts_at.hour <= 17
        if drill.status in (DrillStatus.CONDUCTED, DrillStatus.EVALUATED):
            assert drill.ends_at.date() < AS_OF
        if drill.status == DrillStatus.EVALUATED:
            assert drill.score is not None and drill.evaluation_summary
            assert drill.ends_at.date() <= drill.evaluated_on <= AS_OF
        if drill.status in (DrillStatus.PLANNED, DrillStatus.PREPARING) and not drill.rrule:
            assert drill.starts_at.date() > AS_OF
    assert any(d.flood_related and d.starts_at.date() < AS_OF for d in drills)
    actions = list(session.scalars(select(CorrectiveAction)))
    assert {a.status for a in actions} == {"open", "in_progress", "closed"}
    assert all((a.status == "closed") == (a.closed_on is not None) for a in actions)
    assert any(a.status != "closed" and a.due_on < AS_OF for a in actions)

    recurring = [d for d in drills if d.rrule]
    assert len(recurring) == 1
    series = recurring[0]
    occurrences = list(rrulestr(series.rrule, dtstart=series.starts_at))
    assert occurrences[0] == series.starts_at
    moves = list(session.scalars(select(DrillOccurrenceMove)))
    assert moves and all(m.original_start in occurrences for m in moves)


def test_competition_ranks(session):
    competition = session.scalar(select(Competition))
    assert competition is not None
    assert competition.year == competition.held_on.year
    assert competition.held_on <= AS_OF and (AS_OF - competition.held_on).days < 366
    events = list(session.scalars(select(CompetitionEvent).order_by(CompetitionEvent.seq)))
    assert {e.kind for e in events} == {"individual", "team"}
    assert {"理论考试", "心肺复苏", "破拆与支撑", "水上救援", "绳索救援"} <= {
        e.name for e in events
    }
    social_ids = set(session.scalars(select(Team.id).where(Team.kind == "social")))
    for event in events:
        entries = list(
            session.scalars(select(CompetitionEntry).where(CompetitionEntry.event_id == event.id))
        )
        assert social_ids <= {e.team_id for e in entries}
        values = []
        for entry in entries:
            value = entry.score if event.scoring == Scoring.POINTS else entry.time_seconds
            assert (value is None) == (entry.rank is None)
            if value is not None:
                key = -value if event.scoring == Scoring.POINTS else value
                values.append((key, entry.rank))
        values.sort()
        assert values[0][1] == 1
        for (key_a, rank_a), (key_b, rank_b) in itertools.pairwise(values):
            assert rank_a <= rank_b
            assert (rank_a == rank_b) == (key_a == key_b)


def test_run_checks_finds_nothing(session):
    from drillplan.stock.check import run_checks

    assert run_checks(session) == []


# -------------------------------------------------------------- determinism


def test_same_as_of_same_fingerprint(tmp_path, demo, session):
    first, counts_a = _fresh_fingerprint(tmp_path / "a.sqlite3", AS_OF)
    second, counts_b = _fresh_fingerprint(tmp_path / "b.sqlite3", AS_OF)
    assert first == second == fingerprint(session)
    assert counts_a == counts_b
    other, counts_c = _fresh_fingerprint(tmp_path / "c.sqlite3", AS_OF + dt.timedelta(days=7))
    assert other != first
    assert counts_c == counts_a  # the same rows, a week later


def test_conflict_without_reset_and_reset_reloads(tmp_path):
    db = open_db(tmp_path / "r.sqlite3")
    try:
        with db.session() as session:
            load_demo(session, as_of=AS_OF)
            session.add(Setting(key="ui.language", value="zh"))
            session.add(Holiday(day=dt.date(2027, 10, 8), name="国庆节调休", is_workday=True))
            unit_id = session.scalar(select(Unit.id).where(Unit.code == "310118-YJJ"))
            session.add(
                User(username="admin", display_name="管理员", role="admin", unit_id=unit_id)
            )
        with db.session() as session:
            expected = fingerprint(session)
            with pytest.raises(Conflict) as excinfo:
                load_demo(session, as_of=AS_OF)
        assert "reset" in str(excinfo.value)
        with db.session() as session:
            session.execute(Material.__table__.update().values(name="改过的名称"))
        with db.session() as session:
            summary = load_demo(session, as_of=AS_OF, reset=True)
        assert summary.counts["lot"] > 0
        with db.session() as session:
            assert fingerprint(session) == expected
            assert session.get(Setting, "ui.language").value == "zh"
            assert session.get(Holiday, dt.date(2027, 10, 8)) is not None
            admin = session.scalar(select(User).where(User.username == "admin"))
            assert admin is not None and admin.unit_id is None
    finally:
        db.close()


def test_loads_on_every_backend(db):
    """SQLite, and PostgreSQL when configured: same rows, ids that later inserts continue."""
    from drillplan.stock.check import run_checks

    with db.session() as session:
        load_demo(session, as_of=AS_OF)
    with db.session() as session:
        assert run_checks(session) == []
        first = fingerprint(session)
    with db.session() as session:
        load_demo(session, as_of=AS_OF, reset=True)
    with db.session() as session:
        assert fingerprint(session) == first
        top = session.scalar(select(func.max(Unit.id)))
        unit = Unit(code="NEW-UNIT", name="新单位", kind="department", tier="district")
        session.add(unit)
        session.flush()
        assert unit.id == top + 1


def test_allocation_requests_in_every_state(session):
    states = set(session.scalars(select(AllocationRequest.state)))
    assert states == set(RequestState)
    received = session.scalars(
        select(AllocationRequest).where(AllocationRequest.state == RequestState.RECEIVED)
    ).one()
    line = received.lines[0]
    assert line.received_qty == line.dispatched_qty - 1 and received.receipt_note
    reserved = session.scalars(select(Reservation).where(Reservation.active.is_(True))).all()
    assert {r.line.request.state for r in reserved} == {
        RequestState.APPROVED,
        RequestState.PARTLY_APPROVED,
    }
