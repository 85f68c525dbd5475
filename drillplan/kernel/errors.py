"""Typed errors shared by the whole drillplan core.

Every error the core raises on purpose derives from :class:`DrillplanError`, so the UI
layer can catch that one class and show ``str(error)`` (Chinese) to the user.
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "DrillplanError",
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
    number when the value came from an imported spreadsheet.
    """

    field: str
    message: str
    message_en: str | None
    row: int | None

    def __init__(
        self,
        field: str,
        message: str,
        *,
        message_en: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message
        self.message_en = message_en
        self.row = row

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        if self.row is not None:
            return f"第{self.row}行 {text}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(field={self.field!r}, message={self.message!r}, "
            f"message_en={self.message_en!r}, row={self.row!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only attributes would be lost by the default Exception pickling.
        return (
            _rebuild_validation_error,
            (type(self), self.field, self.message, self.message_en, self.row),
        )

    def with_row(self, row: int | None) -> ValidationError:
        """Return a copy of this error carrying ``row`` (for spreadsheet imports)."""
        return type(self)(self.field, self.message, message_en=self.message_en, row=row)


def _rebuild_validation_error(
    cls: type[ValidationError],
    field: str,
    message: str,
    message_en: str | None,
    row: int | None,
) -> ValidationError:
    return cls(field, message, message_en=message_en, row=row)


class NotFound(DrillplanError):
    """A requested record does not exist."""


class Conflict(DrillplanError):
    """The operation conflicts with existing data (duplicate key, stale version, ...)."""


class PermissionDenied(DrillplanError):
    """The current user is not allowed to perform the operation."""
