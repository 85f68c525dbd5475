"""演练: the drills page, its actions (status, evaluation, moves), dialogs, the month calendar
and the recurrence editor."""
