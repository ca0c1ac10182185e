from django.apps import AppConfig


class DriftConfig(AppConfig):
    name = "drift"

    def ready(self):
        """Show drift flags on the case page, and keep the stored flags up to date from the apps below.

        `agencies/`, `cases/`, `chronologies/` and `conferences/` sit below drift and cannot import it: they send
        events (their `events.py`), and each receiver marks the cases touched stale inside the
        writer's transaction and queues their refresh after commit (drift/refresh.py).
        """
        from agencies import events as agency_events
        from cases import case_page
        from cases import events as case_events
        from chronologies import events as chronology_events
        from conferences import events as conference_events
        from need import events as need_events

        from . import own_view, refresh, selectors

        case_page.provider_register("drift_flags", selectors.case_flags)

        def cases(*case_ids):
            refresh.drift_cases_touched(case_ids=case_ids)

        subscriptions = {
            case_events.concern_recorded: lambda concern, **_: cases(concern.case_id),
            case_events.concern_amended: lambda amendment, **_: cases(amendment.concern.case_id),
            case_events.plan_started: lambda plan, **_: cases(plan.case_id),
            case_events.plan_ended: lambda plan, **_: cases(plan.case_id),
            case_events.referral_recorded: lambda referral, **_: refresh.drift_children_touched(child_ids=[referral.child_id]),
            case_events.oversight_recorded: lambda oversight, **_: cases(oversight.case_id),
            case_events.child_voice_recorded: lambda voice, **_: cases(voice.case_id),
            case_events.plan_action_changed: lambda action, **_: cases(action.plan.case_id),
            chronology_events.entries_recorded: lambda child_ids, **_: refresh.drift_children_touched(child_ids=child_ids),
            conference_events.conference_recorded: lambda case_ids, **_: cases(*case_ids),
            # Issue 15: a step down with no early-help lead, answered by naming a lead professional.
            need_events.level_of_need_changed: lambda decision, **_: cases(decision.case_id),
            case_events.lead_professional_changed: lambda case, **_: cases(case.pk),
        }

        def agencies_merged(keep, **_):
            # What each agency's readers see changed in ways no stored view's key holds: forget them
            # all, and mark the kept agency's open cases stale (their refresh warms the views again).
            own_view.own_views_forget_all()
            refresh.drift_agency_touched(agency_id=keep.pk)

        subscriptions[agency_events.agencies_merged] = agencies_merged
        for number, (event, receiver) in enumerate(subscriptions.items()):
            event.connect(receiver, weak=False, dispatch_uid=f"drift-{number}")
