"""A SQLite file on a network share is named with what to do, before it is opened."""

from __future__ import annotations

import argparse
from pathlib import Path, PurePosixPath

import pytest

from drillplan.cli import common
from drillplan.db import network_share
from drillplan.db.network_share import mount_fs_type, share_finding, url_share_finding

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
tmpfs /tmp tmpfs rw 0 0
fileserver:/export/office /mnt/office nfs4 rw,vers=4.2 0 0
//nas/应急 /mnt/nas\\040share cifs rw,vers=3.0 0 0
/dev/sdb1 /mnt/office/local ext4 rw 0 0
"""


def test_local_disk_is_fine() -> None:
    assert share_finding("/home/ops/drillplan.sqlite3", windows=False, mounts_text=MOUNTS) is None


def test_nfs_mount_found_by_longest_mount_point() -> None:
    found = share_finding("/mnt/office/data/db.sqlite3", windows=False, mounts_text=MOUNTS)
    assert found is not None and found.kind == "nfs4"
    assert "PostgreSQL" in found.message_zh and "/mnt/office/data/db.sqlite3" in found.message_zh
    assert "local" not in found.message_en or "disk" in found.message_en
    # a local disk mounted inside the share is local again
    assert share_finding("/mnt/office/local/db.sqlite3", windows=False, mounts_text=MOUNTS) is None


def test_cifs_mount_point_with_an_escaped_space() -> None:
    found = share_finding("/mnt/nas share/数据.sqlite3", windows=False, mounts_text=MOUNTS)
    assert found is not None and found.kind == "cifs"


def test_mount_point_is_a_path_prefix_not_a_string_prefix() -> None:
    assert mount_fs_type(PurePosixPath("/mnt/officeX/db"), MOUNTS) == "ext4"


@pytest.mark.parametrize(
    "path", [r"\\server\share\drillplan.sqlite3", "//server/share/db.sqlite3",
             r"\\?\UNC\server\share\db.sqlite3"],
)  # fmt: skip
def test_windows_unc_paths(path: str) -> None:
    found = share_finding(path, windows=True, drive_type=3)
    assert found is not None and found.kind == "unc"
    assert "%LOCALAPPDATA%\\drillplan" in found.message_zh


def test_windows_mapped_network_drive_and_local_drive() -> None:
    mapped = share_finding(r"Z:\data\drillplan.sqlite3", windows=True, drive_type=4)
    assert mapped is not None and mapped.kind == "network drive"
    assert share_finding(r"C:\Users\ops\db.sqlite3", windows=True, drive_type=3) is None
    assert share_finding(r"\\?\C:\Users\ops\db.sqlite3", windows=True, drive_type=3) is None


def test_postgresql_is_never_a_share_finding() -> None:
    assert url_share_finding("postgresql+psycopg://u@server/drillplan") is None


def test_this_machines_temp_folder_is_local(tmp_path: Path) -> None:
    assert url_share_finding(f"sqlite:///{tmp_path / 'x.sqlite3'}") is None


def test_cli_warns_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "share" / "x.sqlite3"
    db.parent.mkdir()
    mounts = f"/dev/sda1 / ext4 rw 0 0\nsrv:/x {db.parent} nfs rw 0 0\n"
    monkeypatch.setattr(network_share, "_read_mounts", lambda: mounts)
    args = argparse.Namespace(db=str(db), user=None, password_stdin=False)
    with common.command_session(args) as (_database, _session):
        pass
    err = capsys.readouterr().err
    assert "警告" in err and "network share (nfs)" in err and "PostgreSQL" in err
    assert db.exists()  # a warning, the command still ran
