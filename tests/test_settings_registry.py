"""The office settings: one registry, one store, and every consumer reading it.

With the office's expiry horizons set to 15/45 days, `drillplan audit expiry`, the dashboard
(its figures and its headline counts), the lists' "expiring soon" and the expiry report all
judge by 15/45, not by a copied default of 30/90/180.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Setting
from drillplan.kernel.errors import ValidationError
from drillplan.readiness.dashboard import dashboard
from drillplan.readiness.overview import overview_counts
from drillplan.reports.registry import build_report
from drillplan.stock import expiry
from tests import factories as f

AS_OF = dt.date(2025, 6, 1)
# days from AS_OF to each lot's expiry: expired, inside 15, inside 45, inside 90, beyond 180
DAYS = {"X": -3, "A": 10, "B": 40, "C": 80, "D": 200}


def _world(session: Session) -> None:
    owner = f.unit(session)
    mat = f.material(session)
    _depot, holder = f.depot(session, owner)
    for batch, days in DAYS.items():
        lot = f.lot(
            session,
            mat,
            holder,
            batch=batch,
            production_date=dt.date(2020, 1, 1),
            expiry_date=AS_OF + dt.timedelta(days=days),
            on_hand=Decimal(5),
        )
        f.movement(session, lot, 5, moved_on=dt.date(2024, 1, 1))


def _cli_json(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> object:
    capsys.readouterr()
    assert main(["--db", db.url, *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_default_passes_its_own_rule() -> None:
    for key, option in settings.OPTIONS.items():
        assert option.validate(option.default) == option.default, key
        assert option.parse(option.format(option.default)) == option.default, key


@pytest.mark.parametrize(
    ("key", "text", "stored"),
    [
        ("expiry_horizons", "15,45", [15, 45]),
        ("expiry_horizons", "45、15", [15, 45]),
        ("expiry_horizons", "15， 45", [15, 45]),
        ("flood_season_start", "6-1", "06-01"),
        ("daily_backup", "否", False),
        ("backup_keep", "7", 7),
        ("readiness_weights", "coverage=50,plans=50", {
            "coverage": 50, "expiry": 0, "certificates": 0, "headcount": 0, "plans": 50,
            "actions": 0, "facilities": 0,
        }),
        ("facility_inspection_days", "30", 30),
        ("shelter_capacity_ratio", "0.05", 0.05),
    ],
)  # fmt: skip
def test_typed_text_is_parsed_by_the_registry(key: str, text: str, stored: object) -> None:
    assert settings.option(key).parse(text) == stored


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("expiry_horizons", "0,45"),
        ("expiry_horizons", "15,abc"),
        ("expiry_horizons", ""),
        ("flood_season_end", "02-30"),
        ("flood_season_end", "13-01"),
        ("backup_keep", "0"),
        ("unit_name", "  "),
        ("readiness_weights", "coverage=0"),
        ("readiness_weights", "speed=10"),
        ("shelter_capacity_ratio", "0"),
        ("shelter_capacity_ratio", "十分之一"),
    ],
)
def test_bad_values_name_the_setting(key: str, text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings.option(key).parse(text)
    assert caught.value.field == key
    assert settings.option(key).zh in caught.value.message


def test_cli_set_refuses_with_the_page_rule_and_keeps_the_value(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db.url, "settings", "set", "expiry_horizons", "15,0"]) == 2
    err = capsys.readouterr().err
    assert "expiry_horizons" in err and "到期预警天数" in err
    with db.session() as session:
        assert session.get(Setting, "expiry_horizons") is None
        assert settings.expiry_horizons(session) == [30, 90, 180]
    assert main(["--db", db.url, "settings", "set", "no_such_key", "1"]) == 2
    assert "no_such_key" in capsys.readouterr().err


def test_cli_list_get_set_reset(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _cli_json(capsys, db, "settings", "list")
    assert [r["key"] for r in rows] == list(settings.OPTIONS)  # type: ignore[union-attr]
    assert all(r["is_default"] for r in rows)  # type: ignore[union-attr,index]
    row = _cli_json(capsys, db, "settings", "set", "expiry_horizons", "45,15")
    assert row == {
        "key": "expiry_horizons",
        "value": [15, 45],
        "text": "15,45",
        "default": [30, 90, 180],
        "is_default": False,
        "label_zh": "到期预警天数",
        "label_en": "Expiry horizons (days)",
    }
    assert _cli_json(capsys, db, "settings", "get", "expiry_horizons")["value"] == [15, 45]  # type: ignore[index]
    assert _cli_json(capsys, db, "settings", "reset", "expiry_horizons")["is_default"] is True  # type: ignore[index]
    with db.session() as session:
        assert settings.expiry_horizons(session) == [30, 90, 180]


def test_office_horizons_change_audit_dashboard_lists_and_report(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with db.session() as session:
        _world(session)

    def audit() -> dict[str, str]:
        rows = _cli_json(capsys, db, "audit", "expiry", "--as-of", AS_OF.isoformat())
        return {r["batch"]: r["status"] for r in rows}  # type: ignore[union-attr,index]

    # the defaults: 30/90/180, "expiring soon" = 90 days
    assert audit() == {"X": "expired", "A": "within_30", "B": "within_90", "C": "within_90"}
    with db.session() as session:
        board = dashboard(session, as_of=AS_OF, with_score=False)
        assert board.horizon == 90
        assert board.figure("lots_expiring").count == 3 == board.counts["lots_expiring"]

    assert main(["--db", db.url, "settings", "set", "expiry_horizons", "15,45"]) == 0
    assert audit() == {"X": "expired", "A": "within_15", "B": "within_45"}
    with db.session() as session:
        assert settings.soon_days(session) == 45
        board = dashboard(session, as_of=AS_OF, with_score=False)
        assert board.horizon == 45
        # one key, one count: the figure and the headline count agree
        assert board.figure("lots_expiring").count == 2 == board.counts["lots_expiring"]
        assert overview_counts(session, AS_OF)["lots_expiring"] == 2
        lots = expiry.lot_expiry(session, as_of=AS_OF)
        assert [(r.batch_no, r.status) for r in lots] == [
            ("X", "expired"),
            ("A", "within_15"),
            ("B", "within_45"),
        ]
        pdf = build_report(session, "expiry", tmp_path / "expiry.pdf", as_of=AS_OF).path
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "45 天内到期" in text
    assert "15天内" in text and "45天内" in text  # the status captions follow the horizons
    assert "within_" not in text and "180" not in text
