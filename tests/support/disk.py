"""A real full disk for the tests of files written whole: a small tmpfs, filled up.

Mounting needs root (the test machines and CI run as root); elsewhere the tests that need it
are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = "64k"
FILLER = "filler.bin"


@contextlib.contextmanager
def full_disk(folder: Path, *, keep: dict[str, bytes] | None = None) -> Iterator[Path]:
    """Mount a tmpfs of :data:`SIZE` at ``folder``, write the files ``keep`` (name -> content),
    then fill every remaining byte; unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        for name, content in (keep or {}).items():
            (folder / name).write_bytes(content)
        with (folder / FILLER).open("wb", buffering=0) as fh:
            chunk = b"\0" * 4096
            try:
                while True:
                    fh.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0")
        yield folder
    finally:
        gc.collect()  # a failed writer's file object may still hold the mount busy
        if subprocess.run(["umount", str(folder)], check=False).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)


def listing(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` but the filler, with its content (temporary files included)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != FILLER}


def free_bytes(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize
