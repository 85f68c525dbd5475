"""User accounts: create, authenticate (with lockout), change and reset passwords, disable.

Every function takes the caller's session and commits nothing. Passwords are stored only as
Argon2id hashes (:mod:`drillplan.auth.passwords`). Administrative functions require an
administrator as the session's actor (or single-user mode, where nobody is logged in).

A password is never a free guess: a wrong one, at the login or as the current password of a
password change, counts toward the same lockout (:data:`MAX_FAILED_LOGINS`) and is written to
the audit log. Changing another user's password is an administrator's reset
(:func:`passwd_target` decides before anything is read).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.auth.context import Actor, act_as, current_actor, login_required
from drillplan.auth.passwords import (
    burn_time,
    hash_password,
    needs_rehash,
    validate_password,
    verify_password,
)
from drillplan.auth.scope import is_district_level, units_in_scope
from drillplan.db.models import Unit, User
from drillplan.kernel.errors import DrillplanError, NotFound, PermissionDenied, ValidationError
from drillplan.kernel.vocab import Role

#: consecutive wrong passwords that lock an account ...
MAX_FAILED_LOGINS = 5
#: ... for this long
LOCKOUT = dt.timedelta(minutes=15)
USERNAME_RE = re.compile(r"^[\w.@-]{2,60}$")
TEMP_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMP_PASSWORD_LENGTH = 12
#: the refusal of a non-administrator naming another account: the same whether it exists or not
NOT_YOUR_PASSWORD = (
    "只能修改自己的密码；其他用户的密码须由管理员重置"
    " (you can change only your own password; an administrator resets other users' passwords)"
)


class LoginFailed(PermissionDenied):
    """Wrong user name or password, or a disabled account (the message does not say which)."""


class AccountLocked(LoginFailed):
    """Too many wrong passwords: the account is locked until ``locked_until``."""

    def __init__(self, message: str, locked_until: dt.datetime) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class LoginResult:
    """What :func:`authenticate` found. The caller commits either way (a failure is counted)."""

    actor: Actor | None
    error: LoginFailed | None = None
    must_change_password: bool = False

    @property
    def ok(self) -> bool:
        return self.actor is not None

    def actor_or_raise(self) -> Actor:
        if self.actor is None:
            raise self.error or LoginFailed("登录失败 (login failed)")
        return self.actor


@dataclass(frozen=True)
class PasswordChange:
    """What :func:`change_password` did. A wrong current password (or a locked account) is
    not raised but returned, because the failure is counted on the account: the caller
    commits, then calls :meth:`raise_for_error`."""

    user: User | None
    error: DrillplanError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.user is not None

    def raise_for_error(self) -> User:
        if self.error is not None:
            raise self.error
        if self.user is None:
            raise ValidationError("old_password", "密码未修改", message_en="password not changed")
        return self.user


@dataclass(frozen=True)
class PasswdTarget:
    """Whose password ``users passwd`` changes and how: ``reset`` is an administrator's reset
    of another account (no current password; to be changed at the next login), otherwise the
    user changes their own password and must give the current one."""

    username: str
    reset: bool


@dataclass(frozen=True)
class UserInfo:
    """A user as listed (never the password hash)."""

    username: str
    display_name: str
    role: Role
    unit_code: str | None
    unit_name: str | None
    active: bool
    locked_until: dt.datetime | None
    failed_logins: int
    last_login_at: dt.datetime | None
    must_change_password: bool

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


# ----------------------------------------------------------------------------- helpers


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now()).replace(microsecond=0)


def _require_admin(session: Session, what: str) -> str:
    """The acting administrator's name; single-user mode (no actor, no login) acts as one."""
    actor = current_actor(session)
    if actor is None:
        if login_required(session):
            raise PermissionDenied(f"请先以管理员身份登录，才能{what} (log in as an administrator)")
        return "system"
    if not actor.is_admin:
        raise PermissionDenied(
            f"用户 {actor.describe()} 不是管理员，不能{what}"
            f" (user {actor.username} is not an administrator)"
        )
    return actor.username


def get_user(session: Session, username: str, *, lock: bool = False) -> User:
    stmt = select(User).where(User.username == username.strip())
    user = session.scalar(stmt.with_for_update() if lock else stmt)
    if user is None:
        raise NotFound(f"用户 {username} 不存在 (no user {username})")
    return user


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise ValidationError(
            "role",
            f"角色必须是 {'、'.join(r.value for r in Role)} 之一",
            message_en=f"role must be one of {', '.join(r.value for r in Role)}",
        ) from exc


def _unit(session: Session, role: Role, unit_id: int | None) -> int | None:
    if unit_id is None:
        if role == Role.EDITOR:
            raise ValidationError(
                "unit",
                "编辑人员必须属于一个单位（即其数据范围）",
                message_en="an editor needs a unit",
            )
        return None
    if session.get(Unit, unit_id) is None:
        raise ValidationError("unit", f"单位 {unit_id} 不存在", message_en=f"no unit {unit_id}")
    return unit_id


def _check_admins_remain(session: Session, user: User) -> None:
    """Refuse to leave the database without an active administrator."""
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise ValidationError(
            "role",
            "这是最后一个有效的管理员账户，不能停用或降级",
            message_en="this is the last active administrator",
        )


def actor_for(session: Session, user: User) -> Actor:
    """The :class:`Actor` a user acts as: their role, unit and the units below it."""
    unit = session.get(Unit, user.unit_id) if user.unit_id is not None else None
    return Actor(
        username=user.username,
        role=Role(user.role),
        unit_id=user.unit_id,
        scope_unit_ids=units_in_scope(session, user.unit_id),
        display_name=user.display_name,
        district_level=is_district_level(unit),
    )


def has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) != 0


# ----------------------------------------------------------------------------- accounts


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role | str,
    unit_id: int | None = None,
    display_name: str | None = None,
    now: dt.datetime | None = None,
) -> User:
    """Add an account (administrators only; in an empty database the first one is allowed)."""
    by = _require_admin(session, "添加用户 (add users)")
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            "username",
            "用户名须为 2-60 个字母、数字、汉字或 . _ - @",
            message_en="a user name has 2-60 letters, digits or . _ - @",
        )
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValidationError(
            "username", f"用户名 {username} 已存在", message_en=f"user {username} exists"
        )
    role = _role(role)
    validate_password(password, username=username)
    user = User(
        username=username,
        display_name=(display_name or username).strip()[:60],
        password_hash=hash_password(password),
        role=role,
        unit_id=_unit(session, role, unit_id),
        failed_logins=0,
        active=True,
        password_changed_at=_now(now),
        must_change_password=False,
    )
    session.add(user)
    session.flush()
    auditlog.record(session, user=by, action="user.create", row=user)
    return user


def update_user(
    session: Session,
    *,
    username: str,
    role: Role | str | None = None,
    unit_id: int | None = None,
    clear_unit: bool = False,
    display_name: str | None = None,
) -> User:
    """Change an account's role, unit (data scope) or display name (administrators only)."""
    by = _require_admin(session, "修改用户 (change users)")
    user = get_user(session, username, lock=True)
    before = auditlog.snapshot(user)
    new_role = _role(role) if role is not None else Role(user.role)
    if user.role == Role.ADMIN and new_role != Role.ADMIN:
        _check_admins_remain(session, user)
    new_unit = None if clear_unit else (unit_id if unit_id is not None else user.unit_id)
    user.unit_id = _unit(session, new_role, new_unit)
    user.role = new_role
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()[:60]
    session.flush()
    auditlog.record(session, user=by, action="user.update", row=user, before=before)
    return user


def set_active(session: Session, *, username: str, active: bool) -> User:
    """Disable an account (it can no longer log in) or enable it again, clearing any lockout."""
    by = _require_admin(session, "停用或启用用户 (disable or enable users)")
    user = get_user(session, username, lock=True)
    before = auditlog.snapshot(user)
    if not active and user.role == Role.ADMIN:
        _check_admins_remain(session, user)
    user.active = active
    if active:
        user.failed_logins = 0
        user.locked_until = None
    session.flush()
    action = "user.activate" if active else "user.deactivate"
    auditlog.record(session, user=by, action=action, row=user, before=before)
    return user


def unlock(session: Session, *, username: str) -> User:
    """Lift a lockout after wrong passwords (administrators only)."""
    by = _require_admin(session, "解除锁定 (unlock users)")
    user = get_user(session, username, lock=True)
    before = auditlog.snapshot(user)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    auditlog.record(session, user=by, action="user.unlock", row=user, before=before)
    return user


def list_users(session: Session) -> list[UserInfo]:
    rows = session.execute(
        select(User, Unit.code, Unit.name).outerjoin(Unit, Unit.id == User.unit_id)
    ).all()
    return [
        UserInfo(
            username=u.username,
            display_name=u.display_name,
            role=Role(u.role),
            unit_code=code,
            unit_name=name,
            active=u.active,
            locked_until=u.locked_until,
            failed_logins=u.failed_logins,
            last_login_at=u.last_login_at,
            must_change_password=u.must_change_password,
        )
        for u, code, name in sorted(rows, key=lambda r: r[0].username)
    ]


# ----------------------------------------------------------------------------- passwords


def generate_password() -> str:
    return "".join(secrets.choice(TEMP_PASSWORD_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))


def reset_password(
    session: Session,
    *,
    username: str,
    new_password: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """An administrator sets a new (by default generated) password, which the user must change
    at the next login; the lockout is lifted. Returns the new password."""
    by = _require_admin(session, "重置密码 (reset passwords)")
    user = get_user(session, username, lock=True)
    password = new_password if new_password is not None else generate_password()
    validate_password(password, username=user.username)
    before = auditlog.snapshot(user)
    user.password_hash = hash_password(password)
    user.password_changed_at = _now(now)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    auditlog.record(session, user=by, action="user.password_reset", row=user, before=before)
    return password


def passwd_target(session: Session, username: str | None = None) -> PasswdTarget:
    """Decide whose password a change is for, before anything is read or asked.

    - logged in, no name or one's own name: one's own change (the current password is asked);
    - an administrator naming another account: a reset (:func:`reset_password`);
    - anyone else naming another account: refused with :data:`NOT_YOUR_PASSWORD`, the same
      message whether that account exists or not (nothing is looked up);
    - single-user mode (nobody logged in, no login required): the named user's own change,
      proven by the current password.
    """
    actor = current_actor(session)
    name = (username or "").strip()
    if actor is None:
        if login_required(session):
            raise PermissionDenied("请先登录，才能修改密码 (log in to change a password)")
        if not name:
            raise ValidationError(
                "username",
                "请指定用户名，或用 --user 以该用户运行",
                message_en="name the user, or run as them with --user",
            )
        return PasswdTarget(name, reset=False)
    if not name or name == actor.username:
        return PasswdTarget(actor.username, reset=False)
    if actor.is_admin:
        return PasswdTarget(name, reset=True)
    raise PermissionDenied(NOT_YOUR_PASSWORD)


def _no_such_account(
    session: Session, name: str, user: User | None, secret: str, action: str
) -> None:
    """An unknown, disabled or password-less account: spend the time a real check takes (so
    the answer does not tell the name exists) and log the attempt as ``action``."""
    burn_time(secret)
    auditlog.record(
        session,
        user=name,
        action=action,
        table="app_user",
        row_id=user.id if user is not None else None,
        after={"username": name, "reason": "unknown_or_disabled"},
    )


def change_password(
    session: Session,
    *,
    username: str,
    old_password: str,
    new_password: str,
    now: dt.datetime | None = None,
) -> PasswordChange:
    """A user changes their own password, giving the current one.

    Never raises for a wrong current password: like a failed login it is counted on the
    account (after :data:`MAX_FAILED_LOGINS` in a row the account is locked for
    :data:`LOCKOUT`, and a locked account refuses even the right password) and logged as
    ``user.password_failed``; the caller commits, then calls
    :meth:`PasswordChange.raise_for_error`. An unknown or disabled account gets the same
    answer as a wrong password. A logged-in user naming another account is refused at once
    (:data:`NOT_YOUR_PASSWORD`; administrators reset with :func:`reset_password`). A new
    password that is not acceptable is refused before the current one is tried.
    """
    now = _now(now)
    name = (username or "").strip()
    actor = current_actor(session)
    if actor is not None and name != actor.username:
        raise PermissionDenied(NOT_YOUR_PASSWORD)
    validate_password(new_password, username=name)
    wrong = ValidationError(
        "old_password",
        "用户名或原密码不正确",
        message_en="wrong user name or current password",
    )
    user = session.scalar(select(User).where(User.username == name).with_for_update())
    if user is None or not user.active or not user.password_hash:
        _no_such_account(session, name, user, old_password, "user.password_failed")
        return PasswordChange(None, wrong)
    if user.locked_until is not None and user.locked_until > now:
        burn_time(old_password)
        auditlog.record(
            session,
            user=name,
            action="user.password_failed",
            table="app_user",
            row_id=user.id,
            after={**_bookkeeping(user), "reason": "locked"},
        )
        return PasswordChange(None, _locked(user.locked_until, now))
    if not verify_password(user.password_hash, old_password):
        before = _bookkeeping(user)
        locked = _count_wrong_password(user, now)
        session.flush()
        after = _bookkeeping(user)
        auditlog.record(
            session,
            user=name,
            action="user.password_failed",
            table="app_user",
            row_id=user.id,
            before=before,
            after={**after, "reason": "wrong_current_password"},
        )
        if locked is not None:
            auditlog.record(
                session,
                user=name,
                action="auth.locked",
                table="app_user",
                row_id=user.id,
                before=before,
                after=after,
            )
        return PasswordChange(None, locked or wrong)
    if new_password == old_password:
        raise ValidationError(
            "password", "新密码不能与原密码相同", message_en="the new password equals the old one"
        )
    before = auditlog.snapshot(user)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    auditlog.record(
        session, user=user.username, action="user.password_change", row=user, before=before
    )
    return PasswordChange(user)


# ----------------------------------------------------------------------------- login


def authenticate(
    session: Session, username: str, password: str, *, now: dt.datetime | None = None
) -> LoginResult:
    """Check a user name and password.

    Never raises for a wrong password: the failure is counted on the account (the caller
    must commit), and after :data:`MAX_FAILED_LOGINS` consecutive failures the account is
    locked for :data:`LOCKOUT`. On success the session acts as the user from then on.
    """
    now = _now(now)
    name = (username or "").strip()
    wrong = LoginFailed("用户名或密码错误，或账户已停用 (wrong user name or password)")
    user = session.scalar(select(User).where(User.username == name).with_for_update())
    if user is None or not user.active or not user.password_hash:
        _no_such_account(session, name, user, password, "auth.login_failed")
        return LoginResult(None, wrong)
    if user.locked_until is not None and user.locked_until > now:
        burn_time(password)
        return LoginResult(None, _locked(user.locked_until, now))
    if not verify_password(user.password_hash, password):
        before = _bookkeeping(user)
        locked = _count_wrong_password(user, now)
        session.flush()
        auditlog.record(
            session,
            user=name,
            action="auth.locked" if locked is not None else "auth.login_failed",
            table="app_user",
            row_id=user.id,
            before=before,
            after=_bookkeeping(user),
        )
        return LoginResult(None, locked or wrong)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    actor = actor_for(session, user)
    act_as(session, actor)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    auditlog.record(
        session,
        user=name,
        action="auth.login",
        table="app_user",
        row_id=user.id,
        after={"last_login_at": now},
    )
    return LoginResult(actor, None, must_change_password=user.must_change_password)


def _bookkeeping(user: User) -> dict[str, object]:
    return {"failed_logins": user.failed_logins, "locked_until": user.locked_until}


def _count_wrong_password(user: User, now: dt.datetime) -> AccountLocked | None:
    """Count one wrong password (at the login or as a current password); the one that makes
    :data:`MAX_FAILED_LOGINS` in a row locks the account for :data:`LOCKOUT` (returned)."""
    user.failed_logins += 1
    if user.failed_logins < MAX_FAILED_LOGINS:
        return None
    user.locked_until = now + LOCKOUT
    user.failed_logins = 0
    return _locked(user.locked_until, now)


def _locked(until: dt.datetime, now: dt.datetime) -> AccountLocked:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return AccountLocked(
        f"密码错误次数过多，账户已锁定至 {until:%H:%M}（约 {minutes} 分钟后可再试），"
        f"或请管理员解除锁定。 (Too many wrong passwords: the account is locked until"
        f" {until:%H:%M}, about {minutes} min; or ask an administrator to unlock it.)",
        until,
    )
