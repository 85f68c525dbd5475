"""总览: the dashboard."""
