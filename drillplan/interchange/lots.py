"""Lots with their opening receipts: validated here, written by the bulk receive.

A new lot with a quantity gets one receipt movement (``stock.bulk.receive_batch``: one audit
entry, Core executemany); a new lot with quantity 0 is only registered. A lot already held (same
holder, material and batch) is never received again: its descriptive columns are updated, and a
quantity that differs from the ledger is reported as a warning (use a stock count for that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from drillplan.auth.guard import bulk_checked, require_holders
from drillplan.db.models import Depot, Holder, Lot, Material, Movement, Team
from drillplan.interchange import kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.values import days_shown, name_key
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_optional_money, parse_optional_quantity
from drillplan.kernel.vocab import HolderKind
from drillplan.listing.refs import MaterialRef
from drillplan.stock.bulk import BulkValidationError, ReceiptRow, receive_batch
from drillplan.stock.dates import future_error, latest_allowed
from drillplan.stock.holders import holder_for_depot, holder_for_team

DESCRIPTIVE = ("unit_cost", "supplier", "source", "location", "last_inspected_on")
FIELD_COLUMNS = {"date": "received_on", "holder": "holder", "material": "material"}
ZERO = Decimal(0)
PASSED_LIMIT = 100_000  # distinct quantities (and unit costs) remembered


class LotHandler:
    kind = kinds.LOTS
    self_refs: frozenset[str] = frozenset()

    def natural_key(self, rec: Record) -> Hashable:
        holder, material = rec.resolved.get("holder"), rec.resolved.get("material")
        if holder is None or material is None:
            return None
        return (holder, material.id, rec.values.get("batch_no"))  # type: ignore[attr-defined]

    def _names(self, ctx: Context, rec: Record, names: dict[tuple[str, int], str]) -> None:
        """A name written next to a code must be the code's: a row that says 2010101 救生衣
        where 2010101 is 编织袋 is refused rather than imported under the code."""
        material: MaterialRef = rec.resolved["material"]  # type: ignore[assignment]
        holder = rec.resolved["holder"]
        for key, code_key, known, zh, en in (
            ("material_name", "material", material.name, "物资", "material"),
            ("holder_name", "holder", names.get(holder), "储备库或队伍", "depot or team"),  # type: ignore[arg-type]
        ):
            given = rec.values.get(key)
            if given is None or known is None or name_key(str(given)) == name_key(known):
                continue
            code = rec.values.get(code_key)
            if name_key(str(code)) == name_key(known):
                continue  # the code column held the name itself: nothing to compare
            ctx.problem(
                rec.row, key, "name_mismatch",
                f"名称与编码不符：编码 {code} 对应的{zh}是“{known}”，本行填写的是“{given}”"
                "（请核对编码或名称）",
                f"name does not match the code: {en} {code} is {known!r}, the row says"
                f" {given!r} (check the code or the name)",
            )  # fmt: skip
            rec.ok = False

    def _holder_names(self, session: Session) -> dict[tuple[str, int], str]:
        out: dict[tuple[str, int], str] = {}
        for did, name in session.execute(select(Depot.id, Depot.name)):
            out[("depot", did)] = name
        for tid, name in session.execute(select(Team.id, Team.name)):
            out[("team", tid)] = name
        return out

    def _numbers(self, ctx: Context, rec: Record, passed: tuple[set[Hashable], ...]) -> None:
        """The kernel's range and precision, also for the rows written without the ORM; a
        quantity or unit cost that passed is not judged again (``passed``: a column of
        100,000 lots holds a few thousand distinct numbers). The type is part of the key:
        ``True == 1 == Decimal(1)``, but a yes/no cell is no quantity."""
        v = rec.values
        qty, cost = v.get("quantity"), v.get("unit_cost")
        known_qty, known_cost = passed
        try:
            q_key, c_key = (qty.__class__, qty), (cost.__class__, cost)
            if q_key in known_qty and c_key in known_cost:
                return
        except TypeError:  # an unhashable value (a signalling NaN): judged every time
            q_key = c_key = None
        try:
            parse_optional_quantity(qty, field="quantity", sign="non_negative")
            parse_optional_money(cost, field="unit_cost", what="单价")
        except ValidationError as exc:
            ctx.error(rec.row, exc)
            rec.ok = False
            return
        if q_key is not None and len(known_qty) < PASSED_LIMIT:
            known_qty.add(q_key)
            known_cost.add(c_key)

    def _rules(
        self, ctx: Context, rec: Record, latest: dt.date, passed: tuple[set[Hashable], ...]
    ) -> None:
        v = rec.values
        material: MaterialRef = rec.resolved["material"]  # type: ignore[assignment]
        self._numbers(ctx, rec, passed)
        uom = v.get("uom")
        if uom is not None and uom != material.uom:
            ctx.problem(
                rec.row, "uom", "uom_mismatch",
                f"计量单位“{uom}”与物资 {material.name} 的单位“{material.uom}”不符",
                f"unit {uom!r} does not match the material's unit {material.uom!r}",
            )  # fmt: skip
        made: dt.date | None = v.get("production_date")  # type: ignore[assignment]
        expiry: dt.date | None = v.get("expiry_date")  # type: ignore[assignment]
        if expiry is None and made is not None and material.shelf_life_days:
            days = material.shelf_life_days
            expiry = made + dt.timedelta(days=days)
            ctx.note(
                rec.row, "expiry_date", "expiry_derived",
                f"有效期至按物资“{material.name}”的保质期推算："
                f"{made} + {days_shown(days)} = {expiry}",
                f"expiry derived from the shelf life of {material.name}: {made} + {days} days"
                f" = {expiry}",
            )  # fmt: skip
        rec.resolved["expiry"] = expiry
        if made is not None and expiry is not None and expiry < made:
            ctx.problem(
                rec.row, "expiry_date", "expiry_before_production",
                f"有效期至 {expiry} 早于生产日期 {made}",
                f"expiry date {expiry} is before the production date {made}",
            )  # fmt: skip
        if made is not None and made > ctx.today:
            ctx.problem(
                rec.row, "production_date", "future_date",
                f"生产日期 {made} 晚于今天 {ctx.today}", "production date in the future",
            )  # fmt: skip
        on = v.get("received_on") or ctx.today
        rec.resolved["on"] = on
        if on > latest:  # type: ignore[operator]  # the stock rule: today, or pre-dated allowed
            err = future_error(on, ctx.today, field_name="received_on")  # type: ignore[arg-type]
            ctx.problem(rec.row, "received_on", "future_date", err.message, err.message_en or "")

    def _holder_ids(self, session: Session) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = {}
        for hid, depot_id, team_id in session.execute(
            select(Holder.id, Holder.depot_id, Holder.team_id)
        ):
            out[("depot", depot_id) if depot_id is not None else ("team", team_id)] = hid
        return out

    def check(self, ctx: Context, records: list[Record]) -> None:
        good = [r for r in records if r.ok]
        names = self._holder_names(ctx.session) if ctx.present("holder_name") else {}
        for rec in good:
            self._names(ctx, rec, names)
        good = [r for r in good if r.ok]
        ctx.duplicates(good, self.natural_key, "batch_no")
        before = len(ctx.problems)
        latest = latest_allowed(ctx.session, ctx.today)
        passed: tuple[set[Hashable], ...] = (set(), set())
        for rec in good:
            self._rules(ctx, rec, latest, passed)
        if len(ctx.problems) > before:
            return
        holders = self._holder_ids(ctx.session)
        wanted = {holders[k] for k in {r.resolved["holder"] for r in good} if k in holders}
        current: dict[tuple[int, int, str], Any] = {}
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            stmt = select(Lot).where(Lot.holder_id.in_(ids[start : start + 500]))
            for lot in ctx.session.scalars(stmt):
                current[(lot.holder_id, lot.material_id, lot.batch_no)] = lot
        for rec in good:
            hid = holders.get(rec.resolved["holder"])  # type: ignore[arg-type]
            material: MaterialRef = rec.resolved["material"]  # type: ignore[assignment]
            lot = current.get((hid, material.id, rec.values["batch_no"])) if hid else None
            if lot is None:
                rec.action = CREATE
                self._quantity(ctx, rec)
            else:
                self._classify(ctx, rec, lot)

    def _quantity(self, ctx: Context, rec: Record) -> None:
        """A new lot is received with its quantity: 0 is a mistake unless the row says it only
        registers the lot (仅登记 = 是), and a register-only row receives nothing."""
        qty = rec.values.get("quantity")
        register_only = bool(rec.values.get("register_only"))
        if qty == ZERO and not register_only:
            ctx.problem(
                rec.row, "quantity", "zero_quantity",
                "新批次的数量为 0：请填写实际数量；如只登记批次、不入库，请在“仅登记”列填“是”",
                "a new lot with quantity 0: give the real quantity, or write 是 in the"
                " 仅登记 (register only) column to register the lot without a receipt",
            )  # fmt: skip
            rec.ok = False
        elif register_only and qty not in (None, ZERO):
            ctx.problem(
                rec.row, "register_only", "register_only_quantity",
                f"“仅登记”为“是”的批次不记入库，数量须为 0（填写的是 {qty}）",
                f"a register-only lot receives nothing: its quantity must be 0 (got {qty})",
            )  # fmt: skip
            rec.ok = False

    def _classify(self, ctx: Context, rec: Record, lot: Lot) -> None:
        rec.target = lot
        for key, kept, given in (
            ("production_date", lot.production_date, rec.values.get("production_date")),
            ("expiry_date", lot.expiry_date, rec.resolved["expiry"]),
        ):
            if given is not None and kept is not None and given != kept:
                ctx.problem(
                    rec.row, key, "dates_differ",
                    f"批次 {lot.batch_no} 已登记的日期为 {kept}，与文件中的 {given} 不一致",
                    f"lot {lot.batch_no} is recorded with {kept}, not {given}",
                )  # fmt: skip
                rec.ok = False
        qty = rec.values.get("quantity")
        if qty is not None and qty != lot.on_hand:
            ctx.problem(
                rec.row, "quantity", "quantity_differs",
                f"批次已存在，台账结存为 {lot.on_hand}，文件为 {qty}：数量未改动（请用盘点调整）",
                f"the lot exists with {lot.on_hand} on hand, the file says {qty}: not changed"
                " (use a stock count)", warning=True,
            )  # fmt: skip
        changed = {
            k: rec.values.get(k)
            for k in DESCRIPTIVE
            if ctx.present(k) and getattr(lot, k) != rec.values.get(k)
        }
        rec.resolved["changes"] = changed
        rec.action = UPDATE if changed else UNCHANGED

    def _ensure_holders(self, ctx: Context, records: list[Record]) -> dict[Any, int]:
        holders = self._holder_ids(ctx.session)
        for rec in records:
            key = rec.resolved["holder"]
            if rec.action == CREATE and key not in holders:
                kind, target = key  # type: ignore[misc]
                h = (holder_for_depot if kind == "depot" else holder_for_team)(ctx.session, target)
                holders[key] = h.id  # type: ignore[index]
        return holders

    def write(self, ctx: Context, records: list[Record]) -> None:
        holders = self._ensure_holders(ctx, records)
        new = [r for r in records if r.action == CREATE]
        received = [r for r in new if r.values["quantity"] != ZERO]
        rows = [self._receipt(r, holders) for r in received]
        n = len(records)
        try:
            result = receive_batch(
                ctx.session, rows, operator=ctx.operator, today=ctx.today, first_row=0,
                progress=lambda done, _total: ctx.tick(n + done * max(n, 1) // max(len(rows), 1)),
                cancel=ctx.cancel,
            )  # fmt: skip
        except BulkValidationError as exc:
            for err in exc.errors:
                err.field = FIELD_COLUMNS.get(err.field, err.field)
                ctx.error(received[err.row or 0].row, err)
            return
        inspected = [
            {"b_id": lot_id, "b_on": r.values["last_inspected_on"]}
            for r, lot_id in zip(received, result.lot_ids, strict=True)
            if r.values.get("last_inspected_on") is not None
        ]
        table = Lot.__table__
        empty = [self._empty_lot(r, holders) for r in new if r.values["quantity"] == ZERO]
        # bulk statements bypass the ORM's permission check: check the holders here
        require_holders(ctx.session, [e["holder_id"] for e in empty] + list(holders.values()))
        with bulk_checked(ctx.session):
            if inspected:
                ctx.session.execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values(last_inspected_on=bindparam("b_on")),
                    inspected,
                )
            if empty:
                ctx.session.execute(insert(table), empty)
        for rec in records:
            if rec.action == UPDATE:
                for key, value in rec.resolved["changes"].items():  # type: ignore[union-attr]
                    setattr(rec.target, key, value)
        ctx.session.flush()

    def _receipt(self, rec: Record, holders: dict[Any, int]) -> ReceiptRow:
        v = rec.values
        return ReceiptRow(
            holder_id=holders[rec.resolved["holder"]],
            material_id=rec.resolved["material"].id,  # type: ignore[attr-defined]
            batch_no=v["batch_no"],  # type: ignore[arg-type]
            quantity=v["quantity"],
            on=rec.resolved["on"],  # type: ignore[arg-type]
            production_date=v.get("production_date"),  # type: ignore[arg-type]
            expiry_date=rec.resolved["expiry"],  # type: ignore[arg-type]
            unit_cost=v.get("unit_cost"),  # type: ignore[arg-type]
            supplier=v.get("supplier"),  # type: ignore[arg-type]
            document_no=v.get("document_no"),  # type: ignore[arg-type]
            source=v.get("source"),  # type: ignore[arg-type]
            location=v.get("location"),  # type: ignore[arg-type]
            reason="期初导入 (opening balance import)",
        )

    def _empty_lot(self, rec: Record, holders: dict[Any, int]) -> dict[str, object]:
        v = rec.values
        return {
            "holder_id": holders[rec.resolved["holder"]],
            "material_id": rec.resolved["material"].id,  # type: ignore[attr-defined]
            "batch_no": v["batch_no"], "production_date": v.get("production_date"),
            "expiry_date": rec.resolved["expiry"], "unit_cost": v.get("unit_cost"),
            "supplier": v.get("supplier"), "source": v.get("source"),
            "location": v.get("location"), "last_inspected_on": v.get("last_inspected_on"),
            "on_hand": ZERO, "row_version": 1,
        }  # fmt: skip

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        first = (
            select(Movement.lot_id, func.min(Movement.moved_on).label("on"))
            .group_by(Movement.lot_id)
            .subquery()
        )
        d, t = aliased(Depot), aliased(Team)
        stmt = (
            select(
                Lot, Material.code, Material.name, Material.uom, Holder.kind,
                d.code, d.name, t.code, t.name, first.c.on,
            )
            .join(Material, Lot.material_id == Material.id)
            .join(Holder, Lot.holder_id == Holder.id)
            .outerjoin(d, Holder.depot_id == d.id)
            .outerjoin(t, Holder.team_id == t.id)
            .outerjoin(first, first.c.lot_id == Lot.id)
            .order_by(func.coalesce(d.code, t.code), Material.code, Lot.batch_no)
        )  # fmt: skip
        for lot, mcode, mname, uom, hkind, dcode, dname, tcode, tname, on in session.execute(
            stmt
        ).tuples():
            depot = hkind == HolderKind.DEPOT
            yield {
                "holder": dcode if depot else tcode, "holder_name": dname if depot else tname,
                "material": mcode, "material_name": mname, "batch_no": lot.batch_no,
                "quantity": lot.on_hand, "uom": uom, "production_date": lot.production_date,
                "expiry_date": lot.expiry_date,
                "received_on": on if lot.on_hand else None, "unit_cost": lot.unit_cost,
                "supplier": lot.supplier, "source": lot.source, "location": lot.location,
                "last_inspected_on": lot.last_inspected_on, "document_no": None,
                "register_only": True if not lot.on_hand else None,
            }  # fmt: skip
