"""`drillplan requests ...` end to end: a full cycle, the JSON keys, and exit 2 with
``field: message`` on bad input with nothing written."""

from __future__ import annotations

import pytest

from drillplan.auth.login import ENV_PASSWORD, ENV_USER
from drillplan.db.database import Database
from tests.support.org import PASSWORDS, build_org
from tests.test_cli_registers import Cli, counts

AS_OF = ("--as-of", "2025-06-01")
KEYS = {"number", "state", "state_label", "purpose", "purpose_label", "requester_code",
        "requester", "holder_code", "holder", "needed_by", "requested_on", "requested_by",
        "note", "approver", "decided_on", "refusal_reason", "dispatch_note_no",
        "dispatched_on", "received_on", "receipt_note", "returns", "row_version",
        "lines"}  # fmt: skip
LINE_KEYS = {"material_code", "material", "uom", "requested", "approved", "dispatched",
             "received", "reserved"}  # fmt: skip


class LoggedInCli(Cli):
    def refused(self, *argv: str) -> str:
        """Exit 2, nothing on stdout, nothing written but the login's audit entry."""

        def written() -> dict[str, int]:
            return {k: v for k, v in counts(self.db).items() if k != "audit_log"}

        before = written()
        assert self(*argv) == 2, (self.out, self.err)
        assert self.out == ""
        assert written() == before
        return self.err


@pytest.fixture
def cli(db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    build_org(db)
    return LoggedInCli(db, capsys)


def _new(cli: Cli, qty: str = "30") -> dict:
    return cli.json(
        "requests", "new", "--requester", "D-S2", "--holder", "D-S1", "--purpose", "演练",
        "--needed-by", "2025-06-10", "--line", f"2010101={qty}", *AS_OF,
    )  # fmt: skip


def test_full_cycle_and_json_keys(cli: Cli) -> None:
    made = _new(cli)
    assert set(made) == KEYS and set(made["lines"][0]) == LINE_KEYS
    assert (made["number"], made["state"], made["purpose"]) == (
        "DB-2025-0001",
        "requested",
        "drill",
    )
    number = made["number"]
    approved = cli.json("requests", "approve", number, "--line", "2010101=20", *AS_OF)
    assert approved["state"] == "partly_approved"
    assert approved["lines"][0]["reserved"] == [
        {"batch_no": "LJ-1", "expiry_date": "2030-01-01", "quantity": "20"}
    ]
    sent = cli.json("requests", "dispatch", number, "--note-no", "QP-DB-001", *AS_OF)
    assert (sent["state"], sent["dispatch_note_no"]) == ("dispatched", "QP-DB-001")
    got = cli.json("requests", "receive", number, *AS_OF)
    assert got["state"] == "received" and got["lines"][0]["received"] == "20"
    listing = cli.json("requests", "list", "--state", "已接收")
    assert [r["number"] for r in listing] == [number]
    assert cli.json("requests", "list", "--state", "refused") == []
    assert cli("requests", "show", number) == 0 and "夏阳" not in cli.out  # test depots' names
    assert cli("requests", "list", "--format", "csv") == 0
    assert cli.out.splitlines()[0].startswith("number,state_label")
    assert cli("check") == 0


def test_bad_input_exits_2_with_field_and_writes_nothing(cli: Cli) -> None:
    err = cli.refused(
        "requests", "new", "--requester", "D-S2", "--holder", "D-S1", "--purpose", "演练",
        "--needed-by", "2025-06-10", "--line", "2010101=101", *AS_OF,
    )  # fmt: skip
    assert "quantity: " in err
    err = cli.refused(
        "requests", "new", "--requester", "D-S2", "--holder", "NOPE", "--purpose", "演练",
        "--needed-by", "2025-06-10", "--line", "2010101=1", *AS_OF,
    )  # fmt: skip
    assert "holder: " in err
    number = _new(cli, "10")["number"]
    assert "reason: " in cli.refused("requests", "refuse", number, "--reason", " ", *AS_OF)
    cli.json("requests", "approve", number, *AS_OF)
    cli.json("requests", "dispatch", number, *AS_OF)
    err = cli.refused("requests", "receive", number, "--line", "2010101=11", *AS_OF)
    assert "received_quantity: " in err
    assert "number: " in cli.refused("requests", "cancel", "DB-1999-0001", *AS_OF)
    assert "state: " in cli.refused("requests", "cancel", number, *AS_OF)


@pytest.fixture(autouse=True)
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """build_org makes users: on PostgreSQL the commands then need a login."""
    monkeypatch.setenv(ENV_USER, "admin")
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
