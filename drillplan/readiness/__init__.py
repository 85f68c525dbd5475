"""Readiness: explained scores from coverage, expiry, certificates, headcount, plans, actions."""
