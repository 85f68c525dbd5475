"""The large components of readiness, added up in SQL: quota coverage (one line per depot x
material), lot expiry (one per lot in stock) and members' certificates (one per certificate).

A city holds a million lots and half a million quota lines: building one Python object per row
took 45 s and a gigabyte. Here the database adds them up per depot, holder or team
(:func:`tallies`, a few thousand rows), and the rows behind a figure are read only when
someone looks at them (:func:`problem_rows`: a scope, an order, a limit), each as the same
:class:`~drillplan.readiness.facts.Fact` the old row-by-row code made
(``tests/support/readiness_oracle.py`` keeps that code; the tests prove both agree).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Enum,
    Float,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from drillplan.db.models import (
    Certificate,
    Depot,
    Holder,
    Lot,
    Material,
    Member,
    Quota,
    Team,
    TierQuota,
)
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import Criticality, label
from drillplan.readiness.facts import ONE, ZERO, Fact, Tally
from drillplan.stock.coverage import CRITICALITY_WEIGHTS, QuotaLine, UnitTotal

LAZY = ("coverage", "expiry", "certificates")  # the components tallied here
ZERO_SQL = literal_column("0")  # "+ 0" written into the SQL (a bound 0 would not match GROUP BY)


@dataclass(frozen=True)
class Scope:
    """Where the problems of a score are: everything, a tier, a depot or a team."""

    tier: str | None = None
    depot_id: int | None = None
    team_id: int | None = None


def _lines(as_of: dt.date, session: Session | None = None) -> Any:
    """Every quota line (a depot's own quota, else its tier's) with its usable stock, as a
    subquery: the rules of :func:`drillplan.stock.coverage.quota_lines`, in SQL; within
    :func:`shared_lines` of ``session``, the temporary table those lines were written to."""
    if session is not None:
        shared = session.info.get((_SHARED, as_of))
        if shared is not None:
            return shared
    own = select(
        Quota.depot_id.label("depot_id"),
        Quota.material_id.label("material_id"),
        Quota.required_qty.label("required"),
        literal("depot").label("source"),
    )
    by_tier = (
        select(Depot.id, TierQuota.material_id, TierQuota.required_qty, literal("tier"))
        .join(TierQuota, TierQuota.tier == Depot.tier)
        .where(
            ~exists().where(Quota.depot_id == Depot.id, Quota.material_id == TierQuota.material_id)
        )
    )
    wanted = union_all(own, by_tier).subquery("wanted")
    # usable stock of each line: summed over the lot index (holder_id, material_id) line by
    # line (a city's 100,000 lines: 0.5 s), not by grouping all million lots first (2.8 s)
    usable = (
        select(func.sum(Lot.on_hand))
        .where(
            Lot.holder_id == Holder.id,
            Lot.material_id == wanted.c.material_id,
            Lot.on_hand > 0,
            func.coalesce(Lot.expiry_date, as_of) >= as_of,
        )
        .correlate(Holder, wanted)
        .scalar_subquery()
    )
    weight = case(
        *((Material.criticality == c.value, int(w)) for c, w in CRITICALITY_WEIGHTS.items()),
        else_=int(CRITICALITY_WEIGHTS[Criticality.GENERAL]),
    )
    return (
        select(
            wanted.c.depot_id,
            Depot.code.label("depot_code"),
            Depot.name.label("depot_name"),
            Depot.tier.label("tier"),
            wanted.c.material_id,
            Material.code.label("material_code"),
            Material.name.label("material_name"),
            Material.uom,
            Material.criticality,
            wanted.c.required,
            func.coalesce(usable, wanted.c.required * 0).label("usable"),
            wanted.c.source,
            weight.label("weight"),
        )
        .join(Depot, Depot.id == wanted.c.depot_id)
        .join(Material, Material.id == wanted.c.material_id)
        .outerjoin(Holder, Holder.depot_id == wanted.c.depot_id)
        .where(wanted.c.required > 0)
        .subquery("line")
    )


_SHARED = "readiness.quota_lines"


@contextmanager
def shared_lines(session: Session, *, as_of: dt.date) -> Iterator[None]:
    """Within it, every reader of the quota lines of ``as_of`` in ``session`` (the coverage
    tallies, the per-unit totals, the problem rows) reads them from one temporary table, filled
    once: a report that needs them three times computes the usable stock of a city's 100,000
    lines once, not three times. For a read-only transaction (a report): a change made inside
    would not be seen."""
    key = (_SHARED, as_of)
    if key in session.info:
        yield
        return
    lines = _lines(as_of)
    table = Table(
        f"tmp_quota_line_{uuid.uuid4().hex[:12]}",
        MetaData(),
        *(Column(c.name, String(24) if isinstance(c.type, Enum) else c.type) for c in lines.c),
        prefixes=["TEMPORARY"],
    )
    connection = session.connection()
    table.create(connection)
    try:
        connection.execute(table.insert().from_select(list(lines.c.keys()), select(lines)))
        session.info[key] = table.alias("line")
        yield
    finally:
        session.info.pop(key, None)
        table.drop(connection)


def _coverage_tallies(session: Session, as_of: dt.date) -> Iterator[Tally]:
    line = _lines(as_of, session)
    short = line.c.usable < line.c.required
    ratio = case(
        (short, cast(line.c.usable, Float) / cast(line.c.required, Float)), else_=literal(1.0)
    )
    rows = session.execute(
        select(
            line.c.depot_id,
            line.c.tier,
            func.sum(line.c.weight),
            func.sum(line.c.weight * ratio),
            func.sum(case((short, 1), else_=0)),
        ).group_by(line.c.depot_id, line.c.tier)
    )
    for depot_id, tier, weight, weighted, problems in rows:
        # the weighted sum in floating point: equal to the Decimal one in its first 12 digits
        good = Decimal(repr(float(weighted))) if problems else Decimal(int(weight))
        total = Decimal(int(weight))
        yield Tally("coverage", total, good, int(problems), depot_id, None, str(tier))


def unit_totals(session: Session, *, as_of: dt.date) -> tuple[UnitTotal, ...]:
    """The district's quota lines totalled per unit of measure, as
    ``coverage.district_total(coverage.quota_lines(...)).units`` gives them (the same Decimal
    arithmetic per line), from the lines as the database makes them: a city's 100,000 lines
    streamed, never its million lots as objects."""
    line = _lines(as_of, session)
    sums: dict[str, list[Any]] = {}
    result = session.execute(
        select(line.c.uom, line.c.required, line.c.usable, line.c.weight).execution_options(
            yield_per=5000
        )
    )
    for uom, required, usable, weight in result:
        required, usable, weight = Decimal(required), Decimal(usable), Decimal(int(weight))
        ratio = ONE if required <= 0 else min(usable / required, ONE)
        acc = sums.setdefault(uom, [ZERO, ZERO, ZERO, 0, 0, ZERO, ZERO])
        acc[0] += required
        acc[1] += min(usable, required)
        acc[2] += max(required - usable, ZERO)
        acc[3] += 1
        acc[4] += usable < required
        acc[5] += weight
        acc[6] += weight * ratio
    return tuple(UnitTotal(uom, *sums[uom]) for uom in sorted(sums))


def _holder_tier() -> Any:
    return func.coalesce(Depot.tier, Team.tier)


def _expiry_tallies(session: Session, as_of: dt.date, soon: dt.date) -> Iterator[Tally]:
    bad = and_(Lot.expiry_date.is_not(None), Lot.expiry_date <= soon)
    per_holder = (
        select(
            (Lot.holder_id + ZERO_SQL).label("holder_id"),  # a table scan, not an index walk
            func.count().label("lots"),
            func.sum(case((bad, 1), else_=0)).label("bad"),
        )
        .where(Lot.on_hand > 0)
        .group_by(Lot.holder_id + ZERO_SQL)
        .subquery("per_holder")
    )
    rows = session.execute(
        select(
            Holder.depot_id,
            Holder.team_id,
            _holder_tier(),
            per_holder.c.lots,
            per_holder.c.bad,
        )
        .select_from(per_holder)
        .join(Holder, Holder.id == per_holder.c.holder_id)
        .outerjoin(Depot, Depot.id == Holder.depot_id)
        .outerjoin(Team, Team.id == Holder.team_id)
    )
    for depot_id, team_id, tier, total, problems in rows:
        yield Tally(
            "expiry",
            Decimal(total),
            Decimal(total - problems),
            int(problems),
            depot_id,
            team_id,
            str(tier),
        )


def _certificate_tallies(session: Session, as_of: dt.date) -> Iterator[Tally]:
    expired = and_(Certificate.expires_on.is_not(None), Certificate.expires_on < as_of)
    rows = session.execute(
        select(Team.id, Team.tier, func.count(), func.sum(case((expired, 1), else_=0)))
        .select_from(Certificate)
        .join(Member, Member.id == Certificate.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(Member.active.is_(True))
        .group_by(Team.id, Team.tier)
    )
    for team_id, tier, total, problems in rows:
        yield Tally(
            "certificates",
            Decimal(total),
            Decimal(total - problems),
            int(problems),
            None,
            team_id,
            str(tier),
        )


def tallies(session: Session, *, as_of: dt.date, first_horizon: int) -> list[Tally]:
    soon = as_of + dt.timedelta(days=first_horizon)
    return [
        *_coverage_tallies(session, as_of),
        *_expiry_tallies(session, as_of, soon),
        *_certificate_tallies(session, as_of),
    ]


# ------------------------------------------------------------------- the rows behind a tally


def _coverage_fact(row: Any) -> Fact:
    line = QuotaLine(
        depot_id=row.depot_id,
        depot_code=row.depot_code,
        depot_name=row.depot_name,
        tier=str(row.tier),
        material_id=row.material_id,
        material_code=row.material_code,
        material_name=row.material_name,
        uom=row.uom,
        required=Decimal(row.required),
        usable=Decimal(row.usable),
        quota_source=row.source,
        criticality=Criticality(row.criticality),
    )
    weight = line.weight
    return Fact(
        "coverage",
        "quota",
        f"{line.depot_code}/{line.material_code}",
        f"{line.material_name} @ {line.depot_name}",
        weight,
        weight * line.ratio,
        f"缺口 {fmt_number(line.shortfall)} {line.uom}"
        f"（定额 {fmt_number(line.required)}，可用 {fmt_number(line.usable)}，"
        f"保障率 {line.coverage_pct:.1f}%，{label(line.criticality)}×{weight}）",
        depot_id=line.depot_id,
        tier=line.tier,
    )


def _coverage_rows(
    session: Session, as_of: dt.date, scope: Scope, worst_first: bool
) -> Select[Any]:
    line = _lines(as_of, session)
    stmt = select(line).where(line.c.usable < line.c.required)
    if scope.tier is not None:
        stmt = stmt.where(line.c.tier == scope.tier)
    if scope.depot_id is not None:
        stmt = stmt.where(line.c.depot_id == scope.depot_id)
    if scope.team_id is not None:
        stmt = stmt.where(literal(False))
    if worst_first:  # the points a line costs: weight x (1 - usable / required)
        lost = line.c.weight * (1 - cast(line.c.usable, Float) / cast(line.c.required, Float))
        return stmt.order_by(lost.desc(), line.c.depot_code, line.c.material_code)
    return stmt.order_by(line.c.depot_code, line.c.material_code)


def _expiry_rows(as_of: dt.date, soon: dt.date, scope: Scope, by_text: bool) -> Select[Any]:
    stmt = (
        select(
            Lot.id,
            Lot.batch_no,
            Lot.expiry_date,
            Material.name,
            Holder.depot_id,
            Holder.team_id,
            _holder_tier(),
            func.coalesce(Depot.name, Team.name),
        )
        .join(Material, Material.id == Lot.material_id)
        .join(Holder, Holder.id == Lot.holder_id)
        .outerjoin(Depot, Depot.id == Holder.depot_id)
        .outerjoin(Team, Team.id == Holder.team_id)
        .where(Lot.on_hand > 0, Lot.expiry_date.is_not(None), Lot.expiry_date <= soon)
    )
    if scope.tier is not None:
        stmt = stmt.where(_holder_tier() == scope.tier)
    if scope.depot_id is not None:
        stmt = stmt.where(Holder.depot_id == scope.depot_id)
    if scope.team_id is not None:
        stmt = stmt.where(Holder.team_id == scope.team_id)
    return stmt.order_by(cast(Lot.id, String) if by_text else Lot.id)


def _expiry_fact(row: Any, as_of: dt.date) -> Fact:
    lot_id, batch, expiry, name, depot_id, team_id, tier, holder = row
    if expiry < as_of:
        problem = f"已于 {expiry} 过期"
    else:
        problem = f"{(expiry - as_of).days} 天后到期（{expiry}）"
    return Fact(
        "expiry",
        "lot",
        lot_id,
        f"{name} 批次 {batch} @ {holder}",
        ONE,
        ZERO,
        problem,
        depot_id=depot_id,
        team_id=team_id,
        tier=str(tier),
    )


def _certificate_rows(as_of: dt.date, scope: Scope, by_text: bool) -> Select[Any]:
    stmt = (
        select(
            Certificate.id,
            Certificate.cert_type,
            Certificate.expires_on,
            Member.name,
            Team.id,
            Team.tier,
            Team.name,
        )
        .join(Member, Member.id == Certificate.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(
            Member.active.is_(True),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on < as_of,
        )
    )
    if scope.tier is not None:
        stmt = stmt.where(Team.tier == scope.tier)
    if scope.team_id is not None:
        stmt = stmt.where(Team.id == scope.team_id)
    if scope.depot_id is not None:
        stmt = stmt.where(literal(False))
    return stmt.order_by(cast(Certificate.id, String) if by_text else Certificate.id)


def _certificate_fact(row: Any) -> Fact:
    cert_id, cert_type, expires_on, member, team_id, tier, team_name = row
    return Fact(
        "certificates",
        "certificate",
        cert_id,
        f"{team_name} {member} {cert_type}",
        ONE,
        ZERO,
        f"证书已于 {expires_on} 过期",
        team_id=team_id,
        tier=str(tier),
    )


def problem_rows(
    session: Session,
    component: str,
    scope: Scope,
    *,
    as_of: dt.date,
    first_horizon: int,
    limit: int | None = None,
    worst_first: bool = False,
) -> Iterator[Fact]:
    """The problem facts of ``component`` within ``scope``, in the order the row-by-row code
    listed them (or, with ``worst_first``, in the order "what to fix first" ranks them), at
    most ``limit``; read in batches, never all at once."""
    if component == "coverage":
        stmt = _coverage_rows(session, as_of, scope, worst_first)
        make = _coverage_fact
    elif component == "expiry":
        soon = as_of + dt.timedelta(days=first_horizon)
        stmt = _expiry_rows(as_of, soon, scope, worst_first)
        make = lambda row: _expiry_fact(row, as_of)  # noqa: E731
    elif component == "certificates":
        stmt = _certificate_rows(as_of, scope, worst_first)
        make = _certificate_fact
    else:
        raise ValueError(component)
    if limit is not None:  # a few rows: read them at once (no cursor left open)
        return iter([make(row) for row in session.execute(stmt.limit(limit))])
    return _stream(session, stmt, make)


def _stream(session: Session, stmt: Select[Any], make: Any) -> Iterator[Fact]:
    # in batches; closed when the reader stops early too (on PostgreSQL a server-side cursor
    # would otherwise hold its transaction and locks open)
    result = session.execute(stmt.execution_options(yield_per=2000))
    try:
        for row in result:
            yield make(row)
    finally:
        result.close()
