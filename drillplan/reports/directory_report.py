"""资源目录（物资持有方通讯录）: one page per material class, every holder with its usable
quantity per unit of measure, address, keeper and phone (numbers from
:mod:`drillplan.directory.find`, the rows of :mod:`drillplan.directory.rows`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import PageBreak, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Material
from drillplan.directory.find import Found, find
from drillplan.directory.rows import agreement_text
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.formatting import fmt_number
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table, table_widths

# the level-2 groups of the starter catalogue (GB/T 38565-2020 style codes: 1 + 2 digits); the
# wording is the project's own (the standard's exact names are unconfirmed); others print as
# "分类 NNN"
CLASS_NAMES: dict[str, tuple[str, str]] = {
    "101": ("住宿保障类", "Shelter and bedding"),
    "102": ("食品、饮用水与储备粮油", "Food, water, grain and edible oil"),
    "103": ("生活用品类", "Daily necessities"),
    "104": ("卫生防疫类", "Hygiene and epidemic prevention"),
    "201": ("个体防护装备", "Personal protective equipment"),
    "202": ("搜索与救援装备", "Search and rescue equipment"),
    "203": ("水上救援装备", "Water rescue equipment"),
    "204": ("应急照明", "Emergency lighting"),
    "205": ("电力保障", "Power supply"),
    "206": ("排水与供水", "Pumping and water supply"),
    "207": ("通信保障", "Communications"),
    "208": ("医疗急救", "Medical first aid"),
    "209": ("危险化学品处置", "Hazardous chemicals response"),
    "210": ("消防灭火", "Fire fighting"),
    "211": ("交通管控", "Traffic control"),
    "301": ("防汛抢险材料", "Flood-fighting materials"),
    "302": ("砂石料", "Sand and stone"),
    "303": ("工程机械", "Construction machinery"),
    "304": ("工具与器材", "Tools and supplies"),
}


def class_title(code: str, lang: str = "zh") -> str:
    zh, en = CLASS_NAMES.get(code, (f"分类 {code}", f"Class {code}"))
    return f"{code} {zh}" if lang == "zh" else f"{code} {en}"


def _classes(session: Session, prefix: str | None) -> list[str]:
    codes = session.scalars(select(Material.code).order_by(Material.code)).all()
    if prefix:
        codes = [c for c in codes if c.startswith(prefix)]
    return sorted({c[:3] for c in codes})


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    material_class: str | None = None,
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    prefix = (material_class or "").strip() or None
    if prefix is not None and not (prefix.isdigit() and len(prefix) <= 7):
        raise ValidationError(
            "class",
            f"物资分类“{prefix}”应为 1 至 7 位数字（如 203 或 2030102）",
            message_en=f"material class {prefix!r}: 1 to 7 digits (e.g. 203)",
        )
    doc = open_document(
        session,
        title=("应急物资资源目录", "Emergency Resource Directory"),
        subject=(
            "按物资分类：持有方、可用数量与联系人",
            "By material class: holders, usable quantity and whom to call",
        ),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
    )
    tx, st, width = doc.tx, doc.st, doc.width
    story = doc.story
    cols = [
        Col(tx.t("层级", "Tier"), 0.8),
        Col(tx.t("持有方", "Holder"), 2.6, wrap=True),
        Col(tx.t("物资", "Material"), 1.6, wrap=True),
        Col(tx.t("可用数量", "Usable"), 1.6, "RIGHT", wrap=True),
        Col(tx.t("地址", "Address"), 2.6, wrap=True),
        Col(tx.t("保管员/联系人", "Keeper / contact"), 0.9),
        Col(tx.t("电话", "Phone"), 1.1),
        Col(tx.t("协议供应商及联系人", "Agreement supplier"), 2.0, wrap=True),
    ]
    pages: list[tuple[str, Found]] = []
    for cls in _classes(session, prefix):
        query = prefix if prefix and len(prefix) > 3 else cls
        found = find(session, query, as_of=as_of)
        if found.holders:
            pages.append((cls, found))
    figures: dict[str, object] = {"classes": len(pages), "holders": 0}
    if not pages:
        story.append(
            Paragraph(
                tx.t(
                    "没有登记持有这些物资的储备库、队伍或产能储备。",
                    "No depot, team or capacity reserve holds these materials.",
                ),
                st["base"],
            )
        )
        return doc.finish(path, figures)
    for n, (cls, found) in enumerate(pages):
        if n:
            story.append(PageBreak())
        story.append(Heading(class_title(cls, lang), st["h1"]))
        totals = "；".join(
            f"{code} {fmt_number(usable)} {uom}"
            for (code, uom), (usable, _e) in sorted(found.totals().items())
        )
        story.append(
            Paragraph(
                tx.t(
                    f"持有方 {len(found.holders)} 个。"
                    f"可用合计（按计量单位，不同单位不相加）：{totals}。"
                    "产能储备为供应商承诺，单列，不计入可用数量。",
                    f"{len(found.holders)} holders. Usable in all (per unit of measure): {totals}."
                    " Capacity reserves are suppliers' promises, listed apart, not counted.",
                ),
                st["base"],
            )
        )
        story.append(Spacer(1, 4))
        rows = []
        for h in found.holders:
            for item in h.holdings:
                if item.promised is not None:
                    qty = tx.t(
                        f"承诺 {fmt_number(item.promised)} {item.uom}"
                        f"（{item.lead_time_hours} 小时内）",
                        f"{fmt_number(item.promised)} {item.uom} promised"
                        f" (within {item.lead_time_hours} h)",
                    )
                else:
                    qty = f"{fmt_number(item.usable)} {item.uom}"
                    if item.expiring:
                        qty += tx.t(
                            f"（{found.horizon_days} 天内到期 {fmt_number(item.expiring)}）",
                            f" ({fmt_number(item.expiring)} expire in {found.horizon_days} d)",
                        )
                rows.append(
                    [
                        h.tier_label if lang == "zh" else h.tier,
                        f"{h.name}（{h.code}）",
                        f"{item.material_code} {item.material_name}",
                        qty,
                        h.address or "",
                        h.keeper or "",
                        h.phone or "",
                        agreement_text(h),
                    ]
                )
        figures["holders"] = int(figures["holders"]) + len(found.holders)  # type: ignore[call-overload]
        widths = table_widths(cols, rows, width=width, lang=lang)
        story += data_table(cols, rows, width=width, lang=lang, widths=widths)
    return doc.finish(path, figures)
