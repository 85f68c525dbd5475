"""Password hashing: Argon2id (argon2-cffi), a memory-hard hash with a per-password salt.

The parameters are argon2-cffi's defaults (RFC 9106's second recommended profile: 64 MiB,
3 passes, 4 lanes) and are stored inside each hash, so raising them later only makes
:func:`needs_rehash` true for old hashes, which are re-hashed at the next login.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from drillplan.kernel.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 256

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (``$argon2id$v=19$m=...``)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; False for a missing or malformed hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_time(password: str) -> None:
    """Spend as long as a verification does (an unknown user costs the same as a known one)."""
    verify_password(_dummy_hash(), password)


def validate_password(password: str, *, username: str = "") -> str:
    """A password good enough to set: length 8-256, not the username, not all one character."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValidationError(
            "password",
            f"密码至少需要 {MIN_LENGTH} 个字符",
            message_en=f"a password needs at least {MIN_LENGTH} characters",
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError("password", "密码过长", message_en=f"at most {MAX_LENGTH} characters")
    if username and password.strip().lower() == username.strip().lower():
        raise ValidationError(
            "password", "密码不能与用户名相同", message_en="the password equals the username"
        )
    if len(set(password)) == 1:
        raise ValidationError(
            "password", "密码不能由同一个字符组成", message_en="the password repeats one character"
        )
    return password


@cache
def _dummy_hash() -> str:
    return hash_password("drillplan-timing-equaliser")
