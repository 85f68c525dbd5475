"""The structure stays plain: no import loop between files or folders (imports under
TYPE_CHECKING and inside functions included), the persistence layer imports nothing above it,
no product module imports drillplan/tools, and the desktop UI never touches the models."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "drillplan"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _target(name: str) -> str:
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _imports(module: str) -> set[str]:
    """Every drillplan module ``module`` imports, wherever the import statement stands."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_target(a.name) for a in node.names if a.name.startswith("drillplan")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not source.startswith("drillplan"):
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                found.add(full if full in MODULES else _target(source))
    found.discard(module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _folder(module: str) -> str:
    return ".".join(MODULES[module].relative_to(ROOT).parent.parts)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_is_read() -> None:
    assert len(MODULES) > 150
    assert "drillplan.kernel.errors" in GRAPH["drillplan.org.teams"]
    assert "drillplan.org.teams" in GRAPH["drillplan.interchange.registers"]


def test_no_import_loop_between_files() -> None:
    assert _cycles(GRAPH) == []


def test_no_import_loop_between_folders() -> None:
    folders: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        for target in targets:
            if _folder(module) != _folder(target):
                folders[_folder(module)].add(_folder(target))
    assert _cycles(folders) == []


def test_persistence_and_kernel_import_nothing_above_them() -> None:
    allowed = {
        "drillplan.kernel": ("drillplan.kernel",),
        "drillplan.db": ("drillplan.db", "drillplan.kernel"),
    }
    offenders = [
        (module, target)
        for module, targets in GRAPH.items()
        for layer, ok in allowed.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if not target.startswith(ok)
    ]
    assert offenders == []


def test_no_product_module_imports_the_tools() -> None:
    offenders = [
        (module, target)
        for module, targets in GRAPH.items()
        if not module.startswith("drillplan.tools")
        for target in targets
        if target.startswith("drillplan.tools")
    ]
    assert offenders == []


def test_the_desktop_never_touches_the_models() -> None:
    offenders = [
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("drillplan.ui")
        for target in targets
        if target.startswith("drillplan.db.models") or target == "drillplan.db.base"
    ]
    assert offenders == []


def test_each_command_area_is_one_module_of_the_cli_package() -> None:
    stray = sorted(
        m
        for m in MODULES
        if m.rsplit(".", 1)[-1].startswith("cli")
        and m != "drillplan.cli"
        and not m.startswith(("drillplan.cli.", "drillplan.tools."))
    )
    assert stray == []  # no <area>/cli.py or cli_<area>.py outside drillplan/cli/
