"""The PySide6 desktop UI: windows, views, Qt item models and dialogs (no SQL here)."""
