"""Level-of-need events for the read models above this app.

`drift` sits above `need` (its step-down rule reads the decisions), so the service cannot call it:
it sends `level_of_need_changed` inside its transaction and drift marks the case's stored flags
stale (drift/apps.py), as for the case-work events (cases/events.py).
"""

from django.dispatch import Signal

level_of_need_changed = Signal()  # decision (need.LevelOfNeedDecision)
