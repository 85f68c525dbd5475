"""Contacts (通讯录): the people of units, depots, teams and agreement suppliers."""
