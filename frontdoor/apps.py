from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "frontdoor"
    verbose_name = "Front door"

    def ready(self):
        """Receive what case work hands to the front door, and look at households' flags again after their records change.

        `cases/` and `chronologies/` sit below this app: they send events (`cases/events.py`,
        `chronologies/events.py`). A referral makes its queue item inside the sender's transaction
        (so the recorder's confirmation can say who was told). A chronology entry (a concern makes
        one) or a household change queues, after commit, a look at the flags of every open case in the
        household (frontdoor/refresh.py), and marks the siblings' stored drift flags stale
        (drift/refresh.py), since a family-wide flag on one child's case depends on the others'.
        """
        from cases import events as case_events
        from chronologies import events as chronology_events

        from . import services

        case_events.front_door_referred.connect(services.referral_received, weak=False, dispatch_uid="frontdoor-referral")
        case_events.household_member_changed.connect(
            lambda member, **_: households_touched([member.child_id] if member.child_id else [], family_id=member.family_id),
            weak=False,
            dispatch_uid="frontdoor-household",
        )
        chronology_events.entries_recorded.connect(lambda child_ids, **_: households_touched(child_ids), weak=False, dispatch_uid="frontdoor-entries")


def households_touched(child_ids, family_id=None):
    """After commit: the household's open cases' stored drift flags go stale, and the front door looks at their flags."""
    from django.db import transaction

    def after_commit():
        from agencies.access import children_visible_to, whole_record_reader
        from drift.refresh import drift_cases_touched

        from .refresh import household_open_case_ids
        from .tasks import front_door_flags_refresh_cases

        ids = list(child_ids)
        if family_id is not None:
            ids += list(children_visible_to(whole_record_reader()).filter(family_id=family_id).values_list("pk", flat=True))
        case_ids = household_open_case_ids(ids)
        if case_ids:
            with transaction.atomic():
                drift_cases_touched(case_ids=case_ids)
            front_door_flags_refresh_cases.delay(case_ids)

    transaction.on_commit(after_commit, robust=True)
