"""Contingency plans (应急预案): lifecycle, revisions, intervals and due dates."""
