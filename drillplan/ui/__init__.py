"""The PySide6 desktop UI (no SQL here; every read and write goes through the core on the op
runner).

``ui/`` itself holds the infrastructure every area shares: the op runner (``ops``), the
context, the one lazy table model and its panel, forms, dialogs, messages, preferences, i18n.
``ui/areas/<area>/`` holds each area's page, its action objects and its dialogs; an area
imports the infrastructure, never another area's page. ``ui/shell/`` is the composition
root: the main window that builds every area's page, the application start, screenshots and
the UI benchmark.
"""
