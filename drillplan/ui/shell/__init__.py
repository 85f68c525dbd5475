"""The composition root: the main window (it builds every area's page), the application start,
screenshots and the UI benchmark. Nothing in ``ui/`` or ``ui/areas/`` imports it."""
