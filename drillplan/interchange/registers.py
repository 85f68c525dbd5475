"""Import and export of the plain registers: units, materials, depots, teams, members and
certificates, through the same functions as the desktop forms.

Rows are matched on the natural key. Every row is checked by its area's ``check_*`` function
(:mod:`drillplan.org.units`, :mod:`drillplan.org.teams`, :mod:`drillplan.stock.catalogue`), so
the file is refused with every problem listed before anything is written; then each row is
written by the area's create or update function, which writes the audit entry. A
``ValidationError`` names its field, reported as the column of that field.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.base import Base
from drillplan.db.models import Certificate, Depot, Material, Member, Team, Unit
from drillplan.interchange import kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.spec import Kind, T
from drillplan.kernel.errors import DrillplanError
from drillplan.org import teams, units
from drillplan.stock import catalogue

FIELDS, CHANGES = "fields", "changes"  # keys of Record.resolved: what the write will pass


def code_maps(session: Session) -> dict[str, dict[int, str]]:
    """id -> code of the registers other rows refer to."""
    return {
        "unit": dict(session.execute(select(Unit.id, Unit.code)).all()),
        "team": dict(session.execute(select(Team.id, Team.code)).all()),
    }


@dataclass(frozen=True)
class AreaFunctions:
    """The functions the forms of one register use: ``check`` (validates, writes nothing;
    ``id_name`` None for a new row), ``create`` and ``update`` (``versioned``: it takes the
    ``expected_version`` of optimistic locking)."""

    check: Callable[..., dict[str, Any]]
    create: Callable[..., Any]
    update: Callable[..., Any]
    id_name: str
    versioned: bool = True


class RegisterHandler:
    """Natural-key upsert of one register through its area's check, create and update
    functions; subclasses name them and add the references a row needs resolved."""

    kind: Kind
    model: type[Base]
    area: AreaFunctions
    order_by: tuple[str, ...] = ("code",)
    self_refs: frozenset[str] = frozenset()
    core_checks = True  # every cell is judged by the area's check function

    # --- the area's functions ----------------------------------------------------------------

    def validate(self, ctx: Context, target: Any, fields: dict[str, Any]) -> dict[str, Any]:
        """Every field as the area would store it (``target`` None: a new row)."""
        key = {self.area.id_name: target.id if target is not None else None}
        return self.area.check(ctx.session, **key, **fields)

    def create(self, ctx: Context, fields: dict[str, Any]) -> Any:
        return self.area.create(ctx.session, user=ctx.operator, **fields)

    def update(self, ctx: Context, target: Any, changes: dict[str, Any]) -> None:
        key: dict[str, Any] = {self.area.id_name: target.id}
        if self.area.versioned:
            key["expected_version"] = target.row_version
        self.area.update(ctx.session, user=ctx.operator, **key, **changes)

    # --- reading the file --------------------------------------------------------------------

    def attr(self, key: str) -> str:
        col = self.kind.column(key)
        return col.field or col.key

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        """Field -> value for the columns the file has; a blank optional cell of a field that
        cannot be empty keeps the stored value (or the default of a new row), a reference that
        could not be resolved is left out (its problem is reported already)."""
        table = self.model.__table__  # type: ignore[attr-defined]
        out: dict[str, Any] = {}
        for col in self.kind.columns:
            if col.info or col.stamp or not ctx.present(col.key) or col.key not in rec.values:
                continue
            name = col.field or col.key
            value = rec.values[col.key]
            if col.type == T.REF and value is not None:
                value = rec.resolved.get(col.key)
                if value is None:
                    continue  # unknown or ambiguous reference
            column = table.c.get(name)
            if value is None and not col.required and column is not None and not column.nullable:
                continue
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
        """References a row needs resolved before the area can check it (append problems, set
        ``rec.ok``)."""

    # --- checking and writing ----------------------------------------------------------------

    def check(self, ctx: Context, records: list[Record]) -> None:
        good = [r for r in records if r.ok]
        ctx.duplicates(good, self.natural_key, self.kind.key[-1])
        for rec in records:  # every row, so that all its problems are listed
            self.rules(ctx, rec)
        current = self.existing(ctx, records)
        reported: dict[int, set[str]] = {}
        for problem in ctx.problems:
            reported.setdefault(problem.row, set()).add(problem.column)
        for rec in records:
            target = current.get(self.natural_key(rec))
            if isinstance(target, str):
                continue  # ambiguous: reported by existing()
            fields = self.fields(ctx, rec)
            try:
                values = self.validate(ctx, target, fields)
            except DrillplanError as exc:
                ctx.error(rec.row, exc, known=reported.get(rec.row, ()))
                rec.ok = False
                continue
            if rec.ok:
                self.classify(rec, target, fields, values)

    def classify(
        self, rec: Record, target: Any, fields: dict[str, Any], values: dict[str, Any]
    ) -> None:
        if target is None:
            rec.action, rec.resolved[FIELDS] = CREATE, fields
            return
        rec.target = target
        changes = {k: v for k, v in values.items() if getattr(target, k) != v}
        rec.resolved[CHANGES] = changes
        rec.action = UPDATE if changes else UNCHANGED

    def write_order(self, records: list[Record]) -> list[Record]:
        return records

    def save(self, ctx: Context, rec: Record) -> None:
        if rec.action == CREATE:
            rec.target = self.create(ctx, rec.resolved[FIELDS])  # type: ignore[arg-type]
        else:
            self.update(ctx, rec.target, rec.resolved[CHANGES])  # type: ignore[arg-type]

    def write(self, ctx: Context, records: list[Record]) -> None:
        for n, rec in enumerate(self.write_order(records)):
            if n % 500 == 0:
                ctx.tick(len(records) + n)
            if rec.action in (CREATE, UPDATE):
                with ctx.row(rec):
                    self.save(ctx, rec)

    # --- export ------------------------------------------------------------------------------

    def to_row(self, obj: Any, maps: dict[str, dict[int, str]]) -> dict[str, object]:
        row: dict[str, object] = {}
        for col in self.kind.columns:
            if col.info or col.stamp:  # the version is added by the export (stale.stamps)
                continue
            value = getattr(obj, col.field or col.key, None)  # None: an import-only column
            if col.type == T.REF and value is not None:
                value = maps[col.ref or ""][value]
            row[col.key] = value
        return row

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)
        order = [getattr(self.model, n) for n in self.order_by]
        for obj in session.scalars(select(self.model).order_by(*order)):
            yield self.to_row(obj, maps)


class UnitHandler(RegisterHandler):
    """Units may name as parent a unit of the same file: parents are written first."""

    kind, model = kinds.UNITS, Unit
    area = AreaFunctions(units.check_unit, units.create_unit, units.update_unit, "unit_id")
    self_refs = frozenset({"parent"})

    def rules(self, ctx: Context, rec: Record) -> None:
        parent = rec.values.get("parent")
        if parent is None:
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
        self._cycles(ctx, records)
        for rec in records:
            parent = rec.resolved.get("parent")
            if rec.action == UNCHANGED and isinstance(parent, tuple):
                known = ctx.refs.index("unit").by_code.get(parent[1])
                if known != rec.target.parent_id:  # type: ignore[attr-defined]
                    rec.action = UPDATE

    def _cycles(self, ctx: Context, records: list[Record]) -> None:
        parents = {
            str(r.values.get("code")): p[1]
            for r in records
            if isinstance(p := r.resolved.get("parent"), tuple)
        }
        for rec in records:
            start = code = str(rec.values.get("code"))
            seen: set[str] = set()
            while code in parents and code not in seen:
                seen.add(code)
                code = parents[code]
            if code == start and seen and rec.ok:
                ctx.problem(
                    rec.row, "parent", "parent_cycle",
                    f"上级单位形成循环：{' → '.join(sorted(seen))}",
                    f"the parent units form a cycle: {' -> '.join(sorted(seen))}",
                )  # fmt: skip
                rec.ok = False

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        parent = out.get("parent_id")
        if isinstance(parent, tuple):  # a unit named in this file: known yet, or written first
            known = ctx.refs.index("unit").by_code.get(parent[1])
            if known is None:
                out.pop("parent_id")
            else:
                out["parent_id"] = known
        return out

    def write_order(self, records: list[Record]) -> list[Record]:
        """Parents named in the file before their children (cycles were refused)."""
        by_code = {str(r.values.get("code")): r for r in records}
        done: set[int] = set()
        out: list[Record] = []

        def visit(rec: Record) -> None:
            if id(rec) in done:
                return
            done.add(id(rec))
            parent = rec.resolved.get("parent")
            if isinstance(parent, tuple) and parent[1] in by_code:
                visit(by_code[parent[1]])
            out.append(rec)

        for rec in records:
            visit(rec)
        return out

    def save(self, ctx: Context, rec: Record) -> None:
        parent = rec.resolved.get("parent")
        if isinstance(parent, tuple):  # written by now: its id
            parent_id = ctx.session.scalar(select(Unit.id).where(Unit.code == parent[1]))
            if rec.action == CREATE:
                rec.resolved[FIELDS]["parent_id"] = parent_id  # type: ignore[index]
            elif parent_id != rec.target.parent_id:  # type: ignore[attr-defined]
                rec.resolved[CHANGES]["parent_id"] = parent_id  # type: ignore[index]
        super().save(ctx, rec)


class MaterialHandler(RegisterHandler):
    kind, model = kinds.MATERIALS, Material
    area = AreaFunctions(
        catalogue.check_material,
        catalogue.create_material,
        catalogue.update_material,
        "material_id",
        versioned=False,
    )


class DepotHandler(RegisterHandler):
    kind, model = kinds.DEPOTS, Depot
    area = AreaFunctions(
        catalogue.check_depot, catalogue.create_depot, catalogue.update_depot, "depot_id"
    )


class TeamHandler(RegisterHandler):
    kind, model = kinds.TEAMS, Team
    area = AreaFunctions(teams.check_team, teams.create_team, teams.update_team, "team_id")


class MemberHandler(RegisterHandler):
    """Members are matched on team and name; the team itself never changes by import."""

    kind, model = kinds.MEMBERS, Member
    area = AreaFunctions(
        teams.check_member, teams.add_member, teams.update_member, "member_id", versioned=False
    )
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

    def validate(self, ctx: Context, target: Any, fields: dict[str, Any]) -> dict[str, Any]:
        if target is not None:  # matched in its team: the team stays
            fields.pop("team_id", None)
        elif fields.get("team_id") is None:  # the team is unknown: reported with its column
            return {}
        return super().validate(ctx, target, fields)

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)
        stmt = select(Member).join(Team).order_by(Team.code, Member.id)
        for obj in session.scalars(stmt):
            yield self.to_row(obj, maps)


class CertificateHandler(RegisterHandler):
    """Certificates are matched on type and number; the holder is named by team and name (a
    certificate entered against the wrong member moves to the one the file names)."""

    kind, model = kinds.CERTIFICATES, Certificate
    area = AreaFunctions(
        teams.check_certificate,
        teams.add_certificate,
        teams.update_certificate,
        "certificate_id",
        versioned=False,
    )
    order_by = ("cert_type", "number")

    def rules(self, ctx: Context, rec: Record) -> None:
        team_id, name = rec.resolved.get("team"), rec.values.get("member")
        if name is None and "member" in rec.values:  # a blank holder: the form picks one
            ctx.problem(rec.row, "member", "required", "必填，不能为空", "required")
            rec.ok = False
        if team_id is None or name is None:
            return
        ids = self._members(ctx).get((team_id, name), [])  # type: ignore[arg-type]
        if len(ids) != 1:
            zh = "没有这名队员" if not ids else "该队伍有多名同名队员"
            ctx.problem(
                rec.row, "member", "unknown_ref" if not ids else "ambiguous_ref",
                f"{zh}：{name}", f"member {name!r}: {'not found' if not ids else 'ambiguous'}",
            )  # fmt: skip
            rec.ok = False
            return
        rec.resolved["member"] = ids[0]

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
        out.pop("member_id", None)  # the holder's name: resolved to ``member`` by rules()
        return out

    def classify(
        self, rec: Record, target: Any, fields: dict[str, Any], values: dict[str, Any]
    ) -> None:
        member = rec.resolved["member"]
        super().classify(rec, target, fields, values)
        if target is None:
            fields["member_id"] = member
        elif target.member_id != member:
            rec.resolved[CHANGES]["member_id"] = member  # type: ignore[index]
            rec.action = UPDATE

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
