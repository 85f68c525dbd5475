"""Argument types for numbers and choices typed on the command line, each one a door to the
value-parsing kernel (:mod:`drillplan.kernel.values`): a row id, a bounded whole number, a
year, a vocabulary value. A bad value is refused by argparse with the kernel's message (中文
first, English second) and exit status 2, before any database is opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from drillplan.auth.env import ENV_PASSWORD, ENV_USER
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import (
    DATE_MAX,
    DATE_MIN,
    ID_MAX,
    parse_date,
    parse_enum,
    parse_id,
    parse_int,
)
from drillplan.kernel.vocab import label

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "LIMIT_MAX",
    "Parser",
    "add_global_options",
    "choice_help",
    "date_arg",
    "enum_arg",
    "id_arg",
    "int_arg",
    "limit_arg",
    "type_error",
    "year_arg",
]

LIMIT_MAX = 1_000_000  # rows a listing shows at most
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """The command's argument parser: an unknown choice (``--reason X``, ``--format X``, a
    mistyped command) is refused with the choices listed, 中文 first, English second, as the
    kernel's :func:`~drillplan.kernel.values.parse_enum` does. Sub-command parsers inherit it."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        listed = [str(c) for c in choices]
        raise argparse.ArgumentError(
            action,
            f"“{_short(value)}”不是可选值（可选：{'、'.join(listed)}）"
            f" ({_short(value)!r} is not one of {', '.join(listed)})",
        )


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def type_error(exc: ValidationError) -> argparse.ArgumentTypeError:
    """The kernel's message as argparse shows it: 中文 (English)."""
    text = exc.message if not exc.message_en else f"{exc.message} ({exc.message_en})"
    return argparse.ArgumentTypeError(text)


def id_arg(value: str) -> int:
    """A row id (``--lot``, ``--movement``, ``--event`` ...): 1 .. 2^63-1."""
    try:
        return parse_id(value, field="id", what="编号")
    except ValidationError as exc:
        raise type_error(exc) from exc


def int_arg(*, minimum: int, maximum: int, what: str, what_en: str) -> Callable[[str], int]:
    """A whole number within ``minimum`` .. ``maximum``."""

    def parse(value: str) -> int:
        try:
            return parse_int(
                value, field=what_en, what=what, what_en=what_en, minimum=minimum, maximum=maximum
            )
        except ValidationError as exc:
            raise type_error(exc) from exc

    parse.__name__ = what_en.replace(" ", "_")  # argparse names the type in its message
    return parse


limit_arg = int_arg(minimum=1, maximum=LIMIT_MAX, what="条数", what_en="limit")
year_arg = int_arg(minimum=DATE_MIN.year, maximum=DATE_MAX.year, what="年份", what_en="year")
version_arg = int_arg(minimum=1, maximum=ID_MAX, what="版本号", what_en="version")


def choice_help(cls: type[StrEnum]) -> str:
    """The choices of a vocabulary for an option's help: 中文 (key), ..."""
    return "、".join(f"{label(m, 'zh')} ({m.value})" for m in cls)


def enum_arg(cls: type[StrEnum], *, what: str, field: str) -> Callable[[str], StrEnum]:
    """A vocabulary value given as its key, Chinese or English label
    (:func:`drillplan.kernel.values.parse_enum`); an unknown one lists the choices."""

    def parse(value: str) -> StrEnum:
        try:
            return parse_enum(cls, value, field=field, what=what)
        except ValidationError as exc:
            raise type_error(exc) from exc

    parse.__name__ = cls.__name__
    return parse


def date_arg(value: str) -> dt.date:
    """An argparse type: a date as the office writes it (2026-06-01, 2026/6/1, 2026年6月1日)."""
    try:
        return parse_date(value, field="date")
    except ValidationError as exc:
        raise type_error(exc) from exc


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """``--user NAME``: who the command runs as (drillplan/cli/users.py logs in)."""
    parser.add_argument(
        "--user",
        dest="login_user",
        metavar="NAME",
        help="run as this user (shared databases need it; password from"
        f" ${ENV_PASSWORD} or a prompt; default ${ENV_USER})",
    )
