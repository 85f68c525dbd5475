"""Data scopes of the small shared-mode district (tests/support/org.py)."""

from __future__ import annotations

from drillplan.db.database import Database
from tests.support.org import actor, build_org


def test_org_scopes(db: Database) -> None:
    org = build_org(db)
    with db.session() as session:
        district, keeper, yjj = (actor(session, n) for n in ("district", "keeper1", "yjj"))
    assert district.scope_unit_ids == {org.district, org.yjj, org.s1, org.s2}
    assert keeper.scope_unit_ids == {org.s1}
    assert yjj.scope_unit_ids == {org.yjj}
    assert district.district_level and yjj.district_level and not keeper.district_level
