"""Import and export of the plain registers: units, materials, depots, teams, members and
certificates. One generic handler matches rows on the natural key, creates or updates them
through the ORM (with an audit entry each) and reads them back for export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.base import Base
from drillplan.db.models import Certificate, Depot, Material, Member, Team, Unit
from drillplan.interchange import kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.spec import Kind, T
from drillplan.stock.holders import holder_for_depot


def code_maps(session: Session) -> dict[str, dict[int, str]]:
    """id -> code of the registers other rows refer to."""
    return {
        "unit": dict(session.execute(select(Unit.id, Unit.code)).all()),
        "team": dict(session.execute(select(Team.id, Team.code)).all()),
    }


class OrmHandler:
    """Natural-key upsert of one model; subclasses add their rules and references."""

    kind: Kind
    model: type[Base]
    order_by: tuple[str, ...] = ("code",)
    self_refs: frozenset[str] = frozenset()

    def attr(self, key: str) -> str:
        col = self.kind.column(key)
        return col.field or col.key

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        """Model attribute -> new value, for the columns the file has."""
        table = self.model.__table__  # type: ignore[attr-defined]
        out: dict[str, Any] = {}
        for col in self.kind.columns:
            if col.info or not ctx.present(col.key):
                continue
            name = col.field or col.key
            value = rec.resolved.get(col.key) if col.type == T.REF else rec.values.get(col.key)
            if value is None and name in table.c and not table.c[name].nullable:
                continue  # blank: keep the current value, or the default for a new row
            out[name] = value
        return out

    def natural_key(self, rec: Record) -> Hashable:
        return tuple(rec.resolved.get(k, rec.values.get(k)) for k in self.kind.key)

    def existing(self, ctx: Context, records: list[Record]) -> dict[Hashable, Any]:
        names = [self.attr(k) for k in self.kind.key]
        return {
            tuple(getattr(obj, n) for n in names): obj
            for obj in ctx.session.scalars(select(self.model))
        }

    def rules(self, ctx: Context, rec: Record) -> None:
        """Cross-field rules of one row (append problems, set ``rec.ok``)."""

    def check(self, ctx: Context, records: list[Record]) -> None:
        good = [r for r in records if r.ok]
        ctx.duplicates(good, self.natural_key, self.kind.key[-1])
        for rec in records:  # every row, so that all its problems are listed
            self.rules(ctx, rec)
        current = self.existing(ctx, records)
        for rec in records:
            if not rec.ok:
                continue
            obj = current.get(self.natural_key(rec))
            if obj is None:
                rec.action = CREATE
                continue
            rec.target = obj
            changed = {k: v for k, v in self.fields(ctx, rec).items() if getattr(obj, k) != v}
            rec.action = UPDATE if changed else UNCHANGED

    def create(self, ctx: Context, rec: Record) -> Base:
        obj = self.model(**self.fields(ctx, rec))
        ctx.session.add(obj)
        ctx.session.flush()
        auditlog.record(ctx.session, user=ctx.operator, action="import.create", row=obj)
        return obj

    def update(self, ctx: Context, rec: Record) -> None:
        obj = rec.target
        before = auditlog.snapshot(obj)
        for name, value in self.fields(ctx, rec).items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
        ctx.session.flush()
        auditlog.record(
            ctx.session, user=ctx.operator, action="import.update", row=obj, before=before
        )

    def write(self, ctx: Context, records: list[Record]) -> None:
        for n, rec in enumerate(records):
            if n % 500 == 0:
                ctx.tick(len(records) + n)
            if rec.action == CREATE:
                with ctx.row(rec):
                    rec.target = self.create(ctx, rec)
            elif rec.action == UPDATE:
                with ctx.row(rec):
                    self.update(ctx, rec)

    def to_row(self, obj: Any, maps: dict[str, dict[int, str]]) -> dict[str, object]:
        row: dict[str, object] = {}
        for col in self.kind.columns:
            if col.info:
                continue
            value = getattr(obj, col.field or col.key)
            if col.type == T.REF and value is not None:
                value = maps[col.ref or ""][value]
            row[col.key] = value
        return row

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)
        order = [getattr(self.model, n) for n in self.order_by]
        for obj in session.scalars(select(self.model).order_by(*order)):
            yield self.to_row(obj, maps)


class UnitHandler(OrmHandler):
    """Units may name as parent a unit of the same file: parents are set after every row."""

    kind, model = kinds.UNITS, Unit
    self_refs = frozenset({"parent"})

    def rules(self, ctx: Context, rec: Record) -> None:
        parent = rec.values.get("parent")
        if parent is None:
            rec.resolved["parent"] = None
            return
        if parent == rec.values.get("code"):
            ctx.problem(rec.row, "parent", "self_parent", "上级单位不能是自己", "own parent")
            rec.ok = False
            return
        in_file = ctx.refs.extra_units.get(str(parent))
        rec.resolved["parent"] = (
            ("file", in_file) if in_file else ctx.resolve(rec, "parent", "unit", parent)
        )

    def check(self, ctx: Context, records: list[Record]) -> None:
        for rec in records:
            code, name = rec.values.get("code"), rec.values.get("name")
            if code:
                ctx.refs.extra_units[str(code)] = str(code)
                if name:
                    ctx.refs.extra_units.setdefault(str(name), str(code))
        super().check(ctx, records)

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        parent = out.get("parent_id")
        if isinstance(parent, tuple):  # a unit named in this file: known yet, or set later
            known = ctx.refs.index("unit").by_code.get(parent[1])
            if known is None:
                out.pop("parent_id")
            else:
                out["parent_id"] = known
        return out

    def write(self, ctx: Context, records: list[Record]) -> None:
        super().write(ctx, records)
        ctx.session.flush()
        ids = dict(ctx.session.execute(select(Unit.code, Unit.id)).all())
        for rec in records:
            parent = rec.resolved.get("parent")
            target = rec.target
            if (
                isinstance(parent, tuple)
                and target is not None
                and target.parent_id != ids[parent[1]]
            ):
                target.parent_id = ids[parent[1]]


class MaterialHandler(OrmHandler):
    kind, model = kinds.MATERIALS, Material

    def rules(self, ctx: Context, rec: Record) -> None:
        code = str(rec.values.get("code") or "")
        if code and not (len(code) == 7 and code.isdigit()):
            ctx.problem(
                rec.row, "code", "bad_code",
                f"物资编码“{code}”应为 7 位数字（GB/T 38565-2020）",
                f"material code {code!r} must be 7 digits (GB/T 38565-2020)",
            )  # fmt: skip
            rec.ok = False


class DepotHandler(OrmHandler):
    kind, model = kinds.DEPOTS, Depot

    def create(self, ctx: Context, rec: Record) -> Base:
        depot = super().create(ctx, rec)
        holder_for_depot(ctx.session, depot.id)  # type: ignore[attr-defined]
        return depot


class TeamHandler(OrmHandler):
    kind, model = kinds.TEAMS, Team


class MemberHandler(OrmHandler):
    kind, model = kinds.MEMBERS, Member
    order_by = ("team_id", "id")

    def existing(self, ctx: Context, records: list[Record]) -> dict[Hashable, Any]:
        out: dict[Hashable, Any] = {}
        for m in ctx.session.scalars(select(Member).order_by(Member.id)):
            key = (m.team_id, m.name)
            out[key] = "ambiguous" if key in out else m
        for rec in records:
            if rec.ok and out.get(self.natural_key(rec)) == "ambiguous":
                ctx.problem(
                    rec.row, "name", "ambiguous_ref",
                    "该队伍有多名同名队员，无法按姓名匹配，请在程序中修改",
                    "several members of the team share this name; edit them in the app",
                )  # fmt: skip
                rec.ok = False
        return out

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)
        stmt = select(Member).join(Team).order_by(Team.code, Member.id)
        for obj in session.scalars(stmt):
            yield self.to_row(obj, maps)


class CertificateHandler(OrmHandler):
    kind, model = kinds.CERTIFICATES, Certificate
    order_by = ("cert_type", "number")

    def rules(self, ctx: Context, rec: Record) -> None:
        team_id, name = rec.resolved.get("team"), rec.values.get("member")
        if team_id is None or name is None:
            return
        ids = self._members(ctx).get((team_id, name), [])
        if len(ids) != 1:
            zh = "没有这名队员" if not ids else "该队伍有多名同名队员"
            ctx.problem(
                rec.row, "member", "unknown_ref" if not ids else "ambiguous_ref",
                f"{zh}：{name}", f"member {name!r}: {'not found' if not ids else 'ambiguous'}",
            )  # fmt: skip
            rec.ok = False
            return
        rec.resolved["member"] = ids[0]
        issued, expires = rec.values.get("issued_on"), rec.values.get("expires_on")
        if isinstance(issued, dt.date) and isinstance(expires, dt.date) and expires < issued:  # type: ignore[operator]
            ctx.problem(
                rec.row, "expires_on", "expires_before_issued",
                f"有效期至 {expires} 早于发证日期 {issued}", "expires before it was issued",
            )  # fmt: skip
            rec.ok = False

    def _members(self, ctx: Context) -> dict[tuple[int, str], list[int]]:
        cache = getattr(ctx, "_members", None)
        if cache is None:
            cache = {}
            for mid, tid, name in ctx.session.execute(
                select(Member.id, Member.team_id, Member.name)
            ):
                cache.setdefault((tid, name), []).append(mid)
            ctx._members = cache  # type: ignore[attr-defined]
        return cache

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        out.pop("team", None)
        out["member_id"] = rec.resolved["member"]
        return out

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        stmt = (
            select(Certificate, Member.name, Team.code)
            .join(Member, Certificate.member_id == Member.id)
            .join(Team, Member.team_id == Team.id)
            .order_by(Certificate.cert_type, Certificate.number)
        )
        for cert, name, team in session.execute(stmt).tuples():
            yield {
                "team": team, "member": name, "cert_type": cert.cert_type,
                "number": cert.number, "issued_on": cert.issued_on,
                "expires_on": cert.expires_on,
            }  # fmt: skip
