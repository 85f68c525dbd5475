"""Every area's listing, by name (the tests walk them all)."""

from __future__ import annotations

from drillplan.competitions.listing import COMPETITIONS, ENTRIES
from drillplan.contacts.read import CONTACTS
from drillplan.drills.listing import DRILLS
from drillplan.listing import Listing
from drillplan.org.listing import TEAMS
from drillplan.plans.listing import PLANS
from drillplan.requests.listing import REQUESTS
from drillplan.reserves.listing import CAPACITY_RESERVES
from drillplan.stock.listing import DEPOTS, LOTS, MATERIALS
from drillplan.trainings.listing import TRAININGS

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (
        PLANS,
        TEAMS,
        DEPOTS,
        LOTS,
        MATERIALS,
        DRILLS,
        COMPETITIONS,
        ENTRIES,
        REQUESTS,
        TRAININGS,
    )
}
LISTINGS[CONTACTS.name] = CONTACTS
LISTINGS[CAPACITY_RESERVES.name] = CAPACITY_RESERVES  # issue 14
