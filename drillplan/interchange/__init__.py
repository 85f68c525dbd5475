"""Excel/CSV import and export, templates, and the portable backup format.

Nothing is imported here, so ``drillplan.backup.files`` can use :mod:`.dump` without loading
the spreadsheet libraries.
"""
