"""Two approvers at once on PostgreSQL: the same lots are never reserved twice, stock never
goes negative. Runs only with DRILLPLAN_TEST_DATABASE_URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from drillplan.auth.context import bind_actor
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from drillplan.db.models import AllocationRequest, Lot, Reservation
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import RequestState
from drillplan.requests import steps
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from tests.conftest import PG_URL, reset_postgres
from tests.support.org import TODAY, actor_of, build_org
from tests.test_concurrency_pg import _client, _in_parallel

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (a PostgreSQL server)"
)


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


def test_two_approvers_of_the_same_lots_never_double_reserve(pg: Database) -> None:
    org = build_org(pg)
    bind_actor(pg, actor_of(pg, "district"))
    ids = []
    with pg.session() as session:
        for _ in range(2):  # each asks 70 of the 100 life jackets: alone, each is fine
            request = steps.create_request(
                session,
                requester_holder_id=org.holder2,
                holder_id=org.holder1,
                purpose="应急响应",
                needed_by=TODAY,
                lines=[{"material_id": org.material, "quantity": 70}],
                today=TODAY,
            )
            ids.append(request.id)
    clients = [_client("district"), _client("admin")]
    started = threading.Barrier(2)

    def approve(i: int) -> Callable[[], object]:
        def run() -> object:
            with clients[i].session() as session:
                started.wait()
                request = steps.approve(session, request_id=ids[i], today=TODAY)
                threading.Event().wait(0.3)  # hold the locks: the other approval overlaps
                return request.state

        return run

    results = _in_parallel(approve(0), approve(1))
    approved = [r for r in results if r is RequestState.APPROVED]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert refused[0].field == "approved_quantity"
    with pg.session() as session:
        reserved = session.scalar(
            select(func.sum(Reservation.quantity)).where(Reservation.active.is_(True))
        )
        assert reserved == 70
        states = sorted(str(s) for s in session.scalars(select(AllocationRequest.state)))
        assert states == ["approved", "requested"]
        assert run_checks(session) == []

    # an ordinary issue and a dispatch at once: the issue cannot take the reserved 70
    winner = ids[results.index(RequestState.APPROVED)]

    def dispatch() -> object:
        with clients[0].session() as session:
            return steps.dispatch(session, request_id=winner, on=TODAY, today=TODAY)

    def issue() -> object:
        with clients[1].session() as session:
            return ledger.issue(
                session,
                holder_id=org.holder1,
                material_id=org.material,
                quantity=31,
                on=TODAY,
                today=TODAY,
            )

    first, second = _in_parallel(dispatch, issue)
    assert not isinstance(first, Exception), first
    assert isinstance(second, ValidationError) and second.field == "quantity"
    with pg.session() as session:
        assert Decimal(session.get_one(Lot, org.lot1).on_hand) == 30
        assert run_checks(session) == []
    for client in clients:
        client.close()
    bind_actor(pg, None)
