"""Excel/CSV import (File ▸ 导入)."""
