"""报表: the reports page."""
