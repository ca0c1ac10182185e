"""Scoring rules, each with expectations worked out by hand."""

from decimal import Decimal

import pytest

from tools.definitions import check
from tools.scoring import apply_rule, change, score_run, scores_for_storage

from .builders import shipped_document

D = Decimal


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([2, 3], 3),  # 2.5: halves round up (Python's round() would give 2)
        ([1, 2, 3, 4], 3),  # 2.5 again, from four grades
        ([D("4.5")], 5),  # round() would give 4
        ([D("2.49")], 2),  # just under the half
        ([2, 2, 3], 2),  # 2.33
        ([1, 2, 2, 2], 2),  # 1.75
        ([2, 3, 3, 3], 3),  # 2.75
        ([4], 4),
    ],
)
def test_rounded_mean_rounds_halves_up(values, expected):
    assert apply_rule("rounded_mean", values, higher_is="worse") == expected


@pytest.mark.parametrize(("values", "expected"), [([2, 3, 3], D("2.7")), ([D("2.25")], D("2.3")), ([1, 2], D("1.5")), ([D("2.24")], D("2.2"))])
def test_mean_keeps_one_decimal_place_halves_up(values, expected):
    assert apply_rule("mean", values, higher_is="better") == expected


def test_worst_follows_the_direction_of_the_scale():
    assert apply_rule("worst", [1, 4, 2], higher_is="worse") == 4
    assert apply_rule("worst", [7, 3, 9], higher_is="better") == 3


def test_sum_adds_and_skips_answers_that_do_not_count():
    assert apply_rule("sum", [0, 1, 2, 2, None], higher_is="worse") == 5


def test_nothing_to_score_gives_no_score():
    assert apply_rule("rounded_mean", [None, None], higher_is="worse") is None
    assert apply_rule("none", [1, 2], higher_is="worse") is None


def _gcp2_answers(grades):
    structure = check(shipped_document("gcp2", version=1))
    return structure, {
        area.id: {item.id: {"value": grade, "evidence": "seen"} for item, grade in zip(area.items, grades[area.id])}
        for area in structure.areas
        if area.id in grades
    }


def test_gcp2_area_grades_are_rounded_means_and_the_overall_is_the_worst_area():
    structure, answers = _gcp2_answers(
        {
            "physical_care": [1, 2, 2, 3, 1],  # 9 / 5 = 1.8 -> 2
            "safety": [2, 3],  # 2.5 -> 3
            "emotional_care": [4, 4],  # 4
            "developmental_care": [1, 1, 2, 1],  # 1.25 -> 1
        }
    )
    scores = score_run(structure, answers)
    assert scores == {"areas": {"physical_care": 2, "safety": 3, "emotional_care": 4, "developmental_care": 1}, "overall": 4}


def test_an_area_with_no_answers_has_no_score_and_is_left_out_of_the_overall():
    structure, answers = _gcp2_answers({"physical_care": [3, 3]})  # two of five items answered: 3
    scores = score_run(structure, answers)
    assert scores["areas"] == {"physical_care": 3, "safety": None, "emotional_care": None, "developmental_care": None}
    assert scores["overall"] == 3


def test_checklist_sections_count_unmet_needs_and_not_known_is_not_counted():
    structure = check(shipped_document("ccdc", version=1))
    health = structure.area("health_care")
    values = ["yes", "borderline", "no", "not_known", "not_applicable"]  # 0 + 1 + 2 + (not counted) x2
    answers = {"health_care": {item.id: {"value": value} for item, value in zip(health.items_for("age_5_to_10"), values)}}
    scores = score_run(structure, answers, age_band="age_5_to_10")
    assert scores["areas"]["health_care"] == 3
    assert scores["overall"] == 3


def test_checklist_items_outside_the_age_band_are_not_counted():
    structure = check(shipped_document("ccdc", version=1))
    answers = {"feeding_eating": {"helped_to_eat": {"value": "no"}, "regular_meals": {"value": "borderline"}}}
    assert score_run(structure, answers, age_band="age_11_to_17")["areas"]["feeding_eating"] == 1  # helped_to_eat is for under 5s
    assert score_run(structure, answers, age_band="age_1_to_4")["areas"]["feeding_eating"] == 3


def test_family_progress_overall_is_the_mean_of_the_ten_areas_to_one_decimal():
    structure = check(shipped_document("family_progress", version=1))
    answers = {area.id: {area.items[0].id: {"value": score}} for area, score in zip(structure.areas, range(1, 11))}
    scores = score_run(structure, answers)
    assert scores["areas"]["health"] == 1 and scores["areas"]["work_training"] == 10
    assert scores["overall"] == D("5.5")  # 55 / 10


def test_stored_scores_are_whole_numbers_when_they_can_be():
    assert scores_for_storage({"areas": {"a": D("3"), "b": None}, "overall": D("5.5")}) == {"areas": {"a": 3, "b": None}, "overall": 5.5}


@pytest.mark.parametrize(
    ("previous", "latest", "higher_is", "expected"),
    [
        (3, 4, "worse", "worse"),
        (3, 2, "worse", "better"),
        (3, 4, "better", "better"),
        (5.5, 5.4, "better", "worse"),
        (2, 2, "worse", "same"),
        (None, 2, "worse", None),
    ],
)
def test_change_reads_the_direction_from_the_definition(previous, latest, higher_is, expected):
    assert change(previous, latest, higher_is=higher_is) == expected
