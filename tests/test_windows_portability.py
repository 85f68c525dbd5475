"""What can be checked here for the Windows build: no POSIX-only calls in the product, paths
built with pathlib, Chinese file names in and out, CRLF in CSV, the installer's promises."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.reports.registry import build_report

AS_OF = dt.date(2026, 11, 24)

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ROOT / "drillplan"

#: modules that do not exist on Windows
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "crypt"}
#: os / signal attributes that do not exist (or do nothing useful) on Windows
POSIX_ATTRS = {
    "os": {"getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "fork", "forkpty",
           "setsid", "killpg", "getpgid", "chown", "lchown", "mkfifo", "statvfs", "uname",
           "WNOHANG", "getloadavg", "sync", "path"},
    "signal": {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "alarm", "pause"},
}  # fmt: skip
#: POSIX places a literal path may not start with ("/proc/" is read only where it may be absent)
POSIX_PLACES = ("/tmp", "/var/", "/home/", "/etc/", "/dev/", "/usr/", "/opt/", "~/")


def product_files() -> list[Path]:
    files = [p for p in PRODUCT.rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 100
    return files


def _guarded_by_import_error(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try):
            names = [h.type for h in node.handlers if h.type is not None]
            if any(isinstance(n, ast.Name) and n.id in {"ImportError", "Exception"} for n in names):
                return True
    return False


def posix_findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found: list[str] = []
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            bad = [n for n in names if n and n.split(".")[0] in POSIX_MODULES]
            if bad and not _guarded_by_import_error(node, parents):
                found.append(f"{line} imports {bad[0]} (POSIX only) outside try/except ImportError")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_ATTRS.get(node.value.id, ()):
                found.append(f"{line} uses {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(POSIX_PLACES):
                found.append(f"{line} hard-codes the POSIX path {node.value!r}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            sides = (node.left, node.right)
            if any(isinstance(s, ast.Constant) and s.value in ("/", "\\") for s in sides):
                found.append(f"{line} joins a path with a string '/' (use pathlib)")
    return found


def test_no_posix_only_calls_in_the_product() -> None:
    found = [f for p in product_files() for f in posix_findings(p)]
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "probe.py"
    source = (
        "import fcntl\nimport os\nos.getuid()\nos.path.join('a', 'b')\n"
        "p = '/tmp/x'\nq = base + '/' + name\n"
        "try:\n    import resource\nexcept ImportError:\n    resource = None\n"
    )
    bad.write_text(source, encoding="utf-8")
    found = posix_findings(bad)
    assert len(found) == 5, found  # the guarded resource import is fine
    assert any("fcntl" in f for f in found) and any("os.getuid" in f for f in found)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(tmp_path / "演示 数据.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
        session.commit()
    yield database
    database.close()


def test_chinese_file_names_export_import_report(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "导出 文件夹" / "队伍名册.csv"
    out.parent.mkdir()
    with demo_db.session() as session:
        export_file(session, "teams", out)
    data = out.read_bytes()
    lines = data.split(b"\n")
    assert len(lines) > 5 and all(line.endswith(b"\r") for line in lines[:-1])  # CRLF only
    assert lines[-1] == b""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(lines) - 1

    with demo_db.session() as session:
        report = import_file(session, "teams", out, dry_run=True, today=AS_OF)
    assert report.problems == [] and report.rows == len(rows) - 1
    assert report.file == str(out)

    pdf = tmp_path / "报告" / "就绪评估.pdf"
    pdf.parent.mkdir()
    with demo_db.session() as session:
        build_report(session, "readiness", pdf, as_of=AS_OF)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_installer_keeps_the_data_and_needs_no_admin() -> None:
    iss = (ROOT / "packaging" / "drillplan.iss").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={localappdata}\\Programs\\drillplan" in iss
    body = [ln for ln in iss.splitlines() if not ln.lstrip().startswith(";")]
    deletes = [ln for ln in body if ln.startswith("Type:")]
    assert deletes and all("{app}" in ln for ln in deletes)  # only the program folder
    assert not any("{localappdata}\\drillplan" in ln for ln in body)
    assert any(ln.startswith('Name: "{group}') for ln in body)  # Start-menu entry


def test_windows_script_uses_the_lock_and_the_spec() -> None:
    raw = (ROOT / "scripts" / "build-windows.ps1").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Windows PowerShell 5.1 reads BOM-less files as ANSI
    text = raw.decode("utf-8-sig")
    assert "--require-hashes" in text and "requirements.lock" in text
    assert "packaging\\drillplan.spec" in text and "packaging\\drillplan.iss" in text
    assert "NOT run on Windows" in text
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for windows_only in ("pefile==", "pywin32-ctypes=="):
        assert windows_only in lock
    assert "sys_platform == 'win32'" in lock
