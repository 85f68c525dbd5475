"""The duty roster (值班表): shift kinds, the shifts of each day, and the conflict check."""
