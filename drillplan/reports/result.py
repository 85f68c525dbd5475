"""What building a report returns: the file and the figures it printed (for tests and UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ReportResult:
    path: Path
    figures: dict[str, object] = field(default_factory=dict)
