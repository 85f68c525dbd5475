"""单位管理: the units dialog (File ▸ 单位管理)."""
