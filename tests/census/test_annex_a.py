"""Annex A lists 6 and 7 for the neglect cohort, in Annex A's column order."""

import csv
import io
from datetime import date

from census.annex_a import LIST_6_COLUMNS, LIST_7_COLUMNS, annex_a_csv
from tests.factories import make_case, make_child, make_plan


def rows(number, as_of=date(2026, 3, 31)):
    return list(csv.DictReader(io.StringIO(annex_a_csv(number, as_of=as_of))))


def test_list_7_has_categories_in_annex_a_wording(histories):
    found = {(r["Child Unique ID"], r["Child Protection Plan Start Date"]): r for r in rows(7)}
    ben = found[(str(histories["repeat_cp"].pk), "01/07/2025")]
    assert ben["Initial Category of Abuse"] == "a) Neglect"
    assert ben["Latest Category of Abuse"] == "e) Multiple"
    assert ben["Number of Previous Child Protection Plans"] == "1"
    assert ben["Date of latest review conference"] == "01/10/2025"
    assert (str(histories["repeat_cp"].pk), "01/02/2024") not in found  # ended before the six months


def test_list_6_lists_open_and_recently_closed_episodes_not_nfa(histories):
    found = {r["Child Unique ID"]: r for r in rows(6)}
    assert str(histories["nfa"].pk) not in found
    ava = found[str(histories["closed"].pk)]
    assert (ava["CIN Closure Date"], ava["Reason for Closure"], ava["Case Status"]) == ("02/12/2025", "RC7", "b) Closed")
    assert found[str(histories["unborn"].pk)]["Date of Birth"] == ""


# Annex A's own headings, in its order (2026 names "Sex" for the former "Gender"; list 7's
# "Number of Previous Child Protection Plans" is "Sum of ..." in some LA templates).
ANNEX_A_LIST_6 = [
    "Child Unique ID",
    "Sex",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
]
ANNEX_A_LIST_7 = [
    "Child Unique ID",
    "Sex",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]


def test_columns_are_in_annex_a_order(db):
    assert LIST_6_COLUMNS == ANNEX_A_LIST_6 and LIST_7_COLUMNS == ANNEX_A_LIST_7
    assert next(csv.reader(io.StringIO(annex_a_csv(6, as_of=date(2026, 3, 31))))) == ANNEX_A_LIST_6
    assert next(csv.reader(io.StringIO(annex_a_csv(7, as_of=date(2026, 3, 31))))) == ANNEX_A_LIST_7


def test_values_use_annex_a_lettered_answers(histories):
    ava = {r["Child Unique ID"]: r for r in rows(6)}[str(histories["closed"].pk)]
    assert (ava["Sex"], ava["Ethnicity"], ava["Does the Child have a Disability"]) == ("b) Female", "a) WBRI", "b) No")


def test_list_7_covers_six_calendar_months_to_the_day(world):
    """Six months before 31 March is 30 September: a plan ended that day is listed, one ended the day before is not."""
    ended = {}
    for ended_on in (date(2025, 9, 30), date(2025, 9, 29)):
        case = make_case(world.csc, child=make_child("Gus"), opened_on=date(2025, 1, 5))
        make_plan(case, started_on=date(2025, 1, 10), ended_on=ended_on)
        ended[ended_on] = str(case.child.pk)
    listed = {r["Child Unique ID"]: r["Child Protection Plan End Date"] for r in rows(7)}
    assert listed.get(ended[date(2025, 9, 30)]) == "30/09/2025"
    assert ended[date(2025, 9, 29)] not in listed
