"""通讯录与值班: contacts and the monthly duty roster."""
