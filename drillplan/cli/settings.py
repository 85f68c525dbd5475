"""`drillplan settings list|get|set`: the office settings, with the settings page's rules."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.cli.common import EXIT_OK, Out, add_format, run


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("settings", help="the office settings (shared by every PC)")
    s = p.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    q = s.add_parser("list", help="every setting with its value and default")
    add_format(q)
    q = s.add_parser("get", help="one setting's value")
    q.add_argument("key", choices=list(settings.OPTIONS))
    add_format(q)
    q = s.add_parser("set", help="change a setting, e.g. `settings set expiry_horizons 15,45`")
    q.add_argument("key", help=f"one of: {', '.join(settings.OPTIONS)}")
    q.add_argument("value", help="as typed in the settings page (days 15,45; dates 06-01 ...)")
    add_format(q)
    q = s.add_parser("reset", help="back to the default value")
    q.add_argument("key", help=f"one of: {', '.join(settings.OPTIONS)}")
    add_format(q)


def _row(key: str, value: Any) -> dict[str, Any]:
    option = settings.option(key)
    return {
        "key": key,
        "value": value,
        "text": option.format(value),
        "default": option.default,
        "is_default": value == option.default,
        "label_zh": option.zh,
        "label_en": option.en,
    }


def _show(out: Out, rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        out.json(rows if len(rows) != 1 else rows[0])
    else:
        out.rows(rows, ["key", "text", "is_default", "label_zh"], fmt)


def cmd_settings(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.settings_command
        if command == "list":
            rows = [_row(k, v) for k, v in settings.all_values(session).items()]
            if args.format == "json":
                out.json(rows)
            else:
                out.rows(rows, ["key", "text", "is_default", "label_zh"], args.format)
            return EXIT_OK
        if command == "get":
            _show(out, [_row(args.key, settings.get(session, args.key))], args.format)
            return EXIT_OK
        if command == "set":
            stored = settings.set_text(session, args.key, args.value)
        else:  # reset
            stored = settings.set_value(session, args.key, settings.option(args.key).default)
        _show(out, [_row(args.key, stored)], args.format)
        return EXIT_OK

    return run(args, body)
