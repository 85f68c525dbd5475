"""Editing commands the desktop UI needs and no other core module offers yet (Qt-free).

Teams, members and certificates (:mod:`.teams`), depots, materials and quotas
(:mod:`.depots`), units (:mod:`.units`), deleting plans, drills and competitions
(:mod:`.deleting`), moving drills on the calendar (:mod:`.moving`) and the RRULE builder
(:mod:`.rrule`). Like the rest of the core, each function is one user action on the
caller's session: it validates everything first, raises ``ValidationError(field, ...)``,
``Conflict`` for a stale ``expected_version`` and writes the audit log.
"""

from __future__ import annotations
