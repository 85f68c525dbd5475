"""The PySide6 desktop UI (no SQL here; every read and write goes through the core on the op
runner).

``ui/`` itself holds the infrastructure every area shares: the op runner (``ops``), the
context, the one lazy table model and its panel, forms, dialogs, messages, preferences, i18n.
``ui/areas/<area>/`` holds each area's page, its action objects and its dialogs; an area
imports the infrastructure, never another area's page. ``ui/shell/`` is the composition
root: the main window that builds every area's page, the application start, screenshots and
the UI benchmark.
"""

# The Qt-free core the window needs at start is imported before PySide6, on purpose: once
# PySide6 is loaded, its ``__feature__`` import hook reads the source of every module imported
# after it (inspect.getsource, to look for ``from __feature__ import``); importing SQLAlchemy,
# the models and the overview's queries first takes 0.15 s off every start (0.78 -> 0.62 s
# for these imports alone, measured with `python -c`).
import sqlalchemy.dialects.sqlite  # noqa: F401

import drillplan.auth.context
import drillplan.backup.files
import drillplan.db.database
import drillplan.readiness.dashboard  # noqa: F401
