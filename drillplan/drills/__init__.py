"""Drills (应急演练): editing, recurrence, conflicts, the annual schedule, evaluation, iCalendar.

Modules (import the one you need; this package imports nothing on its own):

* :mod:`drillplan.drills.editing` — create and edit drills, participants, plans, status,
  one-off moves and exceptions of single occurrences (re-exporting the three below).
* :mod:`drillplan.drills.inputs` — checking the values a drill is created or edited with.
* :mod:`drillplan.drills.versioning` — loading a drill and guarding its ``row_version``.
* :mod:`drillplan.drills.occurrences` — move, cancel, skip or restore one occurrence.
* :mod:`drillplan.drills.recurrence` — expand a drill's RRULE into occurrences.
* :mod:`drillplan.drills.plan_due` — each plan's drill due dates walked through a year.
* :mod:`drillplan.drills.conflicts` — every clash of a year's schedule, explained.
* :mod:`drillplan.drills.foresee` — the conflicts a save would bring, asked before it runs.
* :mod:`drillplan.drills.schedule` — propose (and write) the annual drill plan.
* :mod:`drillplan.drills.evaluation` — indicator scores, findings, corrective actions.
* :mod:`drillplan.drills.ics` — the schedule as an iCalendar file.
* :mod:`drillplan.cli.drills` — the ``drillplan drills ...`` commands.
"""
