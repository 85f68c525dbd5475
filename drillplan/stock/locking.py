"""Locking the rows a stock operation changes, in one global order, before changing them.

Two operations that lock the same rows in different orders can deadlock on PostgreSQL: a
transfer A -> B that holds A's lots and waits for B's, while the transfer B -> A holds B's and
waits for A's. Every operation here therefore takes all its row locks up front, in one order
for the whole program: first the holders it may add lots to (ids ascending, ``FOR NO KEY
UPDATE``, so two transfers cannot both create the receiving lot of one batch), then every lot
it may change (ids ascending, ``FOR UPDATE``), read fresh. Locks taken later by the ledger on
rows already locked here cost nothing and cannot wait.

SQLite has no row locks (``FOR UPDATE`` is not rendered); its writers are serialised by the
database lock, and :mod:`drillplan.db.retry` runs a transaction again when SQLite cannot.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Holder, Lot

__all__ = ["lock_around_lot", "lock_holders", "lock_lots", "lock_stock_of"]


def lock_holders(session: Session, holder_ids: Iterable[int]) -> None:
    """Lock the holders a new lot may be added to (before any lot: the global order)."""
    ids = sorted(set(holder_ids))
    if ids:
        session.execute(
            select(Holder.id)
            .where(Holder.id.in_(ids))
            .order_by(Holder.id)
            .with_for_update(key_share=True)
        ).all()


def lock_lots(session: Session, lot_ids: Iterable[int]) -> list[Lot]:
    """Lock the lots ``lot_ids`` in id order and read them fresh; the lots found, by id."""
    ids = sorted(set(lot_ids))
    if not ids:
        return []
    return list(
        session.scalars(
            select(Lot)
            .where(Lot.id.in_(ids))
            .order_by(Lot.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def lock_stock_of(
    session: Session,
    *,
    material_id: int,
    holder_ids: Iterable[int],
    new_lots_at: Iterable[int] = (),
) -> list[Lot]:
    """Lock every lot of ``material_id`` at ``holder_ids`` (id order, read fresh), after the
    holders in ``new_lots_at`` where the operation may add a lot: the rows an issue, a
    transfer (both sides) or a rotation can change."""
    lock_holders(session, new_lots_at)
    holders = sorted(set(holder_ids))
    return list(
        session.scalars(
            select(Lot)
            .where(Lot.material_id == material_id, Lot.holder_id.in_(holders))
            .order_by(Lot.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def lock_around_lot(session: Session, lot_id: int) -> None:
    """For an operation on one lot that may add another at the same holder (a rotation): the
    holder, then every lot of the same material there (nothing when the lot does not exist;
    the caller reports that)."""
    lot = session.get(Lot, lot_id)
    if lot is not None:
        lock_stock_of(
            session,
            material_id=lot.material_id,
            holder_ids=(lot.holder_id,),
            new_lots_at=(lot.holder_id,),
        )
