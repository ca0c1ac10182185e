"""Annex A lists 6 and 7 for the neglect cohort, in Annex A's column order."""
import csv
import io
from datetime import date

from census.annex_a import LIST_6_COLUMNS, LIST_7_COLUMNS, annex_a_csv


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


def test_columns_are_in_annex_a_order(db):
    assert annex_a_csv(6, as_of=date(2026, 3, 31)).splitlines()[0].split(",")[:3] == LIST_6_COLUMNS[:3]
    assert next(csv.reader(io.StringIO(annex_a_csv(7, as_of=date(2026, 3, 31))))) == LIST_7_COLUMNS
