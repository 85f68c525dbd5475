"""设置: the office settings and this PC's preferences."""
