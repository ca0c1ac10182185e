"""Case-work events that read models above `cases/` turn into their own records.

The chronology shows every concern, plan, referral, oversight and child's voice, but it sits above
case work (an entry points at a child), so case services cannot call it without an import cycle.
They send one of these events instead; `chronologies` connects its sync services in its
`AppConfig.ready()`. `Signal.send` runs each receiver in the sender's transaction and lets its
errors propagate, so a failed chronology entry rolls the record back, as a direct call would.
`drift` connects too: each event marks the case's stored drift flags stale (drift/refresh.py).
`tests/cases/test_events.py` fails if an event has no receiver.
"""

from django.dispatch import Signal

# Each is sent with the keyword arguments named in its comment.
concern_recorded = Signal()  # concern
concern_amended = Signal()  # amendment
plan_started = Signal()  # plan, actor
plan_ended = Signal()  # plan, actor
referral_recorded = Signal()  # referral
oversight_recorded = Signal()  # oversight
child_voice_recorded = Signal()  # voice
plan_action_changed = Signal()  # action: added, or its status or due date changed (drift's overdue actions)
# Issue 14. A child or adult joined or left a household (a recorded decision): `chronologies` puts it on
# the children's chronologies; `frontdoor` rechecks the household's family-wide flag.
household_member_changed = Signal()  # member (cases.HouseholdMember), actor, joined (True) or left (False)
# Something case work hands to children's social care's front door (`frontdoor` makes the queue item and
# tells the front door): kind is "request_for_support", "no_lead_concern" or "duplicate_check". Each
# receiver returns who it told, in words, for the recorder's confirmation.
front_door_referred = Signal()  # kind, case, concern (or None), actor, detail
# Issue 15: the lead professional changed ("who the family now works with, and why"): `chronologies`
# puts it on the child's chronology. `record_id` is the change's audit row (the change has no record of its own).
lead_professional_changed = Signal()  # case, lead_professional, agency, actor, reason, record_id

ALL = (
    concern_recorded,
    concern_amended,
    plan_started,
    plan_ended,
    referral_recorded,
    oversight_recorded,
    child_voice_recorded,
    plan_action_changed,
    household_member_changed,
    front_door_referred,
    lead_professional_changed,
)
