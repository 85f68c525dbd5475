"""The 调拨单 (dispatch note): rendered on the one report frame, its text real text holding the
numbers, a QR code drawn, refused before approval."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from drillplan.auth.login import ENV_PASSWORD, ENV_USER
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.kernel.errors import ValidationError
from drillplan.reports.registry import build_report
from drillplan.requests import steps
from tests.support.org import PASSWORDS, TODAY, build_org


def _text(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_dispatch_note_renders_with_the_number(db: Database, tmp_path: Path) -> None:
    org = build_org(db)
    with db.session() as session:
        request = steps.create_request(
            session,
            requester_holder_id=org.holder2,
            holder_id=org.holder1,
            purpose="应急响应",
            needed_by=TODAY,
            lines=[{"material_id": org.material, "quantity": 12}],
            today=TODAY,
        )
        number = request.number
        with pytest.raises(ValidationError) as err:
            build_report(session, "dispatch-note", tmp_path / "x.pdf", as_of=TODAY, request=number)
        assert err.value.field == "request"
        steps.approve(session, request_id=request.id, today=TODAY)
        steps.dispatch(
            session, request_id=request.id, dispatch_note_no="QP-DB-0007", on=TODAY, today=TODAY
        )
    path = tmp_path / "note.pdf"
    assert main(["--db", db.url, "report", "dispatch-note", "--request", number, "-o", str(path),
                 "--as-of", TODAY.isoformat()]) == 0  # fmt: skip
    text = _text(path)
    assert "物资调拨单" in text and "QP-DB-0007" in text and number in text
    assert "LJ-1" in text and "应急响应" in text
    assert len(PdfReader(str(path)).pages) == 1
    raw = path.read_bytes()
    assert b"/FontFile2" in raw  # the CJK font is embedded


def test_without_a_number_the_latest_approved_is_printed(db: Database, tmp_path: Path) -> None:
    build_org(db)
    with db.session() as session:
        result = build_report(session, "dispatch-note", tmp_path / "x.pdf", as_of=TODAY)
    assert "没有可打印的调拨单" in _text(result.path)
    with db.session() as session, pytest.raises(ValidationError) as err:
        build_report(session, "dispatch-note", tmp_path / "x.pdf", as_of=TODAY, request="DB-1")
    assert err.value.field == "request"


@pytest.fixture(autouse=True)
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """build_org makes users: on PostgreSQL the commands then need a login."""
    monkeypatch.setenv(ENV_USER, "admin")
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
