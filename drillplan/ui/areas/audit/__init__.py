"""The audit log viewer (File ▸ 审计日志)."""
