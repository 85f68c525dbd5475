"""Start-up of the desktop (issue 16, cold start to a painted window): opening the main window
on an up-to-date database imports none of the libraries only some actions need (migrations,
Excel, PDF, calendars, holidays); they load when that action runs.

Not timed (the bench measures ``ui_cold_start``): a fresh interpreter opens the window offscreen
and reports ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from drillplan.db.database import open_db

LATER = ("alembic", "mako", "openpyxl", "python_calamine", "reportlab", "icalendar", "holidays")

SCRIPT = """
import json, sys
from drillplan.db.database import open_db
from drillplan.ui.shell.app import application
from drillplan.ui.shell.main_window import MainWindow
app = application()
window = MainWindow(open_db(sys.argv[1]))
window.resize(1366, 740)
window.show()
app.processEvents()
window.grab()  # painted
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_the_window_opens_without_the_libraries_of_single_actions(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    open_db(path).close()  # created and migrated here: the window opens it up to date
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)],
        capture_output=True, text=True, check=True, timeout=180, env=env,
    )  # fmt: skip
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {"drillplan", "PySide6", "sqlalchemy"} <= loaded  # the probe sees the window's imports
    assert loaded.isdisjoint(LATER), sorted(loaded & set(LATER))
