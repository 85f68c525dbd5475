"""Shelters (应急避难场所 / 应急避难点) and dual-use (平急两用) facilities: their classes, the
register, inspections, the audit and the readiness component."""
