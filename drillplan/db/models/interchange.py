"""What an import keeps beyond the register's own columns."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drillplan.db.base import Base


class ImportExtra(Base):
    """A cell of a column the office added to its sheet (备注, 责任人, 所属片区 ...): kept with
    the row it belongs to, identified by the register (``kind``) and the row's natural key as
    the export writes it (``row_key``: its parts joined by U+001F), and written back by the
    next export in a column of the same header (``position``: the column's place in the file
    it came from, for the order of the exported columns)."""

    __tablename__ = "import_extra"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    header: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
