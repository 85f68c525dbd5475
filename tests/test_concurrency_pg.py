"""Two clients at once on a real PostgreSQL: no lost updates, no negative stock, refreshes.

Runs only with DRILLPLAN_TEST_DATABASE_URL (``.ci/run`` starts PostgreSQL and sets it).
Each thread is one client with its own sessions, as two PCs of the office would be.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text

from drillplan.auth.changes import ChangeWatcher
from drillplan.auth.conflicts import EditConflict, save_or_conflict
from drillplan.auth.context import bind_actor
from drillplan.auth.login import login
from drillplan.auth.users import LoginFailed, get_user
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from drillplan.db.models import AuditLog, Lot, Movement, Plan
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import MovementKind
from drillplan.plans import register
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from tests.conftest import PG_URL, reset_postgres
from tests.support.org import PASSWORDS, TODAY, actor_of, build_org

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (a PostgreSQL server)"
)

ISSUES_PER_CLIENT = 500


@pytest.fixture
def pg() -> Iterator[Database]:
    assert PG_URL is not None
    reset_postgres(PG_URL)
    engine = make_engine(PG_URL)
    migrate.upgrade(engine)
    engine.dispose()
    database = open_db(PG_URL)
    yield database
    database.close()


def _client(username: str) -> Database:
    """A second client: its own engine and connections, logged in as ``username``."""
    assert PG_URL is not None
    database = open_db(PG_URL)
    login(database, username, PASSWORDS[username])
    return database


def _in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads started together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # handed back to the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


# ----------------------------------------------------------------------------- edits


def test_concurrent_edits_of_one_plan_one_wins_one_conflicts_nothing_lost(pg: Database) -> None:
    org = build_org(pg)
    bind_actor(pg, actor_of(pg, "district"))
    with pg.session() as session:
        plan = register.create_plan(
            session,
            code="QP-YA-01",
            title="青浦区防汛防台专项应急预案",
            kind="special",
            category="natural",
            owner_unit_id=org.district,
            on=TODAY,
            today=TODAY,
        )
        plan_id, loaded = plan.id, plan.row_version
    clients = {"district": _client("district"), "yjj_admin": _client("admin")}
    edits = {
        "district": {"title": "青浦区防汛防台专项应急预案（2025年修订稿）"},
        "yjj_admin": {"notes": "补充轨交大客流联动内容"},
    }
    hold = threading.Event()

    def save(name: str) -> Callable[[], Plan]:
        def run() -> Plan:
            db = clients[name]
            with db.session() as session:
                saved = save_or_conflict(
                    session,
                    Plan,
                    plan_id,
                    expected_version=loaded,  # both editors opened version 1
                    attempted=edits[name],
                    save=lambda: register.update_plan(
                        session, plan_id=plan_id, expected_version=loaded, **edits[name]
                    ),
                )
                hold.wait(0.3)  # keep the row locked a moment: the other save overlaps
                return saved

        return run

    results = dict(zip(edits, _in_parallel(save("district"), save("yjj_admin")), strict=True))
    winners = [n for n, r in results.items() if isinstance(r, Plan)]
    losers = [n for n, r in results.items() if isinstance(r, EditConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    winner, loser = winners[0], losers[0]
    conflict: EditConflict = results[loser]
    # the conflict dialog gets both versions: the database's (the winner's) and the user's
    assert conflict.expected_version == loaded and conflict.current_version == loaded + 1
    assert conflict.current is not None
    for key, value in edits[winner].items():
        assert conflict.current[key] == value
    assert conflict.attempted == edits[loser]
    assert [d.field for d in conflict.differences()] == list(edits[loser])
    assert "已被他人修改" in str(conflict)
    # nothing lost: the loser re-applies on the current version
    with clients[loser].session() as session:
        register.update_plan(
            session,
            plan_id=plan_id,
            expected_version=conflict.current_version or 0,
            **edits[loser],
        )
    with pg.session() as session:
        final = session.get_one(Plan, plan_id)
        assert final.title == {**edits["district"], **edits["yjj_admin"]}["title"]
        assert final.notes == edits["yjj_admin"]["notes"]
        assert final.row_version == loaded + 2
        updates = session.scalars(
            select(AuditLog).where(AuditLog.action == "plan.update").order_by(AuditLog.id)
        ).all()
    assert [e.username for e in updates] == [
        "district" if winner == "district" else "admin",
        "district" if loser == "district" else "admin",
    ]
    for client in clients.values():
        client.close()


def test_stale_orm_save_becomes_a_conflict_with_both_versions(pg: Database) -> None:
    org = build_org(pg)
    a, b = _client("district"), _client("keeper1")
    with a.session() as session:
        lot = session.get_one(Lot, org.lot1)
        lot_version = lot.row_version
    with a.session() as sa, b.session() as sb:
        mine = sa.get_one(Lot, org.lot1)
        theirs = sb.get_one(Lot, org.lot1)
        mine.location = "A区-01"
        sa.commit()
        theirs.location = "B区-07"
        with pytest.raises(EditConflict) as err:
            save_or_conflict(
                sb,
                Lot,
                org.lot1,
                expected_version=lot_version,
                attempted={"location": "B区-07"},
                save=sb.flush,
            )
        sb.rollback()
    assert err.value.current is not None and err.value.current["location"] == "A区-01"
    assert err.value.attempted == {"location": "B区-07"}
    a.close()
    b.close()


# ----------------------------------------------------------------------------- ledger


@dataclass
class IssueTally:
    issued: Decimal = Decimal(0)
    successes: int = 0
    refused: int = 0
    requested: Decimal = Decimal(0)
    errors: list[BaseException] = field(default_factory=list)


def _issue_many(db: Database, org: Any, seed: int) -> IssueTally:
    rng = random.Random(seed)
    tally = IssueTally()
    for _ in range(ISSUES_PER_CLIENT):
        qty = Decimal(rng.randint(1, 3))
        tally.requested += qty
        try:
            with db.session() as session:
                ledger.issue(
                    session,
                    holder_id=org.holder1,
                    material_id=org.material,
                    quantity=qty,
                    on=TODAY,
                    today=TODAY,
                    operator=f"client-{seed}",
                )
        except ValidationError as exc:
            assert exc.field == "quantity", exc  # insufficient stock, and nothing else
            tally.refused += 1
        except Exception as exc:  # a deadlock or anything else fails the test
            tally.errors.append(exc)
        else:
            tally.issued += qty
            tally.successes += 1
    return tally


def test_two_clients_issuing_500_times_each_from_the_same_lots(pg: Database) -> None:
    org = build_org(pg)
    bind_actor(pg, actor_of(pg, "keeper1"))
    with pg.session() as session:  # three lots at the street depot: 100 + 400 + 500
        for batch, qty, expiry in (("LJ-2", 400, 2029), ("LJ-3", 500, 2031)):
            ledger.receive(
                session,
                holder_id=org.holder1,
                material_id=org.material,
                quantity=qty,
                on=TODAY,
                batch_no=batch,
                expiry_date=dt.date(expiry, 1, 1),
                today=TODAY,
            )
    received = Decimal(1000)
    clients = [_client("keeper1"), _client("district")]
    tallies: list[IssueTally] = _in_parallel(
        *(lambda db=db, seed=seed: _issue_many(db, org, seed) for seed, db in enumerate(clients))
    )
    for client in clients:
        client.close()
    assert all(isinstance(t, IssueTally) for t in tallies), tallies
    assert [t.errors for t in tallies] == [[], []]
    issued = sum((t.issued for t in tallies), Decimal(0))
    assert sum((t.requested for t in tallies), Decimal(0)) > received  # some had to be refused
    assert all(t.successes > 0 for t in tallies)
    assert sum(t.refused for t in tallies) > 0

    with pg.session() as session:
        lots = session.scalars(
            select(Lot).where(Lot.holder_id == org.holder1, Lot.material_id == org.material)
        ).all()
        on_hand = sum((Decimal(lot.on_hand) for lot in lots), Decimal(0))
        assert on_hand == received - issued
        assert all(lot.on_hand >= 0 for lot in lots)
        ledger_issued = session.scalar(
            select(func.sum(Movement.quantity))
            .join(Lot, Lot.id == Movement.lot_id)
            .where(Lot.holder_id == org.holder1, Movement.kind == MovementKind.ISSUE)
        )
        assert -Decimal(ledger_issued) == issued
        issue_moves = session.scalar(
            select(func.count()).select_from(Movement).where(Movement.kind == MovementKind.ISSUE)
        )
        issue_audits = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "stock.issue")
        )
        assert issue_moves == issue_audits >= sum(t.successes for t in tallies)
        spans = [
            session.execute(
                select(func.min(Movement.id), func.max(Movement.id)).where(
                    Movement.operator_note == f"client-{seed}"  # beside the logged-in user
                )
            ).one()
            for seed in (0, 1)
        ]
        assert spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1]  # really interleaved
        assert run_checks(session) == []


# ----------------------------------------------------------------------------- clients


def test_concurrent_wrong_passwords_are_all_counted(pg: Database) -> None:
    build_org(pg)
    clients = [open_db(PG_URL), open_db(PG_URL)]

    def fail_twice(db: Database) -> int:
        failures = 0
        for _ in range(2):
            try:
                login(db, "keeper1", "not-the-password")
            except LoginFailed:
                failures += 1
        return failures

    assert _in_parallel(*(lambda db=db: fail_twice(db) for db in clients)) == [2, 2]
    with pg.session() as session:
        assert get_user(session, "keeper1").failed_logins == 4
    for client in clients:
        client.close()


def test_a_client_notices_another_clients_change(pg: Database) -> None:
    org = build_org(pg)
    a, b = _client("keeper1"), _client("district")
    watcher = ChangeWatcher()
    with b.session() as session:
        assert not watcher.changed(session)
    with a.session() as session:
        session.get_one(Lot, org.lot1).location = "A区-02"
    with b.session() as session:
        assert watcher.changed(session)
    a.close()
    b.close()


def test_a_client_refuses_a_newer_schema(pg: Database) -> None:
    with pg.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrate.SchemaMismatch, match="9999") as err:
        open_db(PG_URL)
    assert "比本程序新" in str(err.value) and "newer" in str(err.value)
    assert migrate.current_revision(pg.engine) == "9999"  # and it did not touch it
