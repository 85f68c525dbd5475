"""The resource directory as a spreadsheet: one row per holder x material, written by the
interchange exporter (:func:`drillplan.interchange.exporter.write_xlsx` / ``write_csv``)
from an export-only column spec (not an importable register).

``drillplan export directory FILE.xlsx`` writes every holder of every material;
``drillplan find TEXT -o FILE.xlsx`` the answer to one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Material
from drillplan.directory.find import Found, find
from drillplan.directory.rows import flat_rows
from drillplan.interchange.spec import Column, Kind, T

C = Column
DIRECTORY = Kind(
    "directory", "资源目录", "Resource directory", key=("holder_code", "material"),
    columns=(
        C("tier_label", "层级", "Tier", width=10),
        C("holder_code", "持有方编码", "Holder code", width=16),
        C("holder_name", "持有方", "Holder", width=30),
        C("unit", "所属单位", "Unit", width=22),
        C("material", "物资编码", "Material", width=10),
        C("material_name", "物资名称", "Material name", width=18),
        C("uom", "计量单位", "Unit of measure", width=8),
        C("usable", "可用数量", "Usable", T.DECIMAL, width=12),
        C("expiring", "临期数量", "Expiring", T.DECIMAL, width=12),
        C("promised", "产能储备承诺数量", "Capacity promised", T.DECIMAL, width=14),
        C("lead_time_hours", "响应时限（小时）", "Lead time (h)", T.INT, width=12),
        C("address", "地址", "Address", width=32),
        C("keeper", "保管员/联系人", "Keeper / contact", width=12),
        C("phone", "电话", "Phone", width=14),
        C("agreement_supplier", "协议供应商", "Agreement supplier", width=24),
        C("agreement_contact", "协议联系人", "Agreement contact", width=12),
        C("agreement_phone", "协议联系电话", "Agreement phone", width=14),
        C("capabilities", "专业能力", "Capabilities", width=18),
    ),
)  # fmt: skip


def everything(session: Session, *, as_of: dt.date, tier: object = None) -> Iterator[Found]:
    """The directory of every material: one answer per top-level class (code prefix 1, 2, 3)."""
    firsts = session.scalars(select(func.distinct(func.substr(Material.code, 1, 1)))).all()
    for first in sorted(firsts):
        yield find(session, first, as_of=as_of, tier=tier)


def directory_rows(founds: Iterator[Found] | list[Found]) -> Iterator[dict[str, Any]]:
    for found in founds:
        yield from flat_rows(found)


def write_directory(
    session: Session,
    dest: Path,
    *,
    as_of: dt.date,
    query: str | None = None,
    tier: object = None,
    near_unit: object = None,
) -> int:
    """Write the directory (of ``query``, else of everything) to ``dest`` (.xlsx or .csv)."""
    from drillplan.interchange.exporter import write_csv, write_xlsx  # openpyxl: only here

    if query:
        founds: Any = [find(session, query, as_of=as_of, tier=tier, near_unit=near_unit)]
    else:
        founds = everything(session, as_of=as_of, tier=tier)
    writer = write_csv if dest.suffix.lower() == ".csv" else write_xlsx
    return writer(DIRECTORY, directory_rows(founds), dest)
