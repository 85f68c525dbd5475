"""Start-up: the command line imports only what the command being run needs (issue 16).

Not timed (the bench measures that): each check runs a fresh interpreter and looks at
``sys.modules``, which is what start-up time is made of.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drillplan.cli import main as cli_main
from drillplan.db import migrate
from drillplan.db.database import open_db

HEAVY = ("alembic", "mako", "pygments", "openpyxl", "reportlab", "icalendar", "holidays", "PySide6")


def _imported(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    probe = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    script = f"{code}\nimport json, sys\n{probe}"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_building_the_whole_parser_imports_no_heavy_library() -> None:
    loaded = _imported("import drillplan.cli.main as m\nm.build_parser()")
    assert "drillplan" in loaded  # the probe sees what was imported
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_help_imports_neither_a_heavy_library_nor_the_database_layer() -> None:
    code = (
        "import contextlib, io\nimport drillplan.cli.main as m\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    m.main(['--help'])"
    )
    loaded = _imported(code)
    assert loaded.isdisjoint({*HEAVY, "sqlalchemy"}), sorted(loaded & {*HEAVY, "sqlalchemy"})


def test_a_command_imports_its_own_area_only() -> None:
    code = (
        "import contextlib, io\nimport drillplan.cli.main as m\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    m.main(['readiness', '--help'])\n"
        "import sys\nassert 'drillplan.cli.readiness' in sys.modules\n"
        "assert 'drillplan.cli.drills' not in sys.modules, 'another area was imported'"
    )
    loaded = _imported(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def _command_helps(parser: object) -> dict[str, str | None]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest: a.help for a in sub._choices_actions}


def test_the_placeholders_list_every_command_with_its_own_help_line() -> None:
    full = cli_main.build_parser()
    lazy = cli_main.build_parser(only=None)
    assert _command_helps(lazy) == _command_helps(full)
    assert lazy.format_help() == full.format_help()
    assert "readiness" in _command_helps(full) and "bench" in _command_helps(full)


def test_the_one_command_is_registered_for_real() -> None:
    parser = cli_main.build_parser(only="audit")
    args = parser.parse_args(["audit", "expiry", "--summary"])
    assert args.command == "audit" and args.summary is True
    assert cli_main.command_of(["--db", "x.sqlite3", "--user", "li", "audit", "expiry"]) == "audit"
    assert cli_main.command_of(["--db=x.sqlite3", "readiness"]) == "readiness"
    assert cli_main.command_of(["--help"]) is None


def test_the_head_revision_read_from_the_scripts_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite3"
    open_db(path).close()  # created and migrated: alembic is used here
    loaded = _imported(f"from drillplan.db.database import open_db\nopen_db({str(path)!r}).close()")
    assert "sqlalchemy" in loaded and "alembic" not in loaded
    fresh = tmp_path / "fresh.sqlite3"
    loaded = _imported(
        f"from drillplan.db.database import open_db\nopen_db({str(fresh)!r}).close()"
    )
    assert "alembic" in loaded  # a migration was due: it ran


def test_version_prints_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """``drillplan --version`` prints on stdout (as argparse's own action does), exit 0."""
    from drillplan.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code in (0, None)
    out = capsys.readouterr()
    assert out.out.startswith("drillplan ") and out.out.split()[1][0].isdigit()
    assert out.err == ""
