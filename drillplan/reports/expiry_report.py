"""物资到期审计报告: the expiry audit by tier and holder, certificates and agreements."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import PageBreak, Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import label
from drillplan.reports import english
from drillplan.reports.cells import Col, cell_texts, status_text
from drillplan.reports.frame import Heading, Para, Texts, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import bar_chart, data_table, table_widths
from drillplan.stock import expiry

TIER_ORDER = ["city", "district", "street", "enterprise", "agreement"]


def _tier_key(tier: str) -> int:
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    horizons: Sequence[int] | None = None,
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    horizons = expiry.check_horizons(horizons or settings.get(session, "expiry_horizons"))
    doc = open_document(
        session,
        title=("应急物资到期审计报告", "Emergency Material Expiry Audit"),
        subject=("过期及临期物资、证书与协议", "Expired and expiring stock, certificates"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
    )
    tx, st, width = doc.tx, doc.st, doc.width
    lots = expiry.lot_expiry(session, as_of=as_of, horizons=horizons)
    certs = expiry.certificate_expiry(session, as_of=as_of, horizons=horizons)
    agreements = expiry.agreement_expiry(session, as_of=as_of, horizons=horizons)
    statuses = ["expired", *[f"within_{h}" for h in horizons]]

    counts = {s: 0 for s in statuses}
    qty_value = {s: Decimal(0) for s in statuses}
    for lot in lots:
        counts[lot.status] += 1
        qty_value[lot.status] += lot.value or Decimal(0)
    figures: dict[str, object] = {
        "lots": len(lots),
        "certificates": len(certs),
        "agreements": len(agreements),
        **{f"lots_{s}": counts[s] for s in statuses},
        "value_total": sum(qty_value.values(), Decimal(0)),
    }

    story = doc.story
    story.append(Heading(tx.t("一、总体情况", "1. Summary"), st["h1"]))
    if not lots and not certs and not agreements:
        story.append(
            Paragraph(
                tx.t(
                    f"截至 {as_of}，没有过期或 {horizons[-1]} 天内到期的物资、证书或协议，"
                    "本期没有需要报告的事项。",
                    f"As of {as_of} nothing is expired or expiring within {horizons[-1]} days:"
                    " there is nothing to report.",
                ),
                st["base"],
            )
        )
        return doc.finish(path, figures)

    story.append(
        Paragraph(
            tx.t(
                f"截至 {as_of}，共有 {len(lots):,} 个批次过期或在 {horizons[-1]} 天内到期，"
                f"账面价值合计 {fmt_number(figures['value_total'], 2)} 元；"
                f"人员证书 {len(certs):,} 本、合作协议 {len(agreements):,} 份需要关注。",
                f"As of {as_of}, {len(lots):,} lots are expired or expire within"
                f" {horizons[-1]} days (value {fmt_number(figures['value_total'], 2)} CNY);"
                f" {len(certs):,} certificates and {len(agreements):,} agreements need"
                " attention.",
            ),
            st["base"],
        )
    )
    story.append(Para(legend(statuses, horizons, tx, lang), st["note"]))
    story.append(Spacer(1, 4))
    summary_rows = [
        [status_text(s, lang), counts[s], qty_value[s].quantize(Decimal("0.01"))] for s in statuses
    ]
    story += data_table(
        [
            Col(tx.t("状态", "Status"), 2),
            Col(tx.t("批次数", "Lots"), 1, "RIGHT"),
            Col(tx.t("金额（元）", "Value (CNY)"), 1.5, "RIGHT", decimals=2),
        ],
        summary_rows,
        width=width * 0.7,
        lang=lang,
    )
    story.append(Spacer(1, 8))
    story.append(
        bar_chart(
            [status_text(s, lang) for s in reversed(statuses)],
            [counts[s] for s in reversed(statuses)],
            width=width,
            title=tx.t("按到期状态的批次数", "Lots by status"),
        )
    )
    by_tier: dict[str, dict[str, int]] = defaultdict(lambda: {s: 0 for s in statuses})
    for lot in lots:
        by_tier[lot.tier][lot.status] += 1
    story.append(Spacer(1, 6))
    story += data_table(
        [Col(tx.t("层级", "Tier"), 1.5)]
        + [Col(status_text(s, lang), 1, "RIGHT") for s in statuses],
        [
            [label(t, lang)] + [by_tier[t][s] for s in statuses]
            for t in sorted(by_tier, key=_tier_key)
        ],
        width=width,
        lang=lang,
    )

    lot_cols = [
        Col(tx.t("物资", "Material"), 2.4),
        Col(tx.t("批次", "Batch"), 1.6),
        Col(tx.t("数量", "Qty"), 0.9, "RIGHT"),
        Col(tx.t("单位", "Unit"), 0.5, "CENTER"),
        Col(tx.t("有效期至", "Expires"), 1.1, "CENTER"),
        Col(tx.t("剩余天数", "Days"), 0.8, "RIGHT"),
        Col(tx.t("状态", "Status"), 1.1, status=True),
        Col(tx.t("金额", "Value"), 1.0, "RIGHT", decimals=2),
    ]

    def lot_row(x: expiry.LotExpiry) -> list[object]:
        return [
            x.material_name,
            x.batch_no,
            x.quantity,
            x.uom,
            x.expiry_date,
            x.days_left,
            x.status,
            x.value,
        ]

    # one set of column widths for every holder's table: they line up down the pages
    lot_texts = cell_texts(lot_cols, (lot_row(x) for x in lots), lang)  # formatted once
    lot_widths = table_widths(lot_cols, lot_texts, width=width, lang=lang)
    story.append(PageBreak())
    story.append(Heading(tx.t("二、物资批次明细", "2. Lots by tier and holder"), st["h1"]))
    by_holder: dict[tuple[str, str, str], list[expiry.LotExpiry]] = defaultdict(list)
    rows_of: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, lot in enumerate(lots):
        holder = (lot.tier, lot.holder_code, lot.holder_name)
        by_holder[holder].append(lot)
        rows_of[holder].append(i)
    current_tier = None
    for tier, code, name in sorted(by_holder, key=lambda k: (_tier_key(k[0]), k[1])):
        if tier != current_tier:
            story.append(Heading(label(tier, lang), st["h2"], level=1))
            current_tier = tier
        group = by_holder[(tier, code, name)]
        story.append(Heading(f"{name}（{code}）", st["base"], level=2))
        story += data_table(
            lot_cols,
            lot_texts.pick(rows_of[(tier, code, name)]),
            width=width,
            lang=lang,
            widths=lot_widths,
        )
        actions = sorted({english.expiry_action(x.action, lang) for x in group if x.action})
        if actions:
            story.append(Para(tx.t("建议：", "Suggested: ") + tx.t("；", "; ").join(actions),
                              st["note"]))  # fmt: skip
        story.append(Spacer(1, 4))

    story.append(Heading(tx.t("三、人员证书", "3. Members' certificates"), st["h1"]))
    if certs:
        story += data_table(
            [
                Col(tx.t("队伍", "Team"), 2.2, wrap=True),
                Col(tx.t("姓名", "Name"), 0.9),
                Col(tx.t("证书", "Certificate"), 1.8, wrap=True),
                Col(tx.t("有效期至", "Expires"), 1.1, "CENTER"),
                Col(tx.t("剩余天数", "Days"), 0.8, "RIGHT"),
                Col(tx.t("状态", "Status"), 1.1, status=True),
            ],
            [
                [c.team_name, c.member_name, c.cert_type, c.expires_on, c.days_left, c.status]
                for c in certs
            ],
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("无到期证书。", "No certificates expiring."), st["base"]))

    story.append(Heading(tx.t("四、合作协议", "4. Cooperation agreements"), st["h1"]))
    if agreements:
        story += data_table(
            [
                Col(tx.t("队伍", "Team"), 3, wrap=True),
                Col(tx.t("协议编号", "Agreement"), 1.6),
                Col(tx.t("到期日", "Expires"), 1.1, "CENTER"),
                Col(tx.t("剩余天数", "Days"), 0.8, "RIGHT"),
                Col(tx.t("状态", "Status"), 1.1, status=True),
            ],
            [
                [a.team_name, a.agreement_no or "", a.expires_on, a.days_left, a.status]
                for a in agreements
            ],
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("无到期协议。", "No agreements expiring."), st["base"]))
    story.append(Heading(tx.t("五、结论与建议", "5. Conclusion"), st["h1"]))
    story.append(Para(conclusion(counts, qty_value, horizons, certs, agreements, tx), st["base"]))
    return doc.finish(path, figures)


def legend(statuses: Sequence[str], horizons: Sequence[int], tx: Texts, lang: str) -> str:
    """What each status mark means (colour, symbol and word: it reads in black and white)."""
    parts = []
    lower = 0
    for s in statuses:
        if s == "expired":
            parts.append(tx.t(f"{status_text(s, lang)}：有效期已过", f"{status_text(s, lang)}:"
                              " past its expiry date"))  # fmt: skip
            continue
        days = int(s.removeprefix("within_"))
        parts.append(
            tx.t(
                f"{status_text(s, lang)}：{lower + 1}–{days} 天内到期" if lower else
                f"{status_text(s, lang)}：{days} 天内（含今天）到期",
                f"{status_text(s, lang)}: expires in {lower + 1}-{days} days" if lower else
                f"{status_text(s, lang)}: expires within {days} days",
            )
        )  # fmt: skip
        lower = days
    return tx.t("图例：", "Legend: ") + tx.t("；", "; ").join(parts) + tx.t("。", ".")


def conclusion(
    counts: dict[str, int],
    values: dict[str, Decimal],
    horizons: Sequence[int],
    certs: Sequence[object],
    agreements: Sequence[object],
    tx: Texts,
) -> str:
    """The closing paragraph: what to write off, what to rotate first, what to renew."""
    expired = counts.get("expired", 0)
    first = counts.get(f"within_{horizons[0]}", 0)
    later = sum(v for k, v in counts.items() if k not in ("expired", f"within_{horizons[0]}"))
    value = fmt_number(values.get("expired", Decimal(0)), 2)
    return tx.t(
        f"已过期批次 {expired} 个（账面价值 {value} 元），应按规定报损或销毁并及时补充储备；"
        f"{horizons[0]} 天内到期的 {first} 个批次应优先用于近期演练、调拨或安排轮换；"
        f"其余 {later} 个临期批次列入轮换计划。人员证书 {len(certs)} 本、合作协议"
        f" {len(agreements)} 份应在到期前完成复审或续签。",
        f"{expired} lots are expired (book value {value} CNY): write them off or dispose of them"
        f" and replenish; the {first} lots expiring within {horizons[0]} days go first to"
        f" upcoming drills, transfers or rotation; the other {later} expiring lots join the"
        f" rotation plan. Renew the {len(certs)} certificates and {len(agreements)} agreements"
        " before they expire.",
    )
