"""The desktop start warns about a SQLite file on a network share and lets the user quit."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtWidgets import QMessageBox

from drillplan.db import network_share
from drillplan.db.network_share import ShareFinding

from drillplan.ui import share_warning
from drillplan.ui.share_warning import confirm_database_location, share_warning_box

pytestmark = pytest.mark.ui


def test_box_says_what_to_do(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = share_warning_box(ShareFinding(r"\\server\share\db.sqlite3", "unc"))
    qtbot.addWidget(box)
    assert "网络共享" in box.text() and "PostgreSQL" in box.text()
    assert {b.text() for b in box.buttons()} == {"退出", "仍然打开"}


@pytest.mark.parametrize(("choice", "goes_on"), [("退出", False), ("仍然打开", True)])
def test_choice_decides_the_start(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, choice: str, goes_on: bool
) -> None:  # type: ignore[no-untyped-def]
    mounts = f"/dev/sda1 / ext4 rw 0 0\nsrv:/x {tmp_path} nfs4 rw 0 0\n"
    monkeypatch.setattr(network_share, "_read_mounts", lambda: mounts)
    shown: list[str] = []

    def click(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    assert confirm_database_location(str(tmp_path / "x.sqlite3")) is goes_on
    assert shown and "nfs4" in shown[0]


def test_local_file_shows_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(share_warning, "share_warning_box", lambda *a: pytest.fail("shown"))
    assert confirm_database_location(str(tmp_path / "x.sqlite3")) is True
