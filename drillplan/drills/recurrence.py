"""Recurring drills: RFC 5545 RRULE expansion (python-dateutil), EXDATEs and one-off moves.

A drill's series starts at ``Drill.starts_at`` (the DTSTART) and every occurrence lasts as
long as the first one. ``Drill.exdates`` removes occurrences: an ISO datetime removes the
occurrence starting exactly then, an ISO date removes every occurrence on that day. A
``DrillOccurrenceMove`` moves one occurrence (``new_start``/``new_end``) or cancels it
(``new_start`` NULL). Times are naive local times (Asia/Shanghai), as stored.

A series is bounded: it must end (COUNT or UNTIL) within :data:`MAX_SERIES_YEARS` years of its
start and repeat at most daily; :func:`check_rrule` enforces it when a drill is saved, and the
expansion stops at the same horizon whatever is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import Drill, DrillOccurrenceMove
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus

TZ = ZoneInfo("Asia/Shanghai")
MAX_SERIES_YEARS = 5
MAX_OCCURRENCES = 2000
_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a drill: where the series put it and where it really is."""

    drill_id: int
    original_start: dt.datetime
    start: dt.datetime
    end: dt.datetime
    moved: bool = False
    cancelled: bool = False  # only returned when asked for (exdate or cancelled occurrence)

    @property
    def on(self) -> dt.date:
        return self.start.date()

    def as_dict(self) -> dict[str, object]:
        return {
            "drill_id": self.drill_id,
            "original_start": self.original_start,
            "start": self.start,
            "end": self.end,
            "moved": self.moved,
            "cancelled": self.cancelled,
        }


# ---------------------------------------------------------------------------------- rules


def _rule_error(message: str, message_en: str) -> ValidationError:
    return ValidationError("rrule", message, message_en=message_en)


def normalize_rrule(text: str | None) -> str | None:
    """The RRULE value without the ``RRULE:`` prefix, upper-case, no blanks; None if empty.

    A UTC ``UNTIL=...Z`` (as Outlook writes it) becomes the local (Asia/Shanghai) time, since
    drills keep naive local times.
    """
    if text is None:
        return None
    value = "".join(text.split()).upper()
    if not value:
        return None
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]

    def local(match: re.Match[str]) -> str:
        utc = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
        return f"UNTIL={utc.astimezone(TZ):%Y%m%dT%H%M%S}"

    return _UNTIL_UTC.sub(local, value)


def _parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in value.split(";"):
        key, sep, val = item.partition("=")
        if not sep or not key or not val:
            raise _rule_error(
                f"重复规则“{value}”格式不对，应为 FREQ=WEEKLY;COUNT=4 这样的 RRULE",
                f"RRULE {value!r} is malformed; expected e.g. FREQ=WEEKLY;COUNT=4",
            )
        parts[key] = val
    return parts


def parse_rrule(text: str, dtstart: dt.datetime) -> rrule:
    """Parse a (normalised) RRULE value with ``dtstart``; ValidationError("rrule") on failure."""
    value = normalize_rrule(text)
    if value is None:
        raise _rule_error("重复规则为空", "the RRULE is empty")
    if any(key in value for key in ("DTSTART", "EXDATE", "RDATE", "\n")):
        raise _rule_error(
            "重复规则只填写 RRULE 部分；开始时间和例外日期请分别填写",
            "give only the RRULE value; the start and the exceptions are separate fields",
        )
    parts = _parts(value)
    if "FREQ" not in parts:
        raise _rule_error("重复规则缺少 FREQ（频率）", "the RRULE has no FREQ")
    if parts["FREQ"] in _SUB_DAILY:
        raise _rule_error(
            "演练最多每天重复一次（FREQ 不能是 HOURLY/MINUTELY/SECONDLY）",
            "a drill repeats at most daily",
        )
    try:
        rule = rrulestr(value, dtstart=dtstart)
    except (ValueError, TypeError, KeyError) as exc:
        raise _rule_error(
            f"无法解析重复规则“{value}”：{exc}", f"cannot parse RRULE {value!r}: {exc}"
        ) from exc
    if not isinstance(rule, rrule):  # pragma: no cover - rrulestr gives a set only for sets
        raise _rule_error("只能填写一条 RRULE", "give exactly one RRULE")
    return rule


def series_horizon(dtstart: dt.datetime) -> dt.datetime:
    return dtstart + relativedelta(years=MAX_SERIES_YEARS)


def check_rrule(text: str | None, dtstart: dt.datetime) -> str | None:
    """Validate a drill's RRULE against its start; return the normalised value (or None).

    Rejected (field ``rrule``): unparsable text, sub-daily repetition, a series without end or
    ending more than :data:`MAX_SERIES_YEARS` years after its start, more than
    :data:`MAX_OCCURRENCES` occurrences, no occurrence at all, or a first occurrence that is not
    the drill's start time (DTSTART must be synchronised with the rule, RFC 5545 3.8.5.3).
    """
    value = normalize_rrule(text)
    if value is None:
        return None
    rule = parse_rrule(value, dtstart)
    horizon = series_horizon(dtstart)
    if rule.after(horizon) is not None:
        raise _rule_error(
            "重复规则须以 COUNT（次数）或 UNTIL（截止日期）结束，"
            f"且不超过开始后 {MAX_SERIES_YEARS} 年",
            f"the series must end (COUNT or UNTIL) within {MAX_SERIES_YEARS} years of its start",
        )
    starts = list(islice(rule, MAX_OCCURRENCES + 1))
    if len(starts) > MAX_OCCURRENCES:
        raise _rule_error(
            f"重复次数过多（超过 {MAX_OCCURRENCES} 次）",
            f"more than {MAX_OCCURRENCES} occurrences",
        )
    if not starts:
        raise _rule_error("重复规则在开始时间之后没有任何一次演练", "the rule yields no occurrence")
    if starts[0] != dtstart:
        raise _rule_error(
            f"重复规则的第一次演练（{starts[0]:%Y-%m-%d %H:%M}）与开始时间"
            f"（{dtstart:%Y-%m-%d %H:%M}）不一致，请调整开始时间或规则",
            f"the first occurrence {starts[0]:%Y-%m-%d %H:%M} is not the start time "
            f"{dtstart:%Y-%m-%d %H:%M}",
        )
    return value


@lru_cache(maxsize=2048)
def series_starts(rule_text: str | None, dtstart: dt.datetime) -> tuple[dt.datetime, ...]:
    """Every start of the series before EXDATEs and moves (one start without a rule)."""
    if not rule_text:
        return (dtstart,)
    rule = parse_rrule(rule_text, dtstart)
    horizon = series_horizon(dtstart)
    out: list[dt.datetime] = []
    for start in islice(rule, MAX_OCCURRENCES):
        if start > horizon:
            break
        out.append(start)
    return tuple(out)


# ------------------------------------------------------------------------------- exdates


def parse_exdate(value: str | dt.date) -> dt.datetime | dt.date:
    """An EXDATE as stored (ISO datetime or ISO date) or given; aware values become local."""
    if isinstance(value, dt.datetime):
        parsed: dt.datetime | dt.date = value
    elif isinstance(value, dt.date):
        return value
    else:
        text = str(value).strip()
        try:
            parsed = (
                dt.datetime.fromisoformat(text)
                if "T" in text or " " in text
                else dt.date.fromisoformat(text)
            )
        except ValueError as exc:
            raise ValidationError(
                "exdates",
                f"例外日期“{text}”不是有效的日期或时间（如 2025-03-10T09:00:00）",
                message_en=f"exception date {text!r} is not an ISO date or datetime",
            ) from exc
    if isinstance(parsed, dt.datetime) and parsed.tzinfo is not None:
        parsed = parsed.astimezone(TZ).replace(tzinfo=None)
    return parsed


def exdate_text(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def is_excluded(start: dt.datetime, exdates: Iterable[dt.datetime | dt.date]) -> bool:
    for ex in exdates:
        if isinstance(ex, dt.datetime):
            if ex == start:
                return True
        elif ex == start.date():
            return True
    return False


# --------------------------------------------------------------------------- expansion


def load_moves(session: Session, drill_ids: Sequence[int]) -> dict[int, list[DrillOccurrenceMove]]:
    moves: dict[int, list[DrillOccurrenceMove]] = defaultdict(list)
    if not drill_ids:
        return moves
    rows = session.scalars(
        select(DrillOccurrenceMove)
        .where(DrillOccurrenceMove.drill_id.in_(list(drill_ids)))
        .order_by(DrillOccurrenceMove.drill_id, DrillOccurrenceMove.original_start)
    )
    for move in rows:
        moves[move.drill_id].append(move)
    return moves


def occurrences(
    drill: Drill,
    start: dt.datetime,
    end: dt.datetime,
    *,
    moves: Sequence[DrillOccurrenceMove] | None = None,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The drill's occurrences whose (moved) start lies in ``[start, end)``, by start time.

    EXDATEs and cancelled occurrences are left out, or, with ``include_cancelled``, returned with
    ``cancelled=True`` at their original time (when that lies in the window). A moved occurrence
    appears at its new time, so a move can bring it into the window or take it out. ``moves``
    defaults to the drill's rows in its session.
    """
    if moves is None:
        from sqlalchemy.orm import object_session

        session = object_session(drill)
        moves = load_moves(session, [drill.id]).get(drill.id, []) if session else []
    by_original = {m.original_start: m for m in moves}
    exdates = [parse_exdate(x) for x in (drill.exdates or [])]
    length = drill.ends_at - drill.starts_at
    out: list[Occurrence] = []
    for original in series_starts(drill.rrule, drill.starts_at):
        move = by_original.get(original)
        excluded = is_excluded(original, exdates)
        if excluded or (move is not None and move.new_start is None):
            if include_cancelled and start <= original < end:
                out.append(
                    Occurrence(drill.id, original, original, original + length, cancelled=True)
                )
            continue
        if move is not None and move.new_start is not None:
            new_end = move.new_end or move.new_start + length
            occ = Occurrence(drill.id, original, move.new_start, new_end, moved=True)
        else:
            occ = Occurrence(drill.id, original, original, original + length)
        if start <= occ.start < end:
            out.append(occ)
    out.sort(key=lambda o: (o.start, o.original_start))
    return out


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)


def drills_touching(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    include_cancelled: bool = False,
) -> list[Drill]:
    """Drills that may have an occurrence in ``[start, end)`` (participants and plans loaded)."""
    moved_in = select(DrillOccurrenceMove.drill_id).where(
        DrillOccurrenceMove.new_start >= start, DrillOccurrenceMove.new_start < end
    )
    stmt = (
        select(Drill)
        .where(
            or_(
                Drill.starts_at.between(start, end),
                (Drill.rrule.is_not(None)) & (Drill.starts_at < end),
                Drill.id.in_(moved_in),
            )
        )
        .options(selectinload(Drill.participants), selectinload(Drill.plans))
        .order_by(Drill.starts_at, Drill.code)
    )
    if not include_cancelled:
        stmt = stmt.where(Drill.status != DrillStatus.CANCELLED)
    return list(session.scalars(stmt))


def occurrences_between(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """Occurrences of every drill in ``[start, end)``, ordered by start, then drill id.

    Cancelled drills (and cancelled occurrences) only with ``include_cancelled``; their
    occurrences then carry ``cancelled=True``.
    """
    drills = drills_touching(session, start, end, include_cancelled=include_cancelled)
    moves = load_moves(session, [d.id for d in drills])
    out: list[Occurrence] = []
    for drill in drills:
        found = occurrences(
            drill, start, end, moves=moves.get(drill.id, []), include_cancelled=include_cancelled
        )
        if drill.status == DrillStatus.CANCELLED:
            found = [
                Occurrence(o.drill_id, o.original_start, o.start, o.end, o.moved, True)
                for o in found
            ]
        out.extend(found)
    out.sort(key=lambda o: (o.start, o.drill_id, o.original_start))
    return out


def occurrences_in_year(
    session: Session, year: int, *, include_cancelled: bool = False
) -> list[Occurrence]:
    """Occurrences starting in calendar year ``year`` (see :func:`occurrences_between`)."""
    start, end = year_bounds(year)
    return occurrences_between(session, start, end, include_cancelled=include_cancelled)
