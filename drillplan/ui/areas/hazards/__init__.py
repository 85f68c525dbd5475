"""响应矩阵: the warning-level response matrix page."""
