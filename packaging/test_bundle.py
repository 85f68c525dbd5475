"""Smoke test of the packaged application (``make dist``, then ``make dist-smoke``).

Runs the bundle's own executable from an empty environment (``env -i``: no PATH, so no
Python, no virtualenv, no HOME) the way an office PC starts it. Not under ``tests/``: it needs
the bundle, which only ``make dist`` builds; without it the test fails, it does not skip.
Point ``DRILLPLAN_BUNDLE`` at another ``drillplan`` folder to test that one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = Path(os.environ.get("DRILLPLAN_BUNDLE") or ROOT / "dist" / "drillplan")
EXE = BUNDLE / ("drillplan.exe" if sys.platform == "win32" else "drillplan")


def run(*args: str, extra_env: dict[str, str] | None = None, cwd: Path | None = None):
    assert EXE.is_file(), f"no bundle at {EXE}: run `make dist` first"
    env = ["env", "-i", *(f"{k}={v}" for k, v in (extra_env or {}).items())]
    return subprocess.run(
        [*env, str(EXE), *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bundle") / "演示 数据.sqlite3"  # Chinese and a space
    done = run("--db", str(db), "demo")
    assert done.returncode == 0, done.stderr
    assert "demo data loaded" in done.stdout
    return db


def test_version_without_python_on_path() -> None:
    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("drillplan ")
    assert done.stdout.split()[1][0].isdigit()


def test_bundle_carries_no_python_it_depends_on() -> None:
    """The bundle brings its own interpreter library; no python executable is inside or used."""
    internal = BUNDLE / "_internal"
    assert any(p.name.startswith(("libpython3", "python3")) for p in internal.iterdir())
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "drillplan" / "db" / "migrations" / "versions").is_dir()


def test_schema_at_head(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "db", "current")
    assert done.returncode == 0, done.stderr
    versions = BUNDLE / "_internal" / "drillplan" / "db" / "migrations" / "versions"
    newest = max(p.name.split("_")[0] for p in versions.glob("0*.py"))
    assert newest in done.stdout


def test_readiness_report_embeds_the_chinese_font(demo_db: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "就绪 报告.pdf"
    done = run("--db", str(demo_db), "report", "readiness", "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "WenQuanYi" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "应急" in text


def test_csv_export_to_a_chinese_file_name(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "队伍 名册.csv"
    done = run("--db", str(demo_db), "export", "teams", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert b"\r\n" in data
    assert "队伍".encode() in data or "名称".encode() in data


def test_check_passes_on_the_demo(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_bench_plugin_found_through_the_entry_point() -> None:
    done = run("--help")
    assert done.returncode == 0, done.stderr
    assert "bench" in done.stdout
    assert "unavailable" not in done.stderr
    helped = run("bench", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "--scale" in helped.stdout


def test_desktop_window_offscreen(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = run(
        "--db", str(demo_db), "screenshot", "--out", str(out),
        extra_env={"QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    overview = out / "overview.png"
    assert overview.is_file() and overview.stat().st_size > 20_000
    assert len(list(out.glob("*.png"))) >= 10


def test_zip_beside_the_bundle() -> None:
    zips = list(BUNDLE.parent.glob("drillplan-*.zip"))
    assert len(zips) == 1, zips
    listing = shutil.get_unpack_formats()
    assert any(name == "zip" for name, *_ in listing)
    import zipfile

    with zipfile.ZipFile(zips[0]) as z:
        names = set(z.namelist())
    assert "drillplan/drillplan" in names or "drillplan/drillplan.exe" in names
    assert "drillplan/_internal/resources/fonts/wqy-microhei.ttc" in names
