"""`drillplan import`, `drillplan export` and `drillplan template`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drillplan.cli import output
from drillplan.cli.common import command_session, date_arg
from drillplan.interchange.kinds import KINDS, get_kind
from drillplan.interchange.problems import ImportReport

EXIT_OK, EXIT_BAD_INPUT = 0, 2
KIND_HELP = ", ".join(KINDS)
PROBLEM_COLUMNS = ["sheet", "row", "letter", "column", "rule", "message"]
NOTES_SHOWN = 20  # derived values listed one per row in the table output


def _export_kind(value: str) -> str:
    """A register, or ``directory`` (the resource directory: export only)."""
    return "directory" if value.strip().lower() in ("directory", "资源目录") else _kind(value)


def _kind(value: str) -> str:
    try:
        return get_kind(value).name
    except KeyError as exc:
        raise argparse.ArgumentTypeError(
            f"未知的类别 {value[:40]}（可选：{KIND_HELP}） (unknown kind; one of {KIND_HELP})"
        ) from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help=f"import a register from .xlsx/.csv ({KIND_HELP})")
    p.add_argument("kind", type=_kind, metavar="KIND")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--sheet", help="sheet name (default: the one that matches KIND)")
    p.add_argument("--encoding", choices=["utf-8", "gb18030"], help="CSV encoding (detected)")
    p.add_argument("--as-of", type=date_arg, help="today's date for the checks (today)")
    p.add_argument("--operator", default="import", help="name recorded in the ledger and log")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace rows changed by someone else since the file was exported (记录版本)",
    )
    p = sub.add_parser("export", help="write a register to .xlsx (or .csv)")
    p.add_argument("kind", type=_export_kind, metavar="KIND", help=f"{KIND_HELP}, directory")
    p.add_argument("file", type=Path)
    p = sub.add_parser("template", help="an empty .xlsx import template with instructions")
    p.add_argument("kind", type=_kind, metavar="KIND")
    p.add_argument("file", type=Path)


class _Progress:
    """A one-line progress display on a terminal's stderr (silent otherwise)."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if self.enabled and percent != self.last:
            self.last = percent
            print(f"\r处理中 (working) {percent:3d}%", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.enabled and self.last >= 0:
            print("\r" + " " * 24 + "\r", end="", file=sys.stderr, flush=True)


def _print_report(report: ImportReport, fmt: str) -> None:
    if fmt == "json":
        print(output.dumps(report.as_dict()))
        return
    if report.problems:
        print(
            f"导入失败，未写入任何数据：发现 {len(report.problems)} 处问题"
            f" (import refused, nothing written: {len(report.problems)} problems)"
        )
        rows = [p.as_dict() for p in report.problems]
        print(output.render(rows, PROBLEM_COLUMNS, "table"), end="")
        return
    verb = "检查通过，将" if report.dry_run else "导入完成："
    print(
        f"{verb}新增 {report.created} 条、更新 {report.updated} 条、未变 {report.unchanged} 条"
        f" ({'dry run: would create' if report.dry_run else 'imported: created'}"
        f" {report.created}, updated {report.updated}, unchanged {report.unchanged};"
        f" {report.rows} rows in {report.seconds:.1f} s)"
    )
    derived = [n for n in report.notes if n.rule == "expiry_derived"]
    if derived:
        print(
            f"有效期按保质期推算 {len(derived)} 行"
            f" (expiry derived from shelf life for {len(derived)} rows):"
        )
        for note in derived[:NOTES_SHOWN]:
            print(f"  第 {note.row} 行 (row {note.row}): {note.message}")
        if len(derived) > NOTES_SHOWN:
            print(f"  …… 另有 {len(derived) - NOTES_SHOWN} 行（--format json 列出全部）")
    if report.kept_columns:
        print(
            f"保留的附加列 (kept columns, written back by the export):"
            f" {'、'.join(report.kept_columns)}（{report.kept_rows} 行有内容）"
        )
    if report.ignored_columns:
        print(f"已忽略的序号列 (row-number columns ignored): {'、'.join(report.ignored_columns)}")
    for warning in report.warnings:
        print(f"提示 (warning): {warning}")


def cmd_import(args: argparse.Namespace) -> int:
    from drillplan.interchange.importer import import_file

    progress = _Progress()
    try:
        with command_session(args) as (_database, session):
            report = import_file(
                session, args.kind, args.file, dry_run=args.dry_run, sheet=args.sheet,
                encoding=args.encoding, today=args.as_of, operator=args.operator,
                progress=progress, overwrite=args.overwrite,
            )  # fmt: skip
    finally:
        progress.finish()
    _print_report(report, args.format)  # after the commit: the report describes what is saved
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def cmd_export(args: argparse.Namespace) -> int:
    from drillplan.interchange.exporter import export_file  # openpyxl: only when exporting

    if args.kind == "directory":  # the resource directory: every holder of every material
        import datetime as dt

        from drillplan.directory.sheet import write_directory

        with command_session(args) as (_database, session):
            rows = write_directory(session, args.file, as_of=dt.date.today())
        print(f"已导出 {rows} 条 (exported {rows} rows) -> {args.file}")
        return EXIT_OK
    with command_session(args) as (_database, session):
        result = export_file(session, args.kind, args.file)
    print(f"已导出 {result.rows} 条 (exported {result.rows} rows) -> {result.path}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from drillplan.interchange.templates import write_template

    path = write_template(args.kind, args.file)
    print(f"模板已生成 (template written) -> {path}")
    return EXIT_OK
