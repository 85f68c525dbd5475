"""Typed errors shared by the whole drillplan core.

Every error the core raises on purpose derives from :class:`DrillplanError`, so the UI
layer can catch that one class and show ``str(error)`` (Chinese) to the user.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Any)

__all__ = [
    "Conflict",
    "DrillplanError",
    "EditConflict",
    "FieldDifference",
    "NotFound",
    "PermissionDenied",
    "ValidationError",
]


class DrillplanError(Exception):
    """Base class of every error raised deliberately by the drillplan core."""


class ValidationError(DrillplanError):
    """A user-supplied value is malformed.

    ``message`` is the Chinese text shown to users; ``message_en`` is an English
    equivalent (for logs and English-speaking maintainers).  ``row`` is the 1-based row
    number when the value came from an imported spreadsheet.  ``rule`` optionally names the
    check that failed (``bad_code`` ...): an import reports it with the problem.  ``others``
    holds the errors of the other fields of the same input, when they were all checked
    (:meth:`every` gives this one and them).
    """

    field: str
    message: str
    message_en: str | None
    row: int | None
    rule: str | None
    others: tuple[ValidationError, ...]

    def __init__(
        self,
        field: str,
        message: str,
        *,
        message_en: str | None = None,
        row: int | None = None,
        rule: str | None = None,
        others: tuple[ValidationError, ...] = (),
    ) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message
        self.message_en = message_en
        self.row = row
        self.rule = rule
        self.others = tuple(others)

    def every(self) -> tuple[ValidationError, ...]:
        """This error and those of the other fields checked with it."""
        return (self, *self.others)

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        if self.row is not None:
            return f"第{self.row}行 {text}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(field={self.field!r}, message={self.message!r}, "
            f"message_en={self.message_en!r}, row={self.row!r}, rule={self.rule!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only attributes would be lost by the default Exception pickling.
        return (
            _rebuild_validation_error,
            (
                type(self),
                self.field,
                self.message,
                self.message_en,
                self.row,
                self.rule,
                self.others,
            ),
        )

    def with_row(self, row: int | None) -> ValidationError:
        """Return a copy of this error carrying ``row`` (for spreadsheet imports)."""
        return type(self)(
            self.field,
            self.message,
            message_en=self.message_en,
            row=row,
            rule=self.rule,
            others=self.others,
        )


def _rebuild_validation_error(
    cls: type[ValidationError],
    field: str,
    message: str,
    message_en: str | None,
    row: int | None,
    rule: str | None = None,
    others: tuple[ValidationError, ...] = (),
) -> ValidationError:
    return cls(field, message, message_en=message_en, row=row, rule=rule, others=others)


class NotFound(DrillplanError):
    """A requested record does not exist."""


class Conflict(DrillplanError):
    """The operation conflicts with existing data (duplicate key, stale version, ...)."""


@dataclass(frozen=True)
class FieldDifference:
    """A field the user changed: the database's value now beside the user's."""

    field: str
    current: Any
    attempted: Any


class EditConflict(Conflict):
    """Optimistic locking: someone else saved (or deleted) the row since it was loaded.

    The core raises it with a message only (a stale ``expected_version``, or a flush that found
    the row changed underneath); :func:`drillplan.auth.conflicts.save_or_conflict` adds the row
    as it is now (``current``, None when deleted) and the values the user tried to save
    (``attempted``), so the UI can show both versions.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        row_id: int | None = None,
        expected_version: int | None = None,
        current: Mapping[str, Any] | None = None,
        attempted: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.row_id = row_id
        self.expected_version = expected_version
        self.current = dict(current) if current is not None else None
        self.attempted = dict(attempted or {})

    def __reduce__(self) -> tuple[object, ...]:
        details = {
            "table": self.table,
            "row_id": self.row_id,
            "expected_version": self.expected_version,
            "current": self.current,
            "attempted": self.attempted,
        }
        return (_rebuild_edit_conflict, (type(self), str(self), details))

    @property
    def has_versions(self) -> bool:
        """True once the row's current state is attached (both versions can be shown)."""
        return self.table is not None

    @property
    def current_version(self) -> int | None:
        if self.current is None:
            return None
        value = self.current.get("row_version")
        return int(value) if value is not None else None

    def differences(self) -> list[FieldDifference]:
        """The fields the user changed, with the database's value beside the user's."""
        current = self.current or {}
        return [
            FieldDifference(key, current.get(key), value) for key, value in self.attempted.items()
        ]


def _rebuild_edit_conflict(
    cls: type[EditConflict], message: str, details: dict[str, Any]
) -> EditConflict:
    return cls(message, **details)


class PermissionDenied(DrillplanError):
    """The current user is not allowed to perform the operation."""


def with_rule(rule: str) -> Any:
    """Name the check a validator's errors come from (``ValidationError.rule``)."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except ValidationError as exc:
                exc.rule = exc.rule or rule
                raise

        return checked  # type: ignore[return-value]

    return wrap
