"""The core never imports Qt: import every core module in a process where PySide6 cannot load."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith("PySide6."):
                raise ImportError(f"Qt is not allowed in the core: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    import drillplan
    imported = []
    for info in pkgutil.walk_packages(drillplan.__path__, "drillplan."):
        if info.name == "drillplan.ui" or info.name.startswith("drillplan.ui."):
            continue
        if ".migrations" in info.name or info.name == "drillplan.__main__":
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
    assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 got imported"
    print(len(imported))
    """
)


def test_every_core_module_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    core_files = [
        p
        for p in (ROOT / "drillplan").rglob("*.py")
        if p.relative_to(ROOT / "drillplan").parts[0] != "ui"
        and "migrations" not in p.parts
        and p.name not in ("__init__.py", "__main__.py")
    ]
    # every core module file was really imported (plus the sub-packages themselves)
    assert int(result.stdout.strip()) >= len(core_files)


def test_no_qt_import_statement_in_core_sources() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "drillplan").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "drillplan").parts[:1]
        and any(
            line.lstrip().startswith(("import PySide6", "from PySide6"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
