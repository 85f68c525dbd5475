"""Users and roles: password hashing, lockout, and role and data scope enforced in the core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.auth import passwords, users
from drillplan.auth.context import act_as, bind_actor, local_actor, require_login
from drillplan.auth.login import login, needs_login, set_login_required, start_unattended
from drillplan.auth.users import MAX_FAILED_LOGINS, AccountLocked, LoginFailed
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Material, Movement, Plan, Unit, User
from drillplan.kernel.errors import PermissionDenied, ValidationError
from drillplan.kernel.vocab import Role
from drillplan.plans import register
from drillplan.stock import ledger
from drillplan.stock.bulk import ReceiptRow, receive_batch
from drillplan.stock.check import run_checks
from tests import factories as f
from tests.support.org import PASSWORDS, TODAY, actor_of, build_org

NOW = dt.datetime(2025, 6, 1, 9, 0)


def _plan(session: Session, unit_id: int, code: str = "YA-1") -> Plan:
    return register.create_plan(
        session,
        code=code,
        title="防汛防台专项应急预案",
        kind="special",
        category="natural",
        owner_unit_id=unit_id,
        on=TODAY,
        today=TODAY,
    )


def _counts(db: Database) -> tuple[int, ...]:
    with db.session() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Plan, Lot, Movement, Unit, User)
        )


def _denied(db: Database, username: str, call: Callable[[Session], Any], *words: str) -> str:
    """``call`` as ``username`` is refused with PermissionDenied and changes nothing."""
    before = _counts(db)
    bind_actor(db, actor_of(db, username))
    with pytest.raises(PermissionDenied) as err, db.session() as session:
        call(session)
    bind_actor(db, None)
    assert _counts(db) == before
    for word in words:
        assert word in str(err.value)
    return str(err.value)


# ----------------------------------------------------------------------------- passwords


def test_password_is_stored_as_a_salted_argon2id_hash(db: Database) -> None:
    with db.session() as session:
        users.create_user(session, username="zhang", password="s3cret-pass", role="admin")
    with db.session() as session:
        stored = session.scalars(select(User.password_hash)).one()
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "user.create")).one()
    assert stored is not None and stored.startswith("$argon2id$")
    assert "s3cret-pass" not in stored
    assert "m=65536" in stored  # memory-hard: 64 MiB
    assert passwords.verify_password(stored, "s3cret-pass")
    assert not passwords.verify_password(stored, "s3cret-pasS")
    assert not passwords.verify_password(None, "s3cret-pass")
    assert not passwords.verify_password("not a hash", "s3cret-pass")
    assert passwords.hash_password("s3cret-pass") != stored  # a fresh salt every time
    assert entry.after is not None and entry.after["password_hash"] == "<redacted>"


@pytest.mark.parametrize("bad", ["short", "zhangsan", "aaaaaaaaaa"])
def test_weak_passwords_are_refused(db: Database, bad: str) -> None:
    with pytest.raises(ValidationError) as err, db.session() as session:
        users.create_user(session, username="zhangsan", password=bad, role="viewer")
    assert err.value.field == "password"


def test_wrong_password_lockout_and_admin_reset(db: Database) -> None:
    build_org(db)
    for attempt in range(1, MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed) as err:
            login(db, "keeper1", "wrong-password", now=NOW)
        assert not isinstance(err.value, AccountLocked)
        with db.session() as session:  # the failure was committed although login raised
            assert users.get_user(session, "keeper1").failed_logins == attempt
    with pytest.raises(AccountLocked) as locked:
        login(db, "keeper1", "wrong-password", now=NOW)
    assert locked.value.locked_until == NOW + users.LOCKOUT
    assert "锁定" in str(locked.value) and "09:15" in str(locked.value)
    # locked: even the right password is refused until the lock ends
    with pytest.raises(AccountLocked):
        login(db, "keeper1", PASSWORDS["keeper1"], now=NOW + dt.timedelta(minutes=14))
    result = login(db, "keeper1", PASSWORDS["keeper1"], now=NOW + dt.timedelta(minutes=16))
    assert result.ok and result.actor is not None and result.actor.role == Role.EDITOR
    with db.session() as session:
        user = users.get_user(session, "keeper1")
        assert (user.failed_logins, user.locked_until) == (0, None)
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.action.startswith("auth.")).order_by(AuditLog.id)
        ).all()
    assert actions == ["auth.login_failed"] * 4 + ["auth.locked", "auth.login"]

    # locked again, then an administrator resets the password: lock lifted, change required
    bind_actor(db, None)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            login(db, "keeper1", "wrong-password", now=NOW)
    login(db, "admin", PASSWORDS["admin"], now=NOW)
    with db.session() as session:
        temporary = users.reset_password(session, username="keeper1")
    result = login(db, "keeper1", temporary, now=NOW)
    assert result.must_change_password
    with db.session() as session:
        users.change_password(
            session, username="keeper1", old_password=temporary, new_password="brand-new-pass"
        )
    assert not login(db, "keeper1", "brand-new-pass", now=NOW).must_change_password


def test_unknown_and_disabled_users_get_the_same_message(db: Database) -> None:
    build_org(db)
    with pytest.raises(LoginFailed) as unknown:
        login(db, "nobody", "whatever-pass")
    login(db, "admin", PASSWORDS["admin"])
    with db.session() as session:
        users.set_active(session, username="keeper1", active=False)
    with pytest.raises(LoginFailed) as disabled:
        login(db, "keeper1", PASSWORDS["keeper1"])
    assert str(unknown.value) == str(disabled.value)


def test_only_an_admin_resets_passwords(db: Database) -> None:
    build_org(db)
    login(db, "district", PASSWORDS["district"])
    with pytest.raises(PermissionDenied, match="管理员"), db.session() as session:
        users.reset_password(session, username="keeper1")
    with pytest.raises(PermissionDenied), db.session() as session:  # the guard says so too
        users.get_user(session, "keeper1").password_hash = passwords.hash_password("x-y-z-1234")


def test_the_last_admin_cannot_be_disabled(db: Database) -> None:
    build_org(db)
    login(db, "admin", PASSWORDS["admin"])
    with pytest.raises(ValidationError), db.session() as session:
        users.set_active(session, username="admin", active=False)
    with pytest.raises(ValidationError), db.session() as session:
        users.update_user(session, username="admin", role="editor", unit_id=None)


# ----------------------------------------------------------------------------- roles and scope


def test_viewer_writes_nothing(db: Database) -> None:
    org = build_org(db)
    _denied(db, "viewer", lambda s: _plan(s, org.s1), "只读", "viewer")
    _denied(
        db,
        "viewer",
        lambda s: ledger.issue(
            s, holder_id=org.holder1, material_id=org.material, quantity=1, on=TODAY, today=TODAY
        ),
        "只读",
    )
    _denied(db, "viewer", lambda s: settings.set_value(s, "action_due_days", 30), "viewer")


def test_out_of_scope_editor_is_refused_in_the_core(db: Database) -> None:
    org = build_org(db)
    issue = {"material_id": org.material, "quantity": 1, "on": TODAY, "today": TODAY}
    text = _denied(db, "keeper1", lambda s: _plan(s, org.s2), "单位310118002", "keeper1")
    assert "单位310118001" in text  # names the user's own unit too
    _denied(db, "keeper1", lambda s: ledger.issue(s, holder_id=org.holder2, **issue))
    _denied(
        db,
        "keeper1",
        lambda s: ledger.transfer(
            s,
            from_holder_id=org.holder1,
            to_holder_id=org.holder2,
            material_id=org.material,
            quantity=1,
            on=TODAY,
            today=TODAY,
        ),
    )
    _denied(
        db,
        "keeper1",
        lambda s: receive_batch(
            s,
            [
                ReceiptRow(
                    org.holder2, org.material, "LJ-9", 5, TODAY, expiry_date=TODAY.replace(2030)
                )
            ],
            today=TODAY,
        ),
        "库存",
    )
    # in scope: allowed, and the district editor reaches every street below it
    bind_actor(db, actor_of(db, "keeper1"))
    with db.session() as session:
        own = _plan(session, org.s1, "YA-S1")
        ledger.issue(session, holder_id=org.holder1, **issue)
    bind_actor(db, actor_of(db, "district"))
    with db.session() as session:
        _plan(session, org.s2, "YA-S2")
        ledger.issue(session, holder_id=org.holder2, **issue)
        receive_batch(
            session,
            [
                ReceiptRow(
                    org.holder2, org.material, "LJ-9", 5, TODAY, expiry_date=TODAY.replace(2030)
                )
            ],
            today=TODAY,
        )
        assert run_checks(session) == []
    # a street editor may not move its plan to another street (both sides must be in scope)
    _denied(
        db,
        "keeper1",
        lambda s: register.update_plan(
            s, plan_id=own.id, expected_version=own.row_version, owner_unit_id=org.s2
        ),
    )
    # nor edit the district's rows directly, bypassing the core functions
    plan_id = own.id
    _denied(db, "yjj", lambda s: setattr(s.get_one(Plan, plan_id), "title", "改"), "不在其数据范围")


def test_admin_only_and_district_level_tables(db: Database) -> None:
    org = build_org(db)
    _denied(db, "district", lambda s: f.unit(s, "NEW"), "管理员")
    _denied(
        db,
        "district",
        lambda s: users.create_user(s, username="li", password="li-password-1", role="viewer"),
    )
    _denied(db, "keeper1", lambda s: f.material(s, "2010102"), "区级")
    bind_actor(db, actor_of(db, "yjj"))  # a district department edits the catalogue
    with db.session() as session:
        f.material(session, "2010102")
        session.get_one(Material, org.material).name = "救生衣（成人）"
    bind_actor(db, actor_of(db, "admin"))
    with db.session() as session:
        f.unit(session, "NEW")


def test_bulk_statements_need_an_administrator(db: Database) -> None:
    build_org(db)
    _denied(db, "district", lambda s: s.execute(update(Plan).values(title="x")), "批量")
    _denied(db, "district", lambda s: s.execute(delete(Lot)), "Bulk")
    bind_actor(db, actor_of(db, "admin"))
    with db.session() as session:
        session.execute(update(User).values(display_name="改名"))


def test_the_audit_log_cannot_be_changed_by_anyone(db: Database) -> None:
    build_org(db)
    for who in (None, "admin"):
        bind_actor(db, actor_of(db, who) if who else None)
        with pytest.raises(PermissionDenied, match="审计日志"), db.session() as session:
            session.scalars(select(AuditLog)).first().action = "forged"  # type: ignore[union-attr]
        with pytest.raises(PermissionDenied, match="审计日志"), db.session() as session:
            session.delete(session.scalars(select(AuditLog)).first())
        with pytest.raises(PermissionDenied, match="审计日志"), db.session() as session:
            act_as(session, actor_of(db, "admin"))
            session.execute(delete(AuditLog))


def test_a_shared_database_refuses_writes_before_login(db: Database) -> None:
    org = build_org(db)
    require_login(db)
    with pytest.raises(PermissionDenied, match="登录"), db.session() as session:
        _plan(session, org.s1)
    with pytest.raises(LoginFailed):  # login bookkeeping is still written
        login(db, "keeper1", "wrong-password")
    with db.session() as session:
        assert users.get_user(session, "keeper1").failed_logins == 1
    login(db, "keeper1", PASSWORDS["keeper1"])
    with db.session() as session:
        _plan(session, org.s1)


def test_own_password_change_by_a_viewer(db: Database) -> None:
    build_org(db)
    login(db, "viewer", PASSWORDS["viewer"])
    with db.session() as session:
        users.change_password(
            session,
            username="viewer",
            old_password=PASSWORDS["viewer"],
            new_password="viewer-new-pass",
        )
    with pytest.raises(PermissionDenied), db.session() as session:  # but nobody else's
        users.get_user(session, "keeper1").must_change_password = True


def test_single_user_sqlite_needs_no_login_until_turned_on(db: Database) -> None:
    if not db.is_sqlite:
        assert needs_login(db)
        return
    assert not needs_login(db)
    assert start_unattended(db) is None  # nobody bound: the single-user mode
    build_org(db)
    with db.session() as session:
        set_login_required(session, True)
    assert needs_login(db)
    assert start_unattended(db) is None  # users exist: a login is needed now
    with pytest.raises(PermissionDenied), db.session() as session:
        f.unit(session, "X")


def test_first_account_on_a_database_that_needs_login(db: Database) -> None:
    if db.is_sqlite:
        with db.session() as session:
            set_login_required(session, True)
    actor = start_unattended(db)  # no account yet: the local administrator creates one
    assert actor is not None and actor.is_admin and actor.implicit
    with db.session() as session:
        users.create_user(session, username="admin", password="first-admin-pass", role="admin")
    assert login(db, "admin", "first-admin-pass").ok
    assert local_actor().is_admin


def test_quantities_survive_a_refused_issue(db: Database) -> None:
    org = build_org(db)
    _denied(
        db,
        "keeper1",
        lambda s: ledger.write_off(
            s, lot_id=org.lot2, quantity=3, on=TODAY, reason="damaged", today=TODAY
        ),
    )
    with db.session() as session:
        assert session.get_one(Lot, org.lot2).on_hand == Decimal(100)
