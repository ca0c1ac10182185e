"""The action-plan measure against plans whose answers are worked out by hand, and the partnership profile.

Rows and their updates (quarter, RAG, in the order recorded):

    Public Health (the strategy member's agency)
      r1  2025-26-Q2 red, 2025-26-Q3 amber, 2025-26-Q4 green
      r2  2025-26-Q1 green, then 2025-26-Q1 red (a correction recorded later)
      r3  2025-26-Q4 red only (recorded for a later quarter: no status in Q3)
      r4  2025-26-Q3 green, then 2025-26-Q3 complete
    County Police
      r5  2025-26-Q3 red
      r6  2025-26-Q2 amber
    Overarching plan
      r7  2025-26-Q3 green

    As at 2025-26-Q3: overarching green 1; County Police red 1 (r5), amber 1 (r6);
                      Public Health red 1 (r2), amber 1 (r1), complete 1 (r4); r3 not counted.
    As at 2025-26-Q4: Public Health red 2 (r2, r3), green 1 (r1), complete 1 (r4).
    As at 2025-26-Q1: Public Health red 1 (r2) and nothing else.
"""

from datetime import date

import pytest

from cases.models import Case, Child
from dashboard.selectors import compute_measures, measure_by_key
from neglect_portal.quarters import parse_quarter
from partnership.models import PartnershipProfile, Rag
from partnership.selectors import OVERARCHING_LABEL, action_plan_rag_by_agency, action_plan_red_rows, partnership_profile, plans_overview
from plans.models import CPCategory, Plan, PlanKind

from .conftest import make_row, make_update

RED, AMBER, GREEN, COMPLETE = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE


def _counts(red=0, amber=0, green=0, complete=0):
    return {"red": red, "amber": amber, "green": green, "complete": complete}


@pytest.fixture
def rows(plans):
    author = plans.strategy
    r = {
        name: make_row(plan, author, objective=f"Objective {name}")
        for name, plan in [
            ("r1", plans.own),
            ("r2", plans.own),
            ("r3", plans.own),
            ("r4", plans.own),
            ("r5", plans.other),
            ("r6", plans.other),
            ("r7", plans.overarching),
        ]
    }
    make_update(r["r1"], "2025-26-Q2", RED)
    make_update(r["r1"], "2025-26-Q3", AMBER, "Half the staff trained")
    make_update(r["r1"], "2025-26-Q4", GREEN)
    make_update(r["r2"], "2025-26-Q1", GREEN)
    make_update(r["r2"], "2025-26-Q1", RED, "No budget for the audit")
    make_update(r["r3"], "2025-26-Q4", RED)
    make_update(r["r4"], "2025-26-Q3", GREEN)
    make_update(r["r4"], "2025-26-Q3", COMPLETE)
    make_update(r["r5"], "2025-26-Q3", RED, "Referral pathway not agreed")
    make_update(r["r6"], "2025-26-Q2", AMBER)
    make_update(r["r7"], "2025-26-Q3", GREEN)
    return r


def test_rows_are_counted_by_their_status_at_the_end_of_the_quarter(rows, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = action_plan_rag_by_agency(quarter=parse_quarter("2025-26-Q3"))
    assert result == [
        {"agency": OVERARCHING_LABEL, **_counts(green=1)},
        {"agency": "County Police", **_counts(red=1, amber=1)},
        {"agency": "Public Health", **_counts(red=1, amber=1, complete=1)},
    ]


def test_an_update_recorded_for_a_later_quarter_counts_from_that_quarter_only(rows):
    result = action_plan_rag_by_agency(quarter=parse_quarter("2025-26-Q4"))
    assert next(line for line in result if line["agency"] == "Public Health") == {"agency": "Public Health", **_counts(red=2, green=1, complete=1)}


def test_a_quarter_before_most_updates_counts_only_rows_that_had_a_status(rows):
    assert action_plan_rag_by_agency(quarter=parse_quarter("2025-26-Q1")) == [{"agency": "Public Health", **_counts(red=1)}]


def test_red_rows_carry_the_progress_note_of_the_update_that_made_them_red(rows):
    red = action_plan_red_rows(quarter=parse_quarter("2025-26-Q3"))
    assert [(r["agency"], r["objective"], r["status_quarter"], r["status_progress"]) for r in red] == [
        ("County Police", "Objective r5", "2025-26-Q3", "Referral pathway not agreed"),
        ("Public Health", "Objective r2", "2025-26-Q1", "No budget for the audit"),
    ]


def test_the_plans_list_counts_current_statuses_and_lists_agencies_without_a_plan(rows, world):
    overview = {summary.title: summary for summary in plans_overview()}
    assert (overview["Public Health"].red, overview["Public Health"].green, overview["Public Health"].complete) == (2, 1, 1)
    assert overview[OVERARCHING_LABEL].green == 1
    assert overview["Riverside School"].plan_id is None and overview["Riverside School"].rows == 0


def test_the_measure_is_registered_and_computed_with_the_others(rows):
    measure = measure_by_key()["action_plan_rag_by_agency"]
    assert (measure.theme, measure.unit, measure.better, measure.counts_children) == ("action_plans", "by_agency", "lower", False)
    assert compute_measures(quarter=parse_quarter("2025-26-Q3"))["action_plan_rag_by_agency"][0] == {"agency": OVERARCHING_LABEL, **_counts(green=1)}


# --- The partnership profile ---------------------------------------------------------------------


def test_the_profile_falls_back_to_the_settings(db, settings):
    settings.PARTNERSHIP_NAME = "Shire SCP"
    settings.PARTNERSHIP_UNDER_18_POPULATION = 7000
    settings.PARTNERSHIP_LOGO_FILE = ""
    profile = partnership_profile()
    assert (profile.name, profile.under_18_population, profile.logo_uri) == ("Shire SCP", 7000, None)
    assert profile.sources == {"name": "settings", "under_18_population": "settings", "logo": "settings"}


def test_the_admins_values_win_over_the_settings(db, settings):
    settings.PARTNERSHIP_UNDER_18_POPULATION = 7000
    PartnershipProfile.objects.create(pk=1, name="County SCP", under_18_population=20000, logo=b"\x89PNG", logo_type="image/png")
    profile = partnership_profile()
    assert (profile.name, profile.under_18_population, profile.logo_uri) == ("County SCP", 20000, "data:image/png;base64,iVBORw==")


def test_a_logo_file_named_in_the_settings_is_used_until_one_is_uploaded(db, settings, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    settings.PARTNERSHIP_LOGO_FILE = str(logo)
    assert partnership_profile().logo_uri.startswith("data:image/svg+xml;base64,")
    settings.PARTNERSHIP_LOGO_FILE = str(tmp_path / "missing.png")
    assert partnership_profile().logo_uri is None


def test_the_child_protection_rate_uses_the_profiles_population(world, settings):
    settings.PARTNERSHIP_UNDER_18_POPULATION = 150_000
    child = Child.objects.create(given_name="A", family_name="Rate", date_of_birth=date(2015, 6, 1))
    case = Case.objects.create(child=child, lead_agency=world.csc, opened_on=date(2025, 1, 1))
    Plan.objects.create(case=case, kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT, started_on=date(2025, 10, 1))
    q3 = parse_quarter("2025-26-Q3")
    assert compute_measures(quarter=q3)["cp_rate_per_10k"] == 0.1  # 1 x 10,000 / 150,000
    PartnershipProfile.objects.create(pk=1, under_18_population=7000)
    assert compute_measures(quarter=q3)["cp_rate_per_10k"] == 1.4  # 1 x 10,000 / 7,000
