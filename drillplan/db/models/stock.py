"""Material reserves: depots, the material catalogue, quotas, lots and the movement ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.db.models.teams import Team
from drillplan.kernel.numbers import MONEY_LIMIT, QUANTITY_LIMIT
from drillplan.kernel.vocab import Criticality, DepotTier, HolderKind, MovementKind

# a quantity holds |q| <= 10^12 with 3 decimals, money 0..10^10 with 2 (kernel/numbers.py);
# the CHECKs below refuse what the parser would (on SQLite Inf too: it is outside any range)
Quantity = Numeric(16, 3)
Money = Numeric(14, 2)
QUANTITY_MAX = f"{QUANTITY_LIMIT:f}"  # 1000000000000
MONEY_MAX = f"{MONEY_LIMIT:f}"  # 10000000000


def _in_range(column: str, low: str, high: str, name: str, *, nullable: bool) -> CheckConstraint:
    rule = f"{column} BETWEEN {low} AND {high}"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule, name=name)


class Depot(Base):
    """储备库/点: a store of the city, district or street tier, or an enterprise/agreement one."""

    __tablename__ = "depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    tier: Mapped[DepotTier] = mapped_column(enum_column(DepotTier, "depot_tier"), index=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    keeper: Mapped[str | None] = mapped_column(String(60))
    keeper_phone: Mapped[str | None] = mapped_column(String(20))
    capacity_m3: Mapped[Decimal | None] = mapped_column(Quantity)
    # an agreement reserve (协议储备): the supplier holding it, their contact person and phone
    # (migration 0019; shown by the resource directory)
    agreement_supplier: Mapped[str | None] = mapped_column(String(120))
    agreement_contact: Mapped[str | None] = mapped_column(String(60))
    agreement_phone: Mapped[str | None] = mapped_column(String(20))
    row_version: Mapped[int] = mapped_column(default=1)

    owner_unit: Mapped[Unit] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("capacity_m3 IS NULL OR capacity_m3 >= 0", name="capacity_nonneg"),
        _in_range("capacity_m3", "0", QUANTITY_MAX, "capacity_range", nullable=True),
    )


class Holder(Base):
    """Whoever holds stock: exactly one depot or one team."""

    __tablename__ = "holder"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[HolderKind] = mapped_column(enum_column(HolderKind, "holder_kind"))
    depot_id: Mapped[int | None] = mapped_column(
        ForeignKey("depot.id", ondelete="CASCADE"), unique=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), unique=True
    )

    depot: Mapped[Depot | None] = relationship()
    team: Mapped[Team | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(kind = 'depot' AND depot_id IS NOT NULL AND team_id IS NULL)"
            " OR (kind = 'team' AND team_id IS NOT NULL AND depot_id IS NULL)",
            name="exactly_one_holder",
        ),
    )


class Material(Base):
    """物资品类: an item of the GB/T 38565-2020 style catalogue (7-digit code)."""

    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    uom: Mapped[str] = mapped_column(String(12))
    spec: Mapped[str | None] = mapped_column(String(120))
    shelf_life_days: Mapped[int | None]
    needs_rotation: Mapped[bool] = mapped_column(default=False)
    flood_control: Mapped[bool] = mapped_column(default=False)
    reference_price: Mapped[Decimal | None] = mapped_column(Money)
    # the weight of its quota lines in readiness coverage (stock.catalogue gives the default
    # per GB/T 38565 class; the server default only fills rows written before migration 0006)
    criticality: Mapped[Criticality] = mapped_column(
        enum_column(Criticality, "material_criticality"),
        default=Criticality.GENERAL,
        server_default=Criticality.GENERAL.value,
    )
    # other names people call it (冲锋舟 / 橡皮艇 ...): the resource directory finds it by them
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    __table_args__ = (
        CheckConstraint("length(code) = 7", name="code_seven_digits"),
        CheckConstraint(
            "shelf_life_days IS NULL OR shelf_life_days > 0", name="shelf_life_positive"
        ),
        _in_range("reference_price", "0", MONEY_MAX, "reference_price_range", nullable=True),
    )


class Quota(Base):
    """储备定额 for one depot (overrides the tier default)."""

    __tablename__ = "quota"

    id: Mapped[int] = mapped_column(primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id", ondelete="CASCADE"))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    required_qty: Mapped[Decimal] = mapped_column(Quantity)

    __table_args__ = (
        UniqueConstraint("depot_id", "material_id"),
        CheckConstraint("required_qty >= 0", name="required_nonneg"),
        _in_range("required_qty", "0", QUANTITY_MAX, "required_range", nullable=False),
    )


class TierQuota(Base):
    """Default quota for every depot of a tier."""

    __tablename__ = "tier_quota"

    id: Mapped[int] = mapped_column(primary_key=True)
    tier: Mapped[DepotTier] = mapped_column(enum_column(DepotTier, "tier_quota_tier"))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    required_qty: Mapped[Decimal] = mapped_column(Quantity)

    __table_args__ = (
        UniqueConstraint("tier", "material_id"),
        CheckConstraint("required_qty >= 0", name="required_nonneg"),
        _in_range("required_qty", "0", QUANTITY_MAX, "required_range", nullable=False),
    )


class Lot(Base):
    """批次: one batch of one material at one holder. on_hand caches the ledger sum."""

    __tablename__ = "lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    batch_no: Mapped[str] = mapped_column(String(60))
    production_date: Mapped[dt.date | None]
    expiry_date: Mapped[dt.date | None] = mapped_column(index=True)
    source: Mapped[str | None] = mapped_column(String(60))
    supplier: Mapped[str | None] = mapped_column(String(120))
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    location: Mapped[str | None] = mapped_column(String(60))
    last_inspected_on: Mapped[dt.date | None]
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    row_version: Mapped[int] = mapped_column(default=1)

    material: Mapped[Material] = relationship()
    holder: Mapped[Holder] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        UniqueConstraint("material_id", "holder_id", "batch_no"),
        CheckConstraint("on_hand >= 0", name="on_hand_nonneg"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_nonneg"),
        _in_range("on_hand", "0", QUANTITY_MAX, "on_hand_range", nullable=False),
        _in_range("unit_cost", "0", MONEY_MAX, "unit_cost_range", nullable=True),
        CheckConstraint(
            "expiry_date IS NULL OR production_date IS NULL OR expiry_date >= production_date",
            name="expiry_not_before_production",
        ),
        # covering indexes of the resource directory (drillplan.directory.find): the usable
        # quantity per holder x material is read from an index alone, by material (migration
        # 0019) and by holder (a capability's teams, the holdings shown; migration 0021)
        Index("ix_lot_directory", "material_id", "holder_id", "expiry_date", "on_hand"),
        Index("ix_lot_holder_directory", "holder_id", "material_id", "expiry_date", "on_hand"),
    )


class Movement(Base):
    """出入库台账: the append-only ledger. quantity is signed (+ in, - out)."""

    __tablename__ = "movement"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"))
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind, "movement_kind"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    moved_on: Mapped[dt.date] = mapped_column(index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    operator: Mapped[str] = mapped_column(String(60), default="")
    #: a name typed beside the logged-in user (经办人 as written on the paper slip)
    operator_note: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(200))
    document_no: Mapped[str | None] = mapped_column(String(60))
    counterpart: Mapped[str | None] = mapped_column(String(120))
    transfer_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"), unique=True)

    lot: Mapped[Lot] = relationship()

    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_nonzero"),
        _in_range("quantity", f"-{QUANTITY_MAX}", QUANTITY_MAX, "quantity_range", nullable=False),
        CheckConstraint(
            "(kind NOT IN ('receipt', 'transfer_in', 'rotation_in') OR quantity > 0)"
            " AND (kind NOT IN ('issue', 'transfer_out', 'write_off', 'rotation_out')"
            " OR quantity < 0)",
            name="sign_matches_kind",
        ),
        CheckConstraint(
            "kind <> 'reversal' OR reverses_id IS NOT NULL", name="reversal_names_original"
        ),
        # covering index: the per-lot ledger sums of `drillplan check` read no table rows
        Index("ix_movement_lot_id_quantity", "lot_id", "quantity"),
    )
