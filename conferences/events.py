"""Conference events that read models above `conferences/` keep themselves up to date from.

Drift's stored flags (drift/refresh.py) take two of the conferences' own flags (a key agency absent
again and again, a plan ended without one), which change when attendance or decisions are recorded.
Drift sits above this app, so the conference services send this event inside their transaction and
drift connects to it in its `AppConfig.ready()`.
"""

from django.dispatch import Signal

conference_recorded = Signal()  # case_ids: the cases the conference covers (attendance or decisions recorded)

ALL = (conference_recorded,)
