"""The application's version, from the installed package metadata (also inside the bundle)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    try:
        return version("drillplan")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
