"""Publication without disclosing a child (dashboard/disclosure.py), tested as an attacker would (tests/dashboard/attacker.py).

Three levels: the rule's parts on hand-picked figures; the whole rule on random quarters built from
the catalogue's definitions (no database), where many figures are small; and the publication CSV of a
small county built in the database, downloaded through the API and attacked with its trend.
"""

import base64
import csv
import io
import random
import re
from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dashboard.charts import axis_ticks
from dashboard.disclosure import (
    SMALL,
    WITHHELD,
    protect_group,
    published_agency_row,
    published_breakdown,
    published_history,
    published_values,
    recoverable,
)
from dashboard.exports import CHANGE, QUESTION_PCT, QUESTION_TOTAL
from dashboard.measures import CATALOGUE
from dashboard.pdf import change_since, report_context
from dashboard.selectors import AGE_BANDS, ETHNIC_GROUPS, compute_measures, measures_history
from neglect_portal.quarters import parse_quarter

from .attacker import Attack, attack_publication

T = 4
POPULATION = 7000
BY_KEY = {m.key: m for m in CATALOGUE}


# --- The rule's parts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "total", "recovered"),
    [
        ({"a": SMALL, "b": 40}, 43, True),  # 43 - 40
        ({"a": SMALL, "b": SMALL, "c": 40}, 42, True),  # the two add up to 2: both are 1
        ({"a": SMALL, "b": SMALL, "c": 40}, 48, True),  # the two add up to 8: both are 4
        ({"a": SMALL, "b": SMALL, "c": 40}, 45, False),  # 5 = 1 + 4, 2 + 3, ...
        ({"a": SMALL, "b": WITHHELD, "c": 40}, 46, True),  # a + b = 6 with b above 4: a is 1
        ({"a": SMALL, "b": WITHHELD, "c": 40}, 50, False),
        ({"a": SMALL, "b": 0}, SMALL, False),  # the total is as hidden as the part
    ],
)
def test_a_reader_recovers_a_suppressed_cell_only_when_the_group_pins_it_down(parts, total, recovered):
    assert recoverable(parts, total) is recovered


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        ({"north": 1, "central": 1, "south": 40}, {"north": SMALL, "central": SMALL, "south": WITHHELD}),
        ({"north": 3, "central": 20, "south": 40}, {"north": SMALL, "central": WITHHELD, "south": 40}),
        ({"north": 0, "central": 20, "south": 40}, {"north": 0, "central": 20, "south": 40}),
        ({"north": 2, "central": 3, "south": 40}, {"north": SMALL, "central": SMALL, "south": 40}),
    ],
)
def test_a_breakdown_withholds_the_smallest_cells_until_no_small_one_can_be_worked_out(cells, shown):
    assert protect_group(cells, sum(cells.values())) == shown


def test_a_breakdown_that_cannot_be_protected_or_whose_total_is_hidden_is_not_printed():
    assert protect_group({"a": 1, "b": 5}, 6) is None  # a + b = 6 with b above 4: hiding both still gives a = 1
    assert published_breakdown({"locality": {"north": 1, "south": 8}}, SMALL) == {"locality": None}


def test_an_agency_row_whose_withheld_part_still_gives_the_small_one_away_withholds_its_total():
    assert published_agency_row({"agency": "A", "gcp2": 1, "ccdc": 5, "total": 6}) == {"agency": "A", "gcp2": SMALL, "ccdc": WITHHELD, "total": WITHHELD}


def _quarter(**overrides):
    """A quarter where nothing is small, then the figures a test changes (their basis beside them)."""
    values = {
        "cp_children": 60,
        "cp_rate_per_10k": 85.7,
        "cp_neglect_children": 30,
        "cp_neglect_rate_per_10k": 42.9,
        "cp_neglect_share_pct": 50.0,
        "neglect_referrals": 40,
        "neglect_referrals_share_pct": 40.0,
        "school_attendance_neglect_pct": 88.0,
        "basis": {
            "cp_neglect_share_pct": {"n": 30, "d": 60},
            "neglect_referrals_share_pct": {"n": 40, "d": 100},
            "school_attendance_neglect_pct": {"base": 20},
        },
    }
    basis = overrides.pop("basis", {})
    values.update(overrides)
    values["basis"] = {**values["basis"], **basis}
    return values


def test_a_rate_is_withheld_with_its_count():
    published = published_values(
        _quarter(cp_neglect_children=3, cp_neglect_rate_per_10k=4.3, cp_neglect_share_pct=5.0, basis={"cp_neglect_share_pct": {"n": 3, "d": 60}}), CATALOGUE
    )
    assert (published["cp_neglect_children"], published["cp_neglect_rate_per_10k"], published["cp_neglect_share_pct"]) == (SMALL, WITHHELD, WITHHELD)
    assert published["cp_children"] == 60 and published["cp_rate_per_10k"] == 85.7


def test_a_count_holding_another_is_withheld_when_their_difference_is_small():
    published = published_values(_quarter(cp_children=32, cp_neglect_share_pct=93.8, basis={"cp_neglect_share_pct": {"n": 30, "d": 32}}), CATALOGUE)
    assert (published["cp_children"], published["cp_rate_per_10k"], published["cp_neglect_share_pct"]) == (WITHHELD, WITHHELD, WITHHELD)
    assert published["cp_neglect_children"] == 30


@pytest.mark.parametrize(("n", "d", "shown"), [(40, 100, 40.0), (3, 100, WITHHELD), (97, 100, WITHHELD), (3, 3, WITHHELD), (0, 6, 0.0), (6, 6, 100.0)])
def test_a_percentage_needs_its_numerator_denominator_and_complement_safe(n, d, shown):
    value = round(100 * n / d, 1)
    published = published_values(
        _quarter(neglect_referrals=n, neglect_referrals_share_pct=value, basis={"neglect_referrals_share_pct": {"n": n, "d": d}}), CATALOGUE
    )
    assert published["neglect_referrals_share_pct"] == (value if shown != WITHHELD else WITHHELD)


def test_a_mean_over_few_children_is_withheld_and_a_snapshot_without_basis_prints_no_percentage():
    published = published_values(_quarter(basis={"school_attendance_neglect_pct": {"base": 4}}), CATALOGUE)
    assert published["school_attendance_neglect_pct"] == WITHHELD
    old = _quarter()
    del old["basis"]
    assert published_values(old, CATALOGUE)["neglect_referrals_share_pct"] == WITHHELD
    assert "basis" not in published_values(_quarter(), CATALOGUE)


# --- Random quarters where many figures are small (no database) ---------------------------------------


def _partition(rng, total, categories):
    cells = dict.fromkeys(categories, 0)
    for _ in range(total):
        cells[rng.choice(categories)] += 1
    return cells


DIMENSIONS = {
    "locality": ["north", "central", "south", "not_recorded"],
    "age_band": ["unborn", *[band for band, _ in AGE_BANDS]],
    "ethnicity": [*ETHNIC_GROUPS, "not_known"],
    "disability": ["disabled", "not_disabled"],
}


def synthetic_quarter(rng, small=12):
    """One quarter's values and basis, consistent with the definitions, mostly small."""
    count = lambda: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, rng.randrange(small + 1)])  # noqa: E731
    neglect = count()
    values = {"cp_neglect_children": neglect, "cp_children": neglect + count()}
    for key in ("entered_care_neglect", "neglect_referrals", "early_help_neglect_children", "adolescents_on_neglect_plans"):
        values[key] = count()
    values["cp_rate_per_10k"] = round(values["cp_children"] * 10_000 / POPULATION, 1)
    values["cp_neglect_rate_per_10k"] = round(neglect * 10_000 / POPULATION, 1)
    basis = {}

    def ratio(key, n, d):
        values[key] = None if not d else round(100 * n / d, 1)
        basis[key] = {"n": n, "d": d}

    ratio("cp_neglect_share_pct", neglect, values["cp_children"])
    ratio("cp_neglect_12m_plus_pct", rng.randint(0, neglect), neglect)
    started = count()
    repeats = rng.randint(0, started)
    ratio("cp_neglect_repeat_pct", repeats, started)
    ratio("cp_neglect_repeat_after_neglect_pct", rng.randint(0, repeats), started)
    referrals = values["neglect_referrals"]
    ratio("neglect_referrals_share_pct", referrals, referrals + count())
    for key in ("neglect_referrals_to_assessment_pct", "neglect_repeat_referrals_12m_pct"):
        ratio(key, rng.randint(0, referrals), referrals)
    attended = count()
    values["school_attendance_neglect_pct"] = round(rng.uniform(70, 99), 1) if attended else None
    basis["school_attendance_neglect_pct"] = {"base": attended}
    ratio("persistent_absence_neglect_pct", rng.randint(0, attended), attended)
    compared = rng.randint(0, attended)
    ratio("attendance_improved_pct", rng.randint(0, compared), compared)
    for key in (
        "cin_neglect_6m_plus_pct",
        "neglect_plans_with_prior_eha_pct",
        "early_help_neglect_escalated_pct",
        "gcp2_improved_pct",
        "gcp2_health_improved_pct",
    ):
        d = count()
        ratio(key, rng.randint(0, d), d)
    ended = count()
    values["cp_neglect_length_median_days"] = float(rng.randrange(30, 700)) if ended else None
    basis["cp_neglect_length_median_days"] = {"base": ended}
    values["breakdowns"] = {
        key: {dimension: _partition(rng, values[key], categories) for dimension, categories in DIMENSIONS.items()}
        for key in ("cp_neglect_children", "entered_care_neglect", "neglect_referrals", "early_help_neglect_children")
    }
    tools = []
    for agency in ("Health", "School", "Police"):
        gcp2, ccdc = count(), count()
        if gcp2 + ccdc:
            tools.append({"agency": agency, "gcp2": gcp2, "ccdc": ccdc, "total": gcp2 + ccdc})
    attendance = []
    for agency in ("Health", "School", "GP"):
        invited = count()
        if invited:
            came = rng.randint(0, invited)
            attendance.append({"agency": agency, "invitations": invited, "attended": came, "attended_pct": round(100 * came / invited, 1)})
    values.update(tool_runs_by_agency=tools, conference_attendance_by_agency=attendance, action_plan_rag_by_agency=[], basis=basis)
    _synthetic_quality(rng, count, ratio, values)
    return values


GRADE_LABELS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
TAGGED = (("audit_impact", "impact_of_plan"), ("audit_gcp", "use_of_gcp"))


def _synthetic_quality(rng, count, ratio, values):
    """Audit rounds closed in the quarter (none, one or two; three questions, two of them tagged) and family answers, mostly small."""
    rows, totals = [], {tag: [0, 0] for _, tag in TAGGED}
    for round_name in rng.sample(["Round A", "Round B"], rng.randint(0, 2)):
        for question, tag in (("Impact", "impact_of_plan"), ("Tools", "use_of_gcp"), ("Fathers", "")):
            cells = [count() for _ in GRADE_LABELS]
            total, good = sum(cells), cells[0] + cells[1]
            pct = None if not total else round(100 * good / total, 1)
            rows.append(
                {"group": round_name, "question": question, "tag": tag, "counts": [list(c) for c in zip(GRADE_LABELS, cells)], "total": total, "pct": pct}
            )
            if tag:
                totals[tag][0] += total
                totals[tag][1] += good
    values["audit_grades_by_question"] = rows
    for prefix, tag in TAGGED:
        values[f"{prefix}_cases"] = totals[tag][0]
        ratio(f"{prefix}_good_pct", totals[tag][1], totals[tag][0])
    sent = count()
    values["feedback_links_sent"] = sent
    ratio("feedback_response_rate_pct", rng.randint(0, sent), sent)
    values["feedback_in_person"] = count()
    for key in ("feedback_parent_by_question", "feedback_child_by_question"):
        answers = []
        for question in ("Listened", "Respect"):
            cells = [count() for _ in ("Yes", "Partly", "No")]
            answers.append(
                {
                    "group": "Feedback (version 1)",
                    "question": question,
                    "tag": "",
                    "counts": [list(c) for c in zip(("Yes", "Partly", "No"), cells)],
                    "total": sum(cells),
                    "pct": None,
                }
            )
        values[key] = answers


def _attack_values(history, quarter):
    """Publish each quarter as its own report does, then attack the last one with its trend and change."""
    published = published_history(history, CATALOGUE)
    current, previous = published[quarter], list(published.values())[-2]
    changes = {key: change_since(current.get(key), previous.get(key)) for key in current if change_since(current.get(key), previous.get(key)) is not None}
    shown = {
        name: {key: value for key, value in figures.items() if key in BY_KEY or (name == quarter and key == "breakdowns")}
        for name, figures in published.items()
    }
    return attack_publication(threshold=T, quarter=quarter, published=shown, truth=history, changes=changes, population=POPULATION)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_no_suppressed_count_of_a_random_small_quarter_can_be_worked_out(seed):
    rng = random.Random(seed)
    history = {f"2025-26-Q{n}": synthetic_quarter(rng) for n in (1, 2, 3, 4)}
    attack = _attack_values(history, "2025-26-Q4")
    assert attack.recovered() == {}


def test_the_attacker_has_teeth_against_primary_suppression_alone():
    """Printing "fewer than 5" and nothing more lets the attacker back in: total minus the shown cells, rate x population."""
    truth = {"2025-26-Q3": synthetic_quarter(random.Random(1)), "2025-26-Q4": synthetic_quarter(random.Random(2))}
    quarter = truth["2025-26-Q4"]
    quarter.update(cp_neglect_children=23, cp_neglect_rate_per_10k=32.9, cp_children=25, cp_rate_per_10k=35.7, cp_neglect_share_pct=92.0)
    quarter["basis"]["cp_neglect_share_pct"] = {"n": 23, "d": 25}
    quarter["breakdowns"]["cp_neglect_children"]["locality"] = {"north": 3, "central": 10, "south": 10, "not_recorded": 0}
    naive = {
        name: {key: (SMALL if isinstance(value, int) and 0 < value <= T else value) for key, value in figures.items() if key in BY_KEY}
        for name, figures in truth.items()
    }
    naive["2025-26-Q4"]["breakdowns"] = {"cp_neglect_children": {"locality": {"north": SMALL, "central": 10, "south": 10, "not_recorded": 0}}}
    attack = attack_publication(threshold=T, quarter="2025-26-Q4", published=naive, truth=truth, changes={}, population=POPULATION)
    recovered = attack.recovered()
    assert recovered["2025-26-Q4:cp_neglect_children:locality:north"] == 3
    assert recovered["2025-26-Q4:cp_other_children"] == 2


def _audit_quarter(rows, **counts):
    """A quarter whose only figures are audit rows [(group, tag, [outstanding, good, requires improvement, inadequate])] and their sums."""
    values = dict.fromkeys(BY_KEY) | {"basis": {}, "breakdowns": {}}
    values.update(tool_runs_by_agency=[], conference_attendance_by_agency=[], action_plan_rag_by_agency=[], feedback_parent_by_question=[])
    values.update(feedback_child_by_question=[], cp_children=0, cp_neglect_children=0)
    values["audit_grades_by_question"] = [
        {
            "group": group,
            "question": tag or "Fathers",
            "tag": tag,
            "counts": [list(c) for c in zip(GRADE_LABELS, cells)],
            "total": sum(cells),
            "pct": round(100 * (cells[0] + cells[1]) / sum(cells), 1),
        }
        for group, tag, cells in rows
    ]
    for prefix, tag in TAGGED:
        tagged = [cells for _, t, cells in rows if t == tag]
        total, good = sum(sum(cells) for cells in tagged), sum(cells[0] + cells[1] for cells in tagged)
        values[f"{prefix}_cases"] = total
        values[f"{prefix}_good_pct"] = round(100 * good / total, 1) if total else None
        values["basis"][f"{prefix}_good_pct"] = {"n": good, "d": total}
    values.update(counts)
    return values


def _attack_one(values, published):
    return attack_publication(
        threshold=T, quarter="2025-26-Q4", published={"2025-26-Q4": published}, truth={"2025-26-Q4": values}, changes={}, population=POPULATION
    )


def test_the_attacker_reads_audit_tables_their_sums_and_percentages_and_the_rule_stops_it():
    """Round A's impact row has 3 cases, round B's 10; the fathers row 1 outstanding, 5 good, 1 requiring improvement.

    Printed with primary suppression alone, the count of cases audited on impact (13) less round B's 10 gives round A's 3; 7 less 5
    gives the fathers row's two small cells (1 and 1). The rule withholds the count, and leaves the fathers row's total alone."""
    values = _audit_quarter([("A", "impact_of_plan", [1, 2, 0, 0]), ("B", "impact_of_plan", [5, 0, 5, 0]), ("A", "", [1, 5, 1, 0])])
    small = lambda n: SMALL if isinstance(n, int) and 0 < n <= T else n  # noqa: E731
    naive = {key: small(value) for key, value in values.items() if key in BY_KEY and not isinstance(value, list)}
    naive["audit_grades_by_question"] = [
        {**row, "counts": [[label, small(n)] for label, n in row["counts"]], "total": small(row["total"]), "pct": None}
        for row in values["audit_grades_by_question"]
    ]
    recovered = _attack_one(values, naive).recovered()
    assert recovered["2025-26-Q4:audit_grades_by_question:0:total"] == 3
    assert recovered["2025-26-Q4:audit_grades_by_question:2:Outstanding"] == 1
    published = published_values(values, CATALOGUE)
    assert (published["audit_impact_cases"], published["audit_impact_good_pct"]) == (WITHHELD, WITHHELD)
    assert published["audit_grades_by_question"][2]["counts"] is None and published["audit_grades_by_question"][2]["total"] == 7
    shown = {key: value for key, value in published.items() if key in BY_KEY}
    assert _attack_one(values, shown).recovered() == {}


def test_an_audit_percentage_is_printed_only_when_every_row_it_adds_up_is():
    complete = _audit_quarter([("A", "impact_of_plan", [5, 5, 6, 0]), ("B", "impact_of_plan", [0, 7, 0, 8])])
    published = published_values(complete, CATALOGUE)
    assert (published["audit_impact_cases"], published["audit_impact_good_pct"]) == (31, 54.8)  # 17 of 31
    # Round B's 1 inadequate is suppressed: 17 good or better of 32 would give back the hidden cells.
    hidden = _audit_quarter([("A", "impact_of_plan", [5, 5, 6, 0]), ("B", "impact_of_plan", [0, 7, 8, 1])])
    published = published_values(hidden, CATALOGUE)
    assert published["audit_impact_cases"] == 32 and published["audit_impact_good_pct"] == WITHHELD
    shown = {key: value for key, value in published.items() if key in BY_KEY}
    assert _attack_one(hidden, shown).recovered() == {}


def test_the_attack_reads_percentages_rates_and_changes():
    attack = Attack(T)
    attack.var("n", truth=3)
    attack.var("d", 40, 40)
    attack.percentage("n", "d", 7.5)
    attack.var("c", truth=2)
    attack.rate("c", 2.9, POPULATION)
    attack.var("now", 10, 10)
    attack.var("before", truth=4)
    attack.difference("now", "before", 6)
    assert attack.recovered() == {"n": 3, "c": 2, "before": 4}


# --- A small county in the database: the publication CSV and PDF, attacked ---------------------------

Q = parse_quarter("2024-25-Q3")  # the small county's plans run from 2023 to 2026: this quarter has many small figures


@pytest.fixture
def small_county(world, settings):
    """Forty children over three years, in three localities and several ethnic groups: many figures of each quarter are small."""
    from cases.models import Case, Child, Family
    from chronologies.models import ChronologyEntry, EntryKind
    from conferences.models import Attendance, Conference, ConferenceFormat, ConferenceKind, Invitation
    from plans.models import CPCategory, Plan, PlanKind
    from referrals.models import Referral
    from tests.tools.builders import published as published_tool
    from tools.models import AssessmentRun, RunStatus

    settings.PARTNERSHIP_UNDER_18_POPULATION = POPULATION
    rng = random.Random(16)
    recorder = world.users["csc_practitioner"]
    families = [Family.objects.create(name=f"F{n}", locality=locality) for n, locality in enumerate(["north", "central", "south", ""] * 3)]
    start = date(2023, 4, 1)
    gcp2 = published_tool("gcp2")
    for n in range(40):
        child = Child.objects.create(
            given_name=f"C{n}",
            family_name="Small",
            date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(18 * 365 - 800)),
            family=rng.choice(families),
            ethnicity=rng.choice(["WBRI", "WBRI", "WBRI", "BAFR", "AIND", "MWBC", "NOBT"]),
            disability=rng.random() < 0.15,
        )
        case = Case.objects.create(child=child, lead_agency=world.csc, opened_on=date(2022, 1, 1))
        day = start + timedelta(days=rng.randrange(700))
        neglect = rng.random() < 0.7
        Referral.objects.create(
            child=child,
            case=case,
            referred_on=day,
            referring_agency=rng.choice([world.school, world.health, world.police]),
            is_neglect=neglect,
            reasons="r",
            recorded_by=recorder,
        )
        if rng.random() < 0.2:
            Referral.objects.create(
                child=child,
                case=case,
                referred_on=day + timedelta(days=rng.randrange(20, 300)),
                referring_agency=world.school,
                is_neglect=True,
                reasons="r",
                recorded_by=recorder,
            )
        kind = rng.choice([PlanKind.CHILD_PROTECTION, PlanKind.CHILD_PROTECTION, PlanKind.CHILD_IN_NEED, PlanKind.EARLY_HELP, PlanKind.LOOKED_AFTER])
        plan_start = day + timedelta(days=rng.randrange(5, 40))
        plan_end = plan_start + timedelta(days=rng.randrange(60, 500))
        category = (CPCategory.NEGLECT if rng.random() < 0.75 else CPCategory.PHYSICAL) if kind == PlanKind.CHILD_PROTECTION else ""
        Plan.objects.create(
            case=case,
            kind=kind,
            cp_category=category,
            started_on=plan_start,
            ended_on=plan_end if plan_end < date(2026, 6, 1) else None,
            end_reason="x" if plan_end < date(2026, 6, 1) else "",
        )
        if child.date_of_birth < date(2021, 1, 1):
            for term in range(6):
                ChronologyEntry.objects.create(
                    child=child,
                    occurred_on=date(2024, 1, 15) + timedelta(days=91 * term),
                    kind=EntryKind.SCHOOL_ATTENDANCE,
                    summary="Attendance",
                    impact_on_child="i",
                    agency=world.school,
                    attendance_percentage=rng.randrange(70, 100),
                )
        if kind == PlanKind.CHILD_PROTECTION:
            for offset in (20, 120):
                on = plan_start + timedelta(days=offset)
                AssessmentRun.objects.create(
                    definition=gcp2,
                    case=case,
                    assessor=world.users["lead_practitioner"],
                    agency=rng.choice([world.health, world.school]),
                    assessed_on=on,
                    status=RunStatus.FINAL,
                    finalised_at=on and _noon(on),
                    scores={"areas": {"physical_care": rng.randint(1, 4), "safety": 2, "emotional_care": 2, "developmental_care": 2}},
                )
            held = Conference.objects.create(
                kind=ConferenceKind.REVIEW,
                held_on=plan_start + timedelta(days=30),
                start_time=_ten(),
                format=ConferenceFormat.VIRTUAL,
                chair=recorder,
                chair_agency=world.csc,
                report_due_on=plan_start + timedelta(days=27),
                scheduled_by=recorder,
            )
            for agency in (world.health, world.police, world.school):
                Invitation.objects.create(
                    conference=held, agency=agency, attendance=rng.choice([Attendance.IN_PERSON, Attendance.APOLOGIES, Attendance.VIRTUAL])
                )


def _noon(day):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(12), UTC)


def _ten():
    from datetime import time

    return time(10)


def _number(text):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def parse_publication_csv(text, quarter):
    """The publication CSV read back into what the attacker needs: each quarter's figures, the breakdowns, the agency rows, the changes."""
    published, changes = {}, {}
    for row in csv.DictReader(io.StringIO(text)):
        key, value, name = row["key"], _number(row["value"]), row["quarter"]
        figures = published.setdefault(name, {})
        if row["agency"]:
            rows = figures.setdefault(key, [])
            if not rows or rows[-1]["agency"] != row["agency"]:
                rows.append({"agency": row["agency"]})
            rows[-1][row["figure"]] = value
        elif row["figure"] == CHANGE:
            changes[key] = value
        elif BY_KEY[key].unit == "by_question":
            rows = figures.setdefault(key, [])
            if not rows or (rows[-1]["group"], rows[-1]["question"]) != (row["breakdown"], row["category"]):
                rows.append({"group": row["breakdown"], "question": row["category"], "counts": [], "total": None, "pct": None})
            if row["figure"] == QUESTION_TOTAL:
                rows[-1]["total"] = value
            elif row["figure"] == QUESTION_PCT:
                rows[-1]["pct"] = value
            elif row["figure"] == "answers":
                rows[-1]["counts"] = None
            else:
                rows[-1]["counts"].append([row["figure"], value])
        elif row["breakdown"]:
            dimensions = figures.setdefault("breakdowns", {}).setdefault(key, {})
            if row["category"]:
                (dimensions.setdefault(row["breakdown"], {}) or {})[row["category"]] = value
            else:
                dimensions[row["breakdown"]] = None
        else:
            figures[key] = value
    order = sorted(published, key=lambda name: parse_quarter(name))
    return {name: published[name] for name in order}, changes


@pytest.fixture
def april_2026():
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        yield


def test_no_suppressed_count_can_be_worked_out_from_the_publication_csv_and_its_trend(small_county, world, april_2026):
    client = APIClient()
    client.force_authenticate(world.users["strategy"])
    response = client.get(f"/api/v1/dashboard/quarters/{Q.name}/csv/", {"publication": "1"})
    assert response.status_code == 200
    published, changes = parse_publication_csv(response.content.decode(), Q.name)
    truth = measures_history(quarter=Q, current=compute_measures(quarter=Q))
    small = [key for key, value in truth[Q.name].items() if isinstance(value, int) and 0 < value <= T]
    assert len(small) >= 3, f"the county should have small counts to hide: {small}"
    attack = attack_publication(threshold=T, quarter=Q.name, published=published, truth=truth, changes=changes, population=POPULATION)
    assert attack.recovered() == {}
    internal = client.get(f"/api/v1/dashboard/quarters/{Q.name}/csv/").content.decode()
    assert "fewer than 5" not in internal and "fewer than 5" in response.content.decode()


def _y_labels(chart):
    svg = base64.b64decode(chart["uri"].split(",", 1)[1]).decode()
    axis = re.search(r'<g class="axis y[^"]*">(.*?)</g>\s*</g>', svg, re.S)
    return [float(label) for label in re.findall(r">(-?[\d.]+)%?</text>", axis.group(1) if axis else svg)]


def test_published_charts_draw_published_points_only_on_a_scale_from_them(small_county, april_2026):
    values = compute_measures(quarter=Q)
    history = measures_history(quarter=Q, current=values)
    context = report_context(quarter=Q, values=values, history=history, for_publication=True)
    published = published_history(history, CATALOGUE)
    checked = 0
    for section in context["sections"]:
        for row in section["rows"]:
            measure = row["measure"]
            if row.get("trend") is None or not row["charts"] or measure.unit != "count":
                continue
            points = [figures.get(measure.key) for figures in published.values()]
            drawn = [p for p in points if isinstance(p, (int, float))]
            assert all(isinstance(p, (int, float)) or f"{name}: {p}" in row["chart"]["alt"] for name, p in zip(published, points))
            assert max(_y_labels(row["chart"])) == axis_ticks(max(drawn + [T + 1]))[-1]
            checked += 1
    assert checked >= 3


def test_the_publication_pdf_holds_no_narrative_and_names_no_setting(small_county, world, april_2026, tmp_path):
    import subprocess

    from dashboard.models import QuarterReport

    QuarterReport.objects.create(quarter=Q.name, narratives={"protection": "Two children in the north entered care."}, escalations="Escalate GP attendance.")
    client = APIClient()
    client.force_authenticate(world.users["strategy"])
    pdf = client.get(f"/api/v1/dashboard/quarters/{Q.name}/pdf/", {"publication": "1"}).content
    path = tmp_path / "published.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Two children" not in text and "Escalate GP" not in text and "PARTNERSHIP_" not in text
    assert "fewer than 5" in text
