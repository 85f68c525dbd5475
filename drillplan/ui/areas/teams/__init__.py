"""救援队伍: the teams page and its member actions."""
