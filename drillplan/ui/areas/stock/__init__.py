"""物资储备: the stock page, its stock operations and catalogue actions, dialogs, expiry audit."""
