"""Skill competitions (技能大比武): events, results, per-event ranks and the overall ranking.

The public API lives in :mod:`drillplan.competitions.core` (database operations and
queries, re-exporting :mod:`~drillplan.competitions.inputs` and
:mod:`~drillplan.competitions.results`) and :mod:`drillplan.competitions.ranking` (the pure
ranking rules); the command line in :mod:`drillplan.cli.competitions`. See
``docs/competitions.md``.
"""

from __future__ import annotations

from drillplan.competitions.core import (
    MAX_SCORE,
    MAX_TIME_SECONDS,
    CompetitionResults,
    EventResult,
    EventScore,
    OverallRow,
    ResultRow,
    add_entry,
    add_event,
    competition_rows,
    copy_from_previous,
    create_competition,
    find_competition,
    overall_ranking,
    points_table_of,
    rank_event,
    record_result,
    remove_entry,
    results,
)
from drillplan.competitions.ranking import DEFAULT_POINTS_TABLE, competition_ranks

__all__ = [
    "DEFAULT_POINTS_TABLE",
    "MAX_SCORE",
    "MAX_TIME_SECONDS",
    "CompetitionResults",
    "EventResult",
    "EventScore",
    "OverallRow",
    "ResultRow",
    "add_entry",
    "add_event",
    "competition_ranks",
    "competition_rows",
    "copy_from_previous",
    "create_competition",
    "find_competition",
    "overall_ranking",
    "points_table_of",
    "rank_event",
    "record_result",
    "remove_entry",
    "results",
]
