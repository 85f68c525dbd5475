"""Training and public education (培训与宣教): events, the materials they use (issued through
the ledger) and yearly totals. A training never counts as a drill of a plan."""
