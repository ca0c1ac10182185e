"""Chronology events that read models above `chronologies/` keep themselves up to date from.

Drift's stored flags (drift/refresh.py) read chronology entries (home visits, concerns and
significant events, school attendance), but drift sits above this app, so the chronology cannot
call it. It sends this event instead whenever entries are written (recorded, amended, made from a
case record, a conference or an assessment run, or imported); drift connects to it in its
`AppConfig.ready()`. It is sent inside the writer's transaction, like `cases/events.py`.
"""

from django.dispatch import Signal

entries_recorded = Signal()  # child_ids: the children whose chronology gained entries

ALL = (entries_recorded,)
