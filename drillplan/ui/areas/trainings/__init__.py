"""培训与宣教: training and public education events."""
