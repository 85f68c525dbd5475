"""避难场所 area: shelters and dual-use facilities."""
