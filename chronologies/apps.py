from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"

    def ready(self):
        """Project case-work events onto the chronology and show patterns on the case page.

        `cases/` sits below this app, so it sends events (`cases/events.py`) and offers a case-page
        hook (`cases/case_page.py`) instead of importing the chronology.
        """
        from cases import case_page, events

        from . import household_entries, patterns, services

        subscriptions = {
            events.concern_recorded: lambda concern, **_: services.chronology_entry_from_concern(concern=concern),
            events.concern_amended: lambda amendment, **_: services.chronology_entry_from_concern_amendment(amendment=amendment),
            events.plan_started: lambda plan, actor, **_: services.chronology_entry_from_plan_start(plan=plan, actor=actor),
            events.plan_ended: lambda plan, actor, **_: services.chronology_entry_from_plan_end(plan=plan, actor=actor),
            events.referral_recorded: lambda referral, **_: services.chronology_entry_from_referral(referral=referral),
            events.oversight_recorded: lambda oversight, **_: services.chronology_entry_from_oversight(oversight=oversight),
            events.child_voice_recorded: lambda voice, **_: services.chronology_entry_from_child_voice(voice=voice),
            # Issue 14: a child or adult joining or leaving a household (chronologies/household_entries.py).
            events.household_member_changed: lambda member, actor, joined, **_: household_entries.chronology_entries_from_household_change(
                member=member, actor=actor, joined=joined
            ),
            # Issue 15: who the family now works with, and why.
            events.lead_professional_changed: lambda case, lead_professional, agency, actor, reason, record_id, **_: services.chronology_entry_from_lead_change(
                case=case, lead_professional=lead_professional, agency=agency, actor=actor, reason=reason, record_id=record_id
            ),
        }
        for number, (event, receiver) in enumerate(subscriptions.items()):
            event.connect(receiver, weak=False, dispatch_uid=f"chronology-{number}")
        case_page.provider_register("patterns", lambda *, user, case, today: patterns.pattern_summaries_for_child(user=user, child=case.child, today=today))
