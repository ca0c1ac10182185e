"""Drift's stored flags (drift/refresh.py, drift/selectors.py) equal the rules (drift/rules.py), for every reader.

The property test draws random cases (plans, actions, oversight, the child's voice, chronology entries
some of them restricted, assessment runs, conferences, an earlier closed case, acknowledgements),
refreshes the table, and compares what the selectors read from it with what the rules compute
directly: for children's social care (who sees the whole record, so every flag comes from the table)
and for agencies who see part of it (their flags come from the table where nothing is hidden from
them, from their own view elsewhere). The other tests pin the mechanics: events mark cases stale
and refresh them after commit, readers refresh what is stale, the nightly sweep, paging.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import AgencyKind
from agencies.services import agency_merge
from cases.models import CaseStatus, Threshold
from cases.services import case_close, family_create
from chronologies.models import ChronologyEntry, EntryKind, Significance
from conferences.models import Attendance
from drift import rules, selectors
from drift.models import DriftCaseState, DriftFlag, DriftViewFlags
from drift.own_view import own_view_flags, own_views_forget, own_views_warm, view_keys
from drift.refresh import _PendingRefresh, drift_flags_refresh
from drift.tasks import drift_flags_sweep
from need.models import LevelOfNeedDecision
from oversight.models import Oversight
from plans.models import ActionStatus, CPCategory, Plan, PlanAction, PlanKind
from tests.conferences.builders import make_conference, record
from tests.factories import make_action, make_agency, make_case, make_child, make_plan
from tests.tools.builders import all_grades, final_run, published
from voice.models import ChildVoice, Speaker

from .builders import oversight_on
from .conftest import TODAY

pytestmark = pytest.mark.django_db

READERS = ("csc_manager", "lead_manager", "partner_dsl", "granted", "outsider")

days_ago = st.integers(min_value=0, max_value=420)
plans = st.lists(st.tuples(st.sampled_from(["cp_neglect", "cp_emotional", "cin"]), days_ago, st.booleans()), max_size=2)
entries = st.lists(
    st.tuples(
        st.sampled_from([EntryKind.HOME_VISIT, EntryKind.CONCERN, EntryKind.SCHOOL_ATTENDANCE, EntryKind.OTHER]),
        st.integers(0, 240),
        st.sampled_from(["csc", "health", "school", "police"]),
        st.sampled_from(list(Significance.values)),
        st.integers(60, 100),
        st.booleans(),  # restricted
    ),
    max_size=5,
)
case_specs = st.fixed_dictionaries(
    {
        "lead": st.sampled_from(["csc", "health", "school"]),
        "threshold": st.sampled_from([Threshold.SPECIALIST, Threshold.TARGETED_EARLY_HELP]),
        "opened": st.integers(30, 700),
        "plans": plans,
        "actions": st.lists(st.tuples(st.integers(-60, 30), st.sampled_from(list(ActionStatus.values))), max_size=2),
        "oversight": st.lists(st.integers(0, 90), max_size=2),
        "voices": st.lists(st.tuples(st.integers(0, 90), st.sampled_from([Speaker.CHILD, Speaker.PARENT_OR_CARER])), max_size=2),
        "entries": entries,
        "runs": st.lists(st.tuples(st.sampled_from(["gcp2", "eha"]), st.integers(0, 300), st.integers(1, 5)), max_size=2),
        "conferences": st.lists(st.tuples(st.integers(1, 200), st.sampled_from([Attendance.IN_PERSON, Attendance.DID_NOT_ATTEND])), max_size=2),
        "earlier_case": st.sampled_from([None, "health", "police"]),  # an earlier, closed case of the same child (led by), with a plan and a run on it
        "acknowledge": st.booleans(),
        "step_down": st.sampled_from([None, 2, 30]),  # a step down of the level of need this many days ago, no early-help lead named
        "sibling": st.booleans(),  # the child lives with the previous case's child (the family-wide rule reads both)
    }
)


def _agency(world, name):
    return {"csc": world.csc, "health": world.health, "school": world.school, "police": world.police}[name]


def _author(world, name):
    return {"csc": "csc_practitioner", "health": "lead_practitioner", "school": "partner_practitioner", "police": "granted"}[name]


def _plan(case, kind, started_on, ended):
    kind_, category = {
        "cp_neglect": (PlanKind.CHILD_PROTECTION, CPCategory.NEGLECT),
        "cp_emotional": (PlanKind.CHILD_PROTECTION, CPCategory.EMOTIONAL),
        "cin": (PlanKind.CHILD_IN_NEED, ""),
    }[kind]
    ended_on = min(TODAY, started_on + timedelta(days=60)) if ended else None
    return Plan.objects.create(case=case, kind=kind_, cp_category=category, started_on=started_on, ended_on=ended_on, end_reason="Ended" if ended else "")


def build(world, spec, household=None):
    """One case as `spec` says, written straight to the tables (the rules read tables, not events)."""
    child = make_child(family=household if spec["sibling"] and household else family_create(name="A household", locality="North"))
    users = world.users
    if spec["earlier_case"]:
        lead = _agency(world, spec["earlier_case"])
        earlier = make_case(lead, child=child, team=[world.school] if lead == world.health else [], opened_on=TODAY - timedelta(days=900))
        _plan(earlier, "cp_neglect", TODAY - timedelta(days=880), True)
        final_run(earlier, users[_author(world, spec["earlier_case"])], values=all_grades(4), on=TODAY - timedelta(days=850))
        case_close(actor=users["csc_manager"], case=earlier, closed_on=TODAY - timedelta(days=800), closure_reason="Needs met")
    opened_on = TODAY - timedelta(days=spec["opened"])
    case = make_case(_agency(world, spec["lead"]), child=child, team=[world.school, world.health], opened_on=opened_on, threshold=spec["threshold"])
    open_kinds = set()
    for kind, ago, ended in spec["plans"]:
        ended = ended or kind[:2] in open_kinds  # one open plan of a kind per case (a constraint)
        open_kinds |= set() if ended else {kind[:2]}
        plan = _plan(case, kind, max(opened_on, TODAY - timedelta(days=ago)), ended)
        for offset, status in spec["actions"]:
            PlanAction.objects.create(
                plan=plan,
                what="Weekly visit",
                outcome_for_child="Fed",
                owner_agency=world.school,
                due_on=TODAY + timedelta(days=offset),
                status=status,
                evidence="Seen" if status == ActionStatus.DONE else "",
            )
    for ago in spec["oversight"]:
        Oversight.objects.create(
            case=case,
            manager=users["csc_manager"],
            recorded_on=max(opened_on, TODAY - timedelta(days=ago)),
            decision="Carry on",
            reasons="Steady",
            next_review_on=TODAY + timedelta(days=30),
        )
    for ago, speaker in spec["voices"]:
        ChildVoice.objects.create(
            case=case,
            recorded_by=users["lead_practitioner"],
            agency=world.health,
            recorded_on=max(opened_on, TODAY - timedelta(days=ago)),
            what_was_said="Fine",
            method="words",
            speaker=speaker,
        )
    for kind, ago, agency, significance, percentage, restricted in spec["entries"]:
        ChronologyEntry.objects.create(
            child=child,
            agency=_agency(world, agency),
            author=users[_author(world, agency)],
            occurred_on=TODAY - timedelta(days=ago),
            kind=kind,
            summary="Recorded for the test",
            impact_on_child="Tired",
            significance=significance,
            restricted=restricted,
            attendance_percentage=Decimal(percentage) if kind == EntryKind.SCHOOL_ATTENDANCE else None,
        )
    for key, ago, grade in spec["runs"]:
        on = max(opened_on, TODAY - timedelta(days=ago))
        values = all_grades(grade) if key == "gcp2" else {area.id: "Written answer" for area in published("eha").parsed.areas}
        final_run(case, users["csc_practitioner"], key, values=values, on=on)
    for ago, school_attended in spec["conferences"]:
        conference = make_conference(
            case,
            actor=users["csc_manager"],
            chair=users["csc_manager"],
            held_on=TODAY - timedelta(days=ago),
            invitations=[world.csc, world.health, world.school],
        )
        record(conference, users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.health: Attendance.IN_PERSON, world.school: school_attended})
    if spec["step_down"] is not None:
        lower = Threshold.TARGETED_EARLY_HELP if spec["threshold"] == Threshold.SPECIALIST else Threshold.UNIVERSAL_PLUS
        LevelOfNeedDecision.objects.create(
            case=case,
            from_level=spec["threshold"],
            to_level=lower,
            reasons="Needs now met by early help",
            decided_by=users["csc_manager"],
            decided_on=max(opened_on, TODAY - timedelta(days=spec["step_down"])),
            review_on=TODAY + timedelta(days=60),
        )
    return case


def acknowledge_first(world, case):
    flag = next((flag for flag in rules.flags_for_case(user=world.users["csc_manager"], case=case, today=TODAY) if not flag.is_acknowledged), None)
    if flag is not None:
        rules.drift_acknowledge(
            actor=world.users["csc_manager"], case=case, flag=flag, reason="Proceedings are being prepared", review_on=TODAY + timedelta(days=14), today=TODAY
        )


def expected(world, reader, ids):
    """What the rules say for `reader`, with evidence links to records they may not see dropped (as every read does)."""
    return selectors._without_hidden_evidence(world.users[reader], rules.drift_flags_for_cases(user=world.users[reader], case_ids=ids, today=TODAY))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs=st.lists(case_specs, min_size=1, max_size=3))
def test_the_stored_flags_equal_the_rules_for_every_reader(world, specs):
    with transaction.atomic():
        cases = []
        for spec in specs:
            cases.append(build(world, spec, household=cases[-1].child.family if cases else None))
        for case, spec in zip(cases, specs):
            if spec["acknowledge"]:
                acknowledge_first(world, case)
        ids = [case.pk for case in cases] + [world.case.pk]
        drift_flags_refresh(case_ids=ids, today=TODAY)
        assert not DriftCaseState.objects.filter(case_id__in=ids).exclude(computed_for=TODAY).exists()
        for reader in READERS:
            assert selectors.drift_flags_for_reader(user=world.users[reader], case_ids=ids, today=TODAY) == expected(world, reader, ids), reader
        # Again, now that partners' own views are stored (drift/own_view.py): each reader is given only what their own view gives.
        for reader in READERS:
            assert selectors.drift_flags_for_reader(user=world.users[reader], case_ids=ids, today=TODAY) == expected(world, reader, ids), reader
        # The queue of children's social care, paged in SQL from the stored order, lists the same cases in the same order as the rules;
        # so do partners' queues, from their own views where something is hidden from them (stored by the reads above).
        for reader in ("csc_manager", "lead_manager", "partner_dsl"):
            direct = rules.drift_queue(user=world.users[reader], today=TODAY)
            stored = selectors.drift_queue_page(user=world.users[reader], today=TODAY, page_size=100)
            shown = [(row.case, row.flags) for row in direct.rows]
            assert [(row.case, row.flags) for row in stored.rows] == [(case, expected(world, reader, [case.pk])[case.pk]) for case, _ in shown], reader
            assert (stored.counts, stored.cases_checked) == (direct.counts, direct.cases_checked), reader
        transaction.set_rollback(True)


# --- Events, staleness and refreshing -----------------------------------------------------------------


def _stored_codes(case):
    return sorted(DriftFlag.objects.filter(case=case).values_list("code", flat=True))


def test_a_recorded_oversight_refreshes_the_case_after_commit(world, django_capture_on_commit_callbacks):
    drift_flags_refresh(case_ids=[world.case.pk])
    assert "no_oversight" in _stored_codes(world.case)
    with django_capture_on_commit_callbacks(execute=True):
        oversight_on(world, TODAY)
        state = DriftCaseState.objects.get(case=world.case)
        assert state.version > state.computed_version  # stale from the moment the write commits
        # The oversight and its chronology entry are two events: one refresh is queued for the transaction.
        assert len([callback for _, callback, *_ in connection.run_on_commit if isinstance(callback, _PendingRefresh)]) == 1
    assert "no_oversight" not in _stored_codes(world.case)
    state = DriftCaseState.objects.get(case=world.case)
    assert state.computed_version == state.version


def test_an_overdue_plan_action_and_a_chronology_entry_reach_the_table(world, django_capture_on_commit_callbacks):
    from tests.chronologies.builders import make_entry

    with django_capture_on_commit_callbacks(execute=True):
        plan = make_plan(world.case, started_on=date(2026, 6, 1))
        make_action(plan, world.school, due_on=date(2026, 11, 1))
    assert "actions_overdue" in _stored_codes(world.case)
    assert "child_not_seen" in _stored_codes(world.case)
    with django_capture_on_commit_callbacks(execute=True):
        make_entry(world.case.child, world.users["lead_practitioner"], occurred_on=TODAY, kind=EntryKind.HOME_VISIT)
    assert "child_not_seen" not in _stored_codes(world.case)


def test_a_reader_refreshes_a_stale_case_before_reading_it(world):
    """Without the worker (on-commit callbacks never run here), the next reader still sees their own write."""
    user = world.users["csc_manager"]
    assert any(flag.code == "no_oversight" for flag in selectors.case_flags(user=user, case=world.case))
    oversight_on(world, TODAY)
    assert not any(flag.code == "no_oversight" for flag in selectors.case_flags(user=user, case=world.case))


def test_refreshing_twice_stores_the_same_rows(world):
    make_plan(world.case, started_on=date(2025, 10, 4))
    drift_flags_refresh(case_ids=[world.case.pk])
    first = list(DriftFlag.objects.filter(case=world.case).order_by("position").values("code", "severity", "reason", "since", "evidence", "position"))
    drift_flags_refresh(case_ids=[world.case.pk])
    assert list(DriftFlag.objects.filter(case=world.case).order_by("position").values("code", "severity", "reason", "since", "evidence", "position")) == first


def test_the_nightly_sweep_brings_in_time_based_flags_and_forgets_closed_cases(world):
    make_plan(world.case, started_on=date(2025, 12, 1))  # 12 months on 1 December 2026
    other = make_case(world.health, team=[world.school])
    drift_flags_sweep()
    assert DriftFlag.objects.get(case=world.case, code="cp_plan_duration").severity == "amber"
    other.status = CaseStatus.CLOSED
    other.closed_on, other.closure_reason = TODAY, "Needs met"
    other.save()
    with time_machine.travel("2026-12-01 00:10 +0000", tick=False):
        assert drift_flags_sweep() == 1  # one batch
        assert DriftFlag.objects.get(case=world.case, code="cp_plan_duration").severity == "red"
        assert not DriftFlag.objects.filter(case=other).exists()
        assert DriftCaseState.objects.get(case=world.case).computed_for == date(2026, 12, 1)


def test_flags_computed_for_an_earlier_day_are_stale(world):
    make_plan(world.case, started_on=date(2025, 12, 1))
    user = world.users["csc_manager"]
    drift_flags_refresh(case_ids=[world.case.pk])
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):  # no sweep ran: the reader refreshes
        [flag] = [flag for flag in selectors.case_flags(user=user, case=world.case) if flag.code == "cp_plan_duration"]
        assert flag.severity == "red"


# --- Who sees what ------------------------------------------------------------------------------------


def test_a_restricted_entry_hidden_from_the_reader_is_not_behind_their_flags(world):
    """A police home visit (restricted) counts for children's social care; the school's DSL sees the child as not seen."""
    from tests.chronologies.builders import make_entry

    oversight_on(world, TODAY)
    make_entry(world.case.child, world.users["granted"], occurred_on=TODAY, kind=EntryKind.HOME_VISIT, restricted=True)
    codes = {reader: {flag.code for flag in selectors.case_flags(user=world.users[reader], case=world.case)} for reader in ("csc_manager", "partner_dsl")}
    assert "child_not_seen" not in codes["csc_manager"]
    assert "child_not_seen" in codes["partner_dsl"]


def test_evidence_links_to_a_conference_the_reader_may_not_see_are_dropped(world):
    """The police absent from two conferences on the child's earlier case, which the school was never part of."""
    child = make_child()
    earlier = make_case(world.police, child=child, opened_on=date(2026, 1, 5))
    for held in (date(2026, 2, 2), date(2026, 3, 2)):
        conference = make_conference(
            earlier, actor=world.users["csc_manager"], chair=world.users["csc_manager"], held_on=held, invitations=[world.csc, world.police]
        )
        record(conference, world.users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.police: Attendance.DID_NOT_ATTEND})
    case_close(actor=world.users["csc_manager"], case=earlier, closed_on=date(2026, 4, 1), closure_reason="Moved to early help")
    case = make_case(world.health, child=child, team=[world.school], opened_on=date(2026, 4, 2))

    def absence(reader):
        return next(flag for flag in selectors.case_flags(user=world.users[reader], case=case) if flag.code == "conference_absence")

    assert [item.url for item in absence("csc_manager").evidence] == [f"/conferences/{conference.pk}/"]
    assert absence("partner_dsl").evidence == ()  # the school may not open that conference


# --- The queue ------------------------------------------------------------------------------------------


def _flagged_cases(world, count):
    cases = []
    for number in range(count):
        case = make_case(world.csc, child=make_child(family=family_create(name="A household", locality="North")), threshold=Threshold.SPECIALIST)
        make_plan(case, started_on=date(2025, 1, 1) + timedelta(days=number))
        cases.append(case)
    return cases


def test_the_queue_pages_in_the_rules_order_and_is_never_capped(world):
    _flagged_cases(world, 30)
    user = world.users["csc_manager"]
    direct = [row.case.pk for row in rules.drift_queue(user=user).rows]
    first, second = (selectors.drift_queue_page(user=user, page_number=number, page_size=25) for number in (1, 2))
    assert [row.case.pk for row in first.rows + second.rows] == direct
    assert (first.flagged, first.page.paginator.num_pages, len(second.rows)) == (len(direct), 2, len(direct) - 25)


def test_the_queue_costs_the_same_queries_for_5_and_40_flagged_cases(world, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    user = world.users["csc_manager"]

    def queries():
        selectors.drift_queue_page(user=user)  # refreshes what is stale first
        with CaptureQueriesContext(connection) as captured:
            selectors.drift_queue_page(user=user)
        return len(captured.captured_queries)

    _flagged_cases(world, 5)
    few = queries()
    _flagged_cases(world, 35)
    assert queries() == few


def test_the_queue_page_shows_one_page_and_links_to_the_next(world, client_for):
    _flagged_cases(world, 30)
    response = client_for(world.users["csc_manager"]).get("/drift/queue/", {"page": 2})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["queue"].page.number == 2 and len(response.context["rows"]) == 5  # 25 a page
    assert "30 of 30 cases flagged; showing 26 to 30" in body
    assert 'aria-label="Pages of the drift queue"' in body


# --- Partner agencies' own views, stored under what they see (drift/own_view.py) ----------------------------


def _hidden_case(world):
    """A case led by health with the school in its team, and a restricted police entry the school may not read."""
    case = build(world, {**EMPTY_SPEC, "entries": [(EntryKind.CONCERN, 3, "police", Significance.CRITICAL, 90, True)]})
    drift_flags_refresh(case_ids=[case.pk], today=TODAY)
    return case


EMPTY_SPEC = {
    "lead": "health",
    "threshold": Threshold.SPECIALIST,
    "opened": 200,
    "plans": [("cp_neglect", 150, False)],
    "actions": [(-10, ActionStatus.NOT_STARTED)],
    "oversight": [],
    "voices": [],
    "entries": [],
    "runs": [],
    "conferences": [],
    "earlier_case": None,
    "acknowledge": False,
    "step_down": None,
    "sibling": False,
}


def test_a_partners_view_is_stored_once_and_read_again_only_under_the_same_key(world, monkeypatch):
    case = _hidden_case(world)
    school = world.users["partner_dsl"]
    first = selectors.drift_flags_for_reader(user=school, case_ids=[case.pk], today=TODAY)
    assert first == expected(world, "partner_dsl", [case.pk]) and first[case.pk]
    assert DriftViewFlags.objects.filter(case=case).count() == 1

    def refuse(**_):
        raise AssertionError("the rules ran again for a stored view")

    monkeypatch.setattr(rules, "drift_flags_for_cases", refuse)
    assert selectors.drift_flags_for_reader(user=school, case_ids=[case.pk], today=TODAY) == first
    monkeypatch.undo()
    # A concern the school may read changes its view: a new key, computed afresh.
    ChronologyEntry.objects.create(
        child=case.child,
        agency=world.school,
        author=world.users["partner_practitioner"],
        occurred_on=TODAY,
        kind=EntryKind.CONCERN,
        summary="Hungry",
        impact_on_child="Tired",
    )
    assert selectors.drift_flags_for_reader(user=school, case_ids=[case.pk], today=TODAY) == expected(world, "partner_dsl", [case.pk])
    assert DriftViewFlags.objects.filter(case=case).count() == 2


def test_readers_share_a_key_only_while_they_see_the_same_records(world):
    case = _hidden_case(world)

    def keys():
        readers = ("lead_practitioner", "lead_manager", "partner_dsl", "csc_manager")
        return {reader: view_keys(user=world.users[reader], case_ids=[case.pk], today=TODAY)[case.pk] for reader in readers}

    before = keys()
    # Health's practitioner and manager see the same records: one key. Another agency reads restricted entries by its own rights: another key.
    assert before["lead_practitioner"] == before["lead_manager"]
    assert len({before["lead_manager"], before["partner_dsl"], before["csc_manager"]}) == 3
    # Any entry recorded on the child's chronology changes every reader's key.
    ChronologyEntry.objects.create(
        child=case.child,
        agency=world.health,
        author=world.users["lead_practitioner"],
        occurred_on=TODAY,
        kind=EntryKind.OTHER,
        summary="Health detail",
        impact_on_child="-",
        restricted=True,
    )
    after = keys()
    assert all(after[reader] != before[reader] for reader in before) and after["lead_practitioner"] == after["lead_manager"]
    # The same reader tomorrow has another key: the time-based rules move with the date.
    assert view_keys(user=world.users["partner_dsl"], case_ids=[case.pk], today=TODAY + timedelta(days=1))[case.pk] != after["partner_dsl"]


def test_a_personal_grant_makes_another_view(world):
    """Two police practitioners on a sibling's case: `granted` also sees world.case through a grant of their own, `outsider` does not."""
    sibling = make_case(world.health, child=make_child(family=world.case.child.family), team=[world.police])
    keys = {reader: view_keys(user=world.users[reader], case_ids=[sibling.pk], today=TODAY)[sibling.pk] for reader in ("granted", "outsider")}
    assert keys["granted"] != keys["outsider"]
    # Whoever reads, each gets their own view's flags: the rules' answer for them.
    for reader in ("granted", "outsider", "lead_manager"):
        assert selectors.drift_flags_for_reader(user=world.users[reader], case_ids=[sibling.pk], today=TODAY) == expected(world, reader, [sibling.pk]), reader


def test_warming_stores_each_partner_agencys_view_for_its_readers(world, monkeypatch):
    case = _hidden_case(world)
    assert own_views_warm(case_ids=[case.pk], today=TODAY) >= 1
    monkeypatch.setattr(rules, "drift_flags_for_cases", lambda **_: pytest.fail("the school's view was not warmed"))
    stored = own_view_flags(user=world.users["partner_dsl"], case_ids=[case.pk], today=TODAY)
    monkeypatch.undo()
    assert stored == rules.drift_flags_for_cases(user=world.users["partner_dsl"], case_ids=[case.pk], today=TODAY)


def test_views_of_an_earlier_day_are_forgotten(world):
    case = _hidden_case(world)
    own_view_flags(user=world.users["partner_dsl"], case_ids=[case.pk], today=TODAY - timedelta(days=1))
    own_view_flags(user=world.users["partner_dsl"], case_ids=[case.pk], today=TODAY)
    assert own_views_forget(today=TODAY) == 1
    assert list(DriftViewFlags.objects.filter(case=case).values_list("computed_for", flat=True)) == [TODAY]


def test_an_agency_merge_forgets_the_views_it_changed(world, django_capture_on_commit_callbacks):
    """A duplicate school's restricted home visit becomes the school's own when the two are merged: its readers' flags follow."""
    case = build(world, EMPTY_SPEC)
    duplicate = make_agency(AgencyKind.SCHOOL, name="Riverside School (duplicate)")
    ChronologyEntry.objects.create(
        child=case.child,
        agency=duplicate,
        author=world.users["partner_practitioner"],
        occurred_on=TODAY - timedelta(days=3),
        kind=EntryKind.HOME_VISIT,
        summary="Seen at home by the duplicate's worker",
        impact_on_child="Hungry",
        restricted=True,
    )
    drift_flags_refresh(case_ids=[case.pk], today=TODAY)
    school = world.users["partner_dsl"]
    before = selectors.drift_flags_for_reader(user=school, case_ids=[case.pk], today=TODAY)
    assert before == expected(world, "partner_dsl", [case.pk]) and DriftViewFlags.objects.filter(case=case).exists()

    with django_capture_on_commit_callbacks(execute=True):
        agency_merge(keep=world.school, merge=duplicate, actor=world.users["admin"])

    after = selectors.drift_flags_for_reader(user=school, case_ids=[case.pk], today=TODAY)
    assert after == expected(world, "partner_dsl", [case.pk])
    assert after != before, "the merged home visit is now the school's to read: the child was seen"
