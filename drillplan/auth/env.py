"""The environment variables the command line logs in with (no imports: read at start-up)."""

from __future__ import annotations

ENV_USER = "DRILLPLAN_USER"
ENV_PASSWORD = "DRILLPLAN_PASSWORD"
