"""Material reserves: the movement ledger, quotas and shortfall, the expiry audit."""
