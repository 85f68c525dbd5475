"""技能比武: competitions, their events and results."""
