"""One month of the duty roster as the office's monthly sheet (the desktop's 导出本月)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from drillplan.interchange import duty_kinds
from drillplan.interchange.duty_contacts import month_rows
from drillplan.interchange.exporter import write_csv, write_xlsx


def export_month(session: Session, year: int, month: int, dest: str | Path) -> int:
    """Write the month's shifts to ``dest`` (.xlsx, or .csv by its name); the row count."""
    path = Path(dest)
    writer = write_csv if path.suffix.lower() == ".csv" else write_xlsx
    return writer(duty_kinds.DUTY, month_rows(session, year, month), path)
