"""Importing a register from .xlsx or .csv: all or nothing.

1. read the sheet, find the header row (a title above it is allowed), match columns by name;
2. refuse merged header cells, merged data cells and formulas; convert every cell;
3. let the kind's handler resolve references, find rows already in the database by their
   natural key and apply its cross-field rules;
4. refuse a row the import would change whose record changed since the file was exported
   (its 记录版本 differs; :mod:`drillplan.interchange.stale`), unless ``overwrite``;
5. only if nothing was wrong, write every row inside one savepoint through the core functions
   (or the bulk receive for lots); a rule the core enforces while writing becomes a problem too,
   and any problem rolls the savepoint back. ``dry_run`` always rolls back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from pathlib import Path

from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.backup.files import backup_before
from drillplan.interchange import extras, readers, stale
from drillplan.interchange.context import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CancelFn,
    Context,
    ProgressFn,
    Record,
)
from drillplan.interchange.kinds import Kind, get_kind
from drillplan.interchange.problems import ImportReport, Problem, column_letter
from drillplan.interchange.registry import handler_for
from drillplan.interchange.spec import Column, HeaderMatch, T, match_headers
from drillplan.interchange.values import MAX_CELL, BadValue, header_unit, is_blank
from drillplan.kernel.memory import collector_paused

_UNSEEN = object()
MEMO_LIMIT = 50_000  # distinct cells remembered per column
HEADER_SCAN = 10  # rows searched for the header (titles above it are allowed)
TICK = 5_000


def find_header(kind: Kind, rows: list[list[object]]) -> tuple[int, HeaderMatch] | None:
    """The row (0-based) among the first few that matches most columns, and its match."""
    best: tuple[int, HeaderMatch] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN]):
        match = match_headers(kind, row)
        if match.score and (best is None or match.score > best[1].score):
            best = (i, match)
    return best


def _sheet_problem(report: ImportReport, rule: str, zh: str, en: str, row: int = 0) -> None:
    report.problems.append(Problem(report.sheet, row, "", rule, zh, en))


def _header_problems(kind: Kind, report: ImportReport, table: readers.Table) -> int | None:
    """The header row index, or None with the problems recorded."""
    rows, table_merged = table.rows, table.merged
    if not any(any(not is_blank(c) for c in row) for row in rows):
        _sheet_problem(report, "empty_sheet", "工作表是空的", "the sheet is empty")
        return None
    found = find_header(kind, rows)
    expected = "、".join(c.zh for c in kind.columns if c.required)
    if found is None:
        _sheet_problem(
            report,
            "bad_header",
            f"找不到表头：前 {HEADER_SCAN} 行中没有一行是{kind.zh}的列名（必填列：{expected}）",
            f"no header row: none of the first {HEADER_SCAN} rows names {kind.en} columns",
            row=1,
        )
        return None
    index, match = found
    merged = [m for m in table_merged if m[0] <= index <= m[2]]
    for r0, c0, r1, c1 in merged:
        header = str(rows[index][c0]).strip() if c0 < len(rows[index]) else ""
        report.problems.append(
            Problem(
                report.sheet, index + 1, header, "merged_header",
                f"表头有合并单元格（{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}），"
                "请取消合并，每列一个列名",
                "merged header cells: unmerge them, one header per column", column_letter(c0),
            )
        )  # fmt: skip
    for col in [] if merged else match.missing:
        report.problems.append(
            Problem(
                report.sheet, index + 1, col.zh, "missing_column",
                f"缺少必填列“{col.zh}”（也可写作：{'、'.join(col.names[1:4])}）",
                f"the required column {col.zh!r} ({col.en}) is missing",
            )
        )  # fmt: skip
    for i, header in match.duplicates:
        report.warnings.append(
            Problem(
                report.sheet, index + 1, header, "duplicate_column",
                "与前面的列含义相同，已忽略", "means the same as an earlier column; ignored",
                column_letter(i),
            )
        )  # fmt: skip
    kept = extras.kept_columns(rows[index], match.extra_indexes)
    report.kept_columns = [name for _, name in kept]
    report.ignored_columns = [h for h in match.extras if h and extras.is_row_number(h)]
    return index


def _layout_problems(ctx: Context, table: readers.Table, header: int) -> None:
    used = {i: key for key, i in ctx.match.columns.items()}
    for r0, c0, r1, c1 in table.merged:
        if r1 < header:
            continue  # a merged title above the header is fine
        cols = [c for c in range(c0, c1 + 1) if c in used]
        if r0 <= header:
            continue  # reported with the header
        if cols:
            ctx.problem(
                r0 + 1, used[cols[0]], "merged_cells",
                f"合并单元格 {column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}："
                "请取消合并并在每一行填写",
                "merged cells: unmerge them and fill in every row",
            )  # fmt: skip
    for r, c in table.formulas:
        if r >= header and c in used:
            ctx.problem(
                r + 1, used[c], "formula",
                "单元格是公式：请复制后“选择性粘贴为数值”再导入",
                "the cell holds a formula: paste it as values before importing",
            )  # fmt: skip


# cells the core function cannot judge: yes/no (a form has a check box), references (a form
# picks from a list) and lists (a form has one field per item)
READ_HERE = frozenset({T.BOOL, T.REF, T.REFS, T.LIST})


def _records(
    ctx: Context,
    rows: list[list[object]],
    header: int,
    formulas: set[tuple[int, int]],
    *,
    core_checks: bool = False,
    kept: list[tuple[int, str]] | None = None,
) -> list[Record]:
    """The data rows with their cells converted. With ``core_checks`` (the handler has every
    row checked by the core function the form uses) a cell that cannot be read, a blank
    required cell (but for the natural key and references) and a number out of range are
    passed on as they are, so that the problem is reported in the core's words, exactly as the
    form reports it."""
    plan = [
        (col.key, ctx.match.columns[col.key], col)
        for col in ctx.kind.columns
        if col.key in ctx.match.columns
    ]
    units = {
        key: header_unit(ctx.match.headers.get(key, "")) for key, _, col in plan
        if col.type == T.DURATION
    }  # fmt: skip
    # a column repeats its values (codes, units, dates, suppliers): each distinct cell is
    # converted once (lists are not shared between rows: they are converted every time)
    memo: dict[str, dict[object, object]] = {
        key: {} for key, _, col in plan if col.type not in (T.LIST, T.REFS)
    }
    # one tuple per column, everything a cell needs decided once: the row loop below runs
    # for every cell of a 100,000-row sheet, so it tests blanks inline and looks nothing up
    columns = [
        (
            key, i, col, col.info, memo.get(key), units.get(key, "day"),
            col.required and not (core_checks and key not in ctx.kind.key
                                  and col.type not in READ_HERE),
            col.type in READ_HERE or col.stamp,  # no core function judges these
        )
        for key, i, col in plan
    ]  # fmt: skip
    last = max((i for _, i, _ in plan), default=-1)
    check_range = not core_checks
    # each row's values are the attribute dict of an instance of a class made for this
    # import: CPython then stores the keys once for all rows (a key-sharing dict) and each
    # row only its values; still a plain dict to every reader, 184 instead of 472 bytes for
    # the 11 columns of a lot (29 MB per 100,000 rows). (Not for ``resolved``: its keys come
    # later, once every row exists, and a shared table that grows then is shared no more.)
    row_values = type("RowValues", (), {})
    primer = row_values()  # the shared keys are made first: a dict made before grows alone
    for key, *_ in columns:
        setattr(primer, key, None)
    records: list[Record] = []
    first = header + 1
    if not columns:  # nothing the import reads: no row holds anything
        return records
    first_column = columns[0][1]
    for start in range(first, len(rows), TICK):  # a block of rows, converted column by column
        ctx.tick(start - first)
        live: list[tuple[int, list[object]]] = []  # the rows that hold anything
        for r in range(start, min(start + TICK, len(rows))):
            row = rows[r]
            if len(row) <= last:  # a short row: the missing cells are blank
                row = [*row, *([None] * (last + 1 - len(row)))]
            cell = row[first_column]
            if (cell is None or (isinstance(cell, str) and not cell.strip())) and all(
                (row[i] is None or (isinstance(row[i], str) and not row[i].strip()))  # type: ignore[union-attr]
                and (r, i) not in formulas
                for _, i, *_ in columns
            ):  # (a filled first cell is enough: the row holds something)
                continue
            live.append((r, row))
        block = [Record(r + 1, row_values().__dict__) for r, _ in live]
        dicts = [rec.values for rec in block]
        if kept:
            for rec, (_, row) in zip(block, live, strict=True):
                extras.read_cells(rec, row, kept)
        for column in columns:
            i = column[1]
            at = {n for n, (r, _) in enumerate(live) if (r, i) in formulas} if formulas else ()
            cells = [row[i] for _, row in live]
            _column(ctx, column, block, dicts, cells, at, check_range, core_checks)
        records.extend(block)
    return records


class _Odd:
    """What a cell holds when it is not simply its value: blank, refused, or passed on."""

    __slots__ = ("blank", "error", "raw")

    def __init__(self, blank: bool, error: BadValue | None = None, raw: object = None) -> None:
        self.blank, self.error, self.raw = blank, error, raw


_BLANK = _Odd(True)
_TEXTS = {str}


def _column(
    ctx: Context,
    column: tuple[str, int, Column, bool, dict[object, object] | None, str, bool, bool],
    block: list[Record],
    dicts: list[dict[str, object]],
    cells: list[object],
    formula_at: Collection[int],
    check_range: bool,
    core_checks: bool,
) -> None:
    """One column of a block of rows: each distinct cell read once (a column repeats its
    codes, units, dates and suppliers), then its value (or its problem) given to every row."""
    key, _, col, info, seen, unit, required, ours = column
    if seen is None:  # a list is not shared between rows: converted in every row
        keys: list[object] = list(range(len(cells)))
    elif set(map(type, cells)) == _TEXTS:
        keys = cells  # a text is its own key
    else:  # another value's type is part of its key (1 == 1.0 == True)
        keys = [c if c.__class__ is str else (c.__class__, c) for c in cells]
    outcome: dict[object, object] = {}
    for k, raw in dict(zip(keys, cells, strict=True)).items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            outcome[k] = _BLANK
        elif info:  # kept as text: a handler may compare it (a name against its code)
            outcome[k] = str(raw).strip()[:MAX_CELL]
        elif seen is not None and k in seen:
            outcome[k] = seen[k]
        else:
            try:
                value = col.convert(raw, check_range=check_range, unit=unit)
            except BadValue as exc:
                oversized = isinstance(raw, str) and len(raw) > MAX_CELL  # not a real cell
                passed = core_checks and not ours and not oversized
                # passed on: the core function says what is wrong with it
                outcome[k] = _Odd(False, None if passed else exc, raw)
                continue
            outcome[k] = value
            if seen is not None and len(seen) < MEMO_LIMIT:
                seen[k] = value
    odd = _Odd
    if not formula_at and not any(v.__class__ is odd for v in outcome.values()):
        for values, value in zip(dicts, map(outcome.__getitem__, keys), strict=True):
            values[key] = value  # the common case: every cell its value
        return
    for n, (rec, k) in enumerate(zip(block, keys, strict=True)):
        if formula_at and n in formula_at:
            rec.ok = False  # reported as a formula
            continue
        value = outcome[k]
        if value.__class__ is not odd:
            rec.values[key] = value
        elif value.blank:  # type: ignore[attr-defined]
            rec.values[key] = None
            if required:
                ctx.problem(rec.row, key, "required", "必填，不能为空", "required")
                rec.ok = False
        elif value.error is None:  # type: ignore[attr-defined]
            rec.values[key] = value.raw  # type: ignore[attr-defined]
        else:
            exc = value.error  # type: ignore[attr-defined]
            ctx.problem(rec.row, key, exc.rule, exc.message, exc.message_en)
            rec.ok = False


def _resolve(ctx: Context, records: list[Record], skip: frozenset[str]) -> None:
    refs = [
        c for c in ctx.kind.columns
        if c.type == T.REF and c.ref and not c.info and c.key in ctx.match.columns
        and c.key not in skip
    ]  # fmt: skip
    for col in refs:
        key, ref = col.key, col.ref or ""
        found: dict[object, object] = {}  # each distinct code looked up once per column
        for rec in records:
            text = rec.values.get(key)
            if text is None:
                continue
            target = found.get(text, _UNSEEN)
            if target is _UNSEEN:
                target = ctx.resolve(rec, key, ref, text)  # a code not found: said in each row
                if target is not None:
                    found[text] = target
            rec.resolved[key] = target


@collector_paused()
def import_table(
    session: Session,
    kind: Kind | str,
    table: readers.Table,
    *,
    report: ImportReport | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    operator: str = "import",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    overwrite: bool = False,
    backup_first: bool = True,
    release_rows: bool = False,
) -> ImportReport:
    """Validate and (unless ``dry_run`` or anything is wrong) write one sheet; ``overwrite``
    lets it replace rows changed by someone else since the file was exported. Before it
    writes, a SQLite file is copied to ``backups/`` (``backup_first``). ``release_rows``: the
    caller has no further use for ``table``'s data rows, which are dropped once converted
    (a 100,000-row sheet's cells are 80 MB)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    report = report or ImportReport(kind.name, table.sheet, dry_run=dry_run)
    report.sheet, report.dry_run = table.sheet, dry_run
    header = _header_problems(kind, report, table)
    if header is None or report.problems:
        return report
    assert header is not None
    match = match_headers(kind, table.rows[header])
    ctx = Context(
        session, kind, table.sheet, match,
        today=today or dt.date.today(), operator=operator, progress=progress, cancel=cancel,
    )  # fmt: skip
    ctx.total = 2 * max(len(table.rows) - header - 1, 1)
    ctx.warnings = report.warnings
    ctx.notes = report.notes
    _layout_problems(ctx, table, header)
    handler = handler_for(kind.name)
    core_checks = getattr(handler, "core_checks", False)
    kept = extras.kept_columns(table.rows[header], match.extra_indexes)
    records = _records(
        ctx, table.rows, header, set(table.formulas), core_checks=core_checks, kept=kept
    )
    if release_rows:  # every cell is in the records now
        del table.rows[header + 1 :]
    report.rows = len(records)
    if not records and not ctx.problems:
        ctx.problem(
            header + 2, "", "empty_sheet", "表头下没有数据行", "no data rows under the header"
        )
    _resolve(ctx, records, getattr(handler, "self_refs", frozenset()))
    handler.check(ctx, records)
    stale.check(ctx, records, overwrite=overwrite)
    report.problems = ctx.problems
    if not ctx.problems:
        if not dry_run and backup_first:  # a copy of the database as it was, kept N days
            taken = backup_before(session, "before-import", today=today)
            report.backup = str(taken) if taken else None
        _write(ctx, handler, records, report, dry_run, kept)
    report.problems = sorted(ctx.problems, key=lambda p: (p.row, len(p.letter), p.letter))
    if not report.problems:
        report.created = sum(r.action == CREATE for r in records)
        report.updated = sum(r.action == UPDATE for r in records)
        report.unchanged = sum(r.action == UNCHANGED for r in records)
    return report


def _write(
    ctx: Context,
    handler: object,
    records: list[Record],
    report: ImportReport,
    dry_run: bool,
    kept: list[tuple[int, str]],
) -> None:
    session = ctx.session
    session.flush()
    savepoint = session.begin_nested()
    try:
        handler.write(ctx, records)  # type: ignore[attr-defined]
        session.flush()
        if not ctx.problems:
            report.kept_rows = extras.keep(ctx, [r for r in records if r.ok], kept)
    except BaseException:
        savepoint.rollback()
        raise
    if ctx.problems or dry_run:
        savepoint.rollback()
        session.expire_all()
        return
    auditlog.record(
        session, user=ctx.operator, action=f"import.{ctx.kind.name}", table=ctx.kind.name,
        after={
            "file": report.file, "sheet": report.sheet, "rows": len(records),
            "created": sum(r.action == CREATE for r in records),
            "updated": sum(r.action == UPDATE for r in records),
            "kept_columns": [name for _, name in kept], "kept_rows": report.kept_rows,
        },
    )  # fmt: skip
    savepoint.commit()


def choose_sheet(kind: Kind, book: readers.Workbook, wanted: str | None) -> str | None:
    names = book.sheet_names
    if wanted is not None:
        return wanted if wanted in names else None
    for name in names:
        if name in (kind.zh, kind.name, kind.en):
            return name
    for name in names:
        rows = book.table(name).rows
        if find_header(kind, rows) is not None:
            return name
    return names[0] if names else None


@collector_paused()
def import_file(
    session: Session,
    kind: Kind | str,
    path: Path | str,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
    encoding: str | None = None,
    today: dt.date | None = None,
    operator: str = "import",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    overwrite: bool = False,
) -> ImportReport:
    """Import ``path`` (.xlsx/.xls/.ods or .csv) as a register of ``kind``; see the module."""
    start = time.perf_counter()
    kind = get_kind(kind) if isinstance(kind, str) else kind
    path = Path(path)
    report = ImportReport(kind.name, str(path), dry_run=dry_run)
    try:
        if readers.is_spreadsheet(path):
            book = readers.Workbook(path)
            try:
                name = choose_sheet(kind, book, sheet)
                if name is None:
                    shown = "、".join(book.sheet_names)
                    _sheet_problem(
                        report, "no_sheet", f"没有名为“{sheet}”的工作表（有：{shown}）",
                        f"no sheet named {sheet!r} (there are: {shown})",
                    )  # fmt: skip
                    return report
                table = book.table(name)
            finally:
                book.close()
        else:
            table = readers.read_csv(path, encoding)
            report.encoding = table.encoding
    except readers.ReadError as exc:
        report.sheet = path.name
        _sheet_problem(report, exc.rule, exc.message, exc.message_en)
        return report
    import_table(
        session, kind, table, report=report, dry_run=dry_run, today=today,
        operator=operator, progress=progress, cancel=cancel, overwrite=overwrite,
        release_rows=True,
    )  # fmt: skip
    del table
    report.seconds = time.perf_counter() - start
    return report
