"""What the desktop UI reads, as plain values (Qt-free): choices for the forms, the values of
a row being edited, detail tables, the dashboard and the drill calendar.

The UI never builds SQL; it calls these functions (and the domain modules) from its op
runner. Each function takes the caller's session and returns small dataclasses, tuples or
dicts.
"""

from __future__ import annotations
