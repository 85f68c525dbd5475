"""The warning-level response matrix (预警响应矩阵): hazards, levels, plans, teams, materials."""
