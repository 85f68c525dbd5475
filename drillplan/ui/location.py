"""How the status bar names the database: a file path, or a server URL without password."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from drillplan.db.engine import sqlite_path


def describe_location(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)
