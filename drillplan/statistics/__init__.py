"""Yearly statistics for the superior bureau (年度统计)."""
