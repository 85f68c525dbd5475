"""Printed reports (ReportLab): one frame (``frame``), shared tables, one module per report."""
