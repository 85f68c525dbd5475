"""Reserves that are not lots: capacity reserves (产能储备)."""
