"""Every write command, run as a viewer or as an editor outside their scope on a database
that requires a login, changes nothing and exits 2 (issue 19's "every entry point logs in")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from drillplan.auth.login import ENV_PASSWORD, ENV_USER, set_login_required
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Setting
from drillplan.demo.fingerprint import fingerprint
from tests.support.org import PASSWORDS, Org, build_org

# argv builders: (org) -> argv; the out-of-scope ones name 盈浦街道 (310118002) and its depot D-S2
Argv = Callable[[Org], list[str]]
RECEIVE = ["--material", "2010101", "--qty", "5", "--batch", "X-1", "--date", "2025-06-01"]
WRITES: dict[str, Argv] = {
    "stock-receive": lambda o: ["stock", "receive", "--holder", "D-S2", *RECEIVE],
    "stock-issue": lambda o: ["stock", "issue", "--holder", "D-S2", "--material", "2010101",
                              "--qty", "1", "--date", "2025-06-01"],
    "stock-transfer": lambda o: ["stock", "transfer", "--from", "D-S2", "--to", "D-S1",
                                 "--material", "2010101", "--qty", "1", "--date", "2025-06-01"],
    "stock-write-off": lambda o: ["stock", "write-off", "--lot", str(o.lot2), "--qty", "1",
                                  "--reason", "damaged", "--date", "2025-06-01"],
    "stock-count": lambda o: ["stock", "count", "--holder", "D-S2", "--lot", f"{o.lot2}=90",
                              "--date", "2025-06-01"],
    "units-add": lambda o: ["units", "add", "--code", "NEWU", "--name", "新单位",
                            "--kind", "enterprise", "--parent", "310118002"],
    "depots-add": lambda o: ["depots", "add", "--code", "D-NEW", "--name", "新仓库",
                             "--tier", "street", "--owner", "310118002"],
    "teams-add": lambda o: ["teams", "add", "--code", "T-NEW", "--name", "新队伍",
                            "--kind", "street", "--owner", "310118002"],
    "materials-add": lambda o: ["materials", "add", "--code", "2010199", "--name", "新物资",
                                "--uom", "件"],
    "plans-add": lambda o: ["plans", "add", "--code", "YA-NEW", "--title", "新预案",
                            "--kind", "grassroots", "--category", "natural",
                            "--owner", "310118002"],
    "settings-set": lambda o: ["settings", "set", "expiry_horizons", "10,20"],
}  # fmt: skip


@pytest.fixture
def shared(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[Database, Org]:
    org = build_org(db)
    with db.session() as session:
        set_login_required(session, True)
    for name in (ENV_USER, ENV_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda *_a, **_k: "")
    return db, org


def _fingerprint(db: Database) -> str:
    """The domain data and the settings (which the demo fingerprint leaves out)."""
    with db.session() as session:
        settings = sorted((r.key, repr(r.value)) for r in session.scalars(select(Setting)))
        return f"{fingerprint(session)} {settings}"


@pytest.mark.parametrize("user", ["viewer", "keeper1"], ids=["viewer", "out-of-scope-editor"])
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_write_outside_the_role_or_scope_changes_nothing(
    shared: tuple[Database, Org],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    user: str,
    command: str,
) -> None:
    db, org = shared
    before = _fingerprint(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS[user])
    status = main(["--db", db.url, "--user", user, *WRITES[command](org)])
    captured = capsys.readouterr()
    assert status == 2, captured
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert _fingerprint(db) == before


ALLOWED = [
    ("stock-receive", "district"),
    ("stock-issue", "district"),
    ("stock-write-off", "district"),
    ("stock-transfer", "district"),
    ("stock-count", "district"),
    ("materials-add", "district"),  # district-level reference data
    ("depots-add", "district"),
    ("teams-add", "district"),
    ("plans-add", "district"),
    ("units-add", "admin"),  # units: administrators only
    ("settings-set", "admin"),
]


@pytest.mark.parametrize(("command", "user"), ALLOWED)
def test_the_same_write_by_someone_allowed_goes_through(
    shared: tuple[Database, Org],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    user: str,
) -> None:
    """The refusals above are about role and scope, not broken arguments: every command of
    the table goes through for a user who may run it."""
    db, org = shared
    before = _fingerprint(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS[user])
    status = main(["--db", db.url, "--user", user, *WRITES[command](org)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert _fingerprint(db) != before


def test_every_write_of_the_table_is_shown_to_go_through() -> None:
    allowed = {c for c, _u in ALLOWED}
    assert allowed == set(WRITES)
