"""Scoring stated as data (tools/scoring.py): each rule on runs worked out by hand, and the rule in words.

Every expectation below is worked by hand in its comment, so a reader can check it without the code.
"""

from decimal import Decimal

from tools.definitions import DefinitionError, check
from tools.scoring import LookupRow, Rule, apply_rule, score_run

from .builders import shipped_document

D = Decimal


def _tool(scoring, areas=None, *, higher_is="worse"):
    """A small tool: grades 1-5; area a has three items, area b two (unless `areas` says otherwise)."""
    areas = areas or {"a": ["a1", "a2", "a3"], "b": ["b1", "b2"]}
    return check(
        {
            "key": "hand",
            "name": "Hand-worked",
            "higher_is": higher_is,
            "scales": {"grade": {"kind": "points", "points": [{"value": value, "label": str(value)} for value in range(1, 6)]}},
            "scoring": scoring,
            "areas": [
                {"id": area, "title": area.upper(), "items": [{"id": item, "title": item, "scale": "grade"} for item in items]} for area, items in areas.items()
            ],
        }
    )


def _answers(grades):
    return {area: {item: {"value": grade} for item, grade in items.items()} for area, items in grades.items()}


GRADES = _answers({"a": {"a1": 1, "a2": 4, "a3": 4}, "b": {"b1": 2, "b2": 3}})


# --- none ----------------------------------------------------------------------------------------


def test_none_gives_no_score_anywhere():
    structure = _tool({"area": "none", "overall": "none"})
    assert score_run(structure, GRADES) == {"areas": {"a": None, "b": None}, "overall": None}
    assert not structure.is_scored


# --- mean ----------------------------------------------------------------------------------------


def test_mean_to_one_decimal_place_by_default():
    # a: (1 + 4 + 4) / 3 = 3.0; b: (2 + 3) / 2 = 2.5; overall: (3.0 + 2.5) / 2 = 2.75 -> 2.8 (halves up)
    scores = score_run(_tool({"area": "mean", "overall": "mean"}), GRADES)
    assert scores == {"areas": {"a": D("3.0"), "b": D("2.5")}, "overall": D("2.8")}


def test_mean_to_the_places_the_definition_states():
    # places 0: a 3, b 2.5 -> 3 (halves up); places 2: a 3.00, b 2.50, overall (3 + 3) / 2 = 3.00
    scores = score_run(_tool({"area": {"rule": "mean", "places": 0}, "overall": {"rule": "mean", "places": 2}}), GRADES)
    assert scores == {"areas": {"a": 3, "b": 3}, "overall": D("3.00")}


# --- worst ---------------------------------------------------------------------------------------


def test_worst_keeps_a_grade_4_that_a_mean_would_round_away():
    # The issue's case: sub-areas 1, 4, 4 -> rounded mean 3 (9 / 3), worst 4.
    structure = _tool({"area": "worst", "overall": "worst"})
    assert score_run(structure, GRADES) == {"areas": {"a": 4, "b": 3}, "overall": 4}
    assert score_run(_tool({"area": "rounded_mean", "overall": "none"}), GRADES)["areas"]["a"] == 3


def test_worst_is_the_lowest_when_higher_is_better():
    # a: min(1, 4, 4) = 1; b: min(2, 3) = 2; overall: min(1, 2) = 1
    assert score_run(_tool({"area": "worst", "overall": "worst"}, higher_is="better"), GRADES) == {"areas": {"a": 1, "b": 2}, "overall": 1}


# --- sum -----------------------------------------------------------------------------------------


def test_sum_adds_the_answers():
    # a: 1 + 4 + 4 = 9; b: 2 + 3 = 5; overall 14
    assert score_run(_tool({"area": "sum", "overall": "sum"}), GRADES) == {"areas": {"a": 9, "b": 5}, "overall": 14}


# --- count_at_or_above ---------------------------------------------------------------------------


def test_count_at_or_above_counts_the_items_graded_that_high():
    # grade 3 or more: a has 4, 4 -> 2; b has 3 -> 1; overall over the areas' counts (2, 1) at or above 3 -> 0
    structure = _tool({"area": {"rule": "count_at_or_above", "grade": 3}, "overall": {"rule": "count_at_or_above", "grade": 3}})
    assert score_run(structure, GRADES) == {"areas": {"a": 2, "b": 1}, "overall": 0}


def test_an_overall_count_can_read_every_item():
    # over items: 1, 4, 4, 2, 3 -> graded 4 or more: 2 (the areas show their worst grade: 4 and 3)
    structure = _tool({"area": "worst", "overall": {"rule": "count_at_or_above", "grade": 4, "over": "items"}})
    assert score_run(structure, GRADES) == {"areas": {"a": 4, "b": 3}, "overall": 2}


def test_a_count_is_never_on_the_grades_axis():
    structure = _tool({"area": "worst", "overall": {"rule": "count_at_or_above", "grade": 4, "over": "items"}})
    assert structure.areas[0].rule.on_scale and not structure.overall_rule.on_scale


def test_a_count_with_answers_but_none_high_enough_is_zero_and_with_no_answers_none():
    structure = _tool({"area": {"rule": "count_at_or_above", "grade": 5}, "overall": "none"})
    assert score_run(structure, GRADES)["areas"] == {"a": 0, "b": 0}
    assert score_run(structure, {})["areas"] == {"a": None, "b": None}


# --- lookup --------------------------------------------------------------------------------------

LOOKUP = {
    "rule": "lookup",
    "of": "sum",
    "table": [{"at_least": 0, "score": 1, "label": "Low"}, {"at_least": 6, "score": 2, "label": "Medium"}, {"at_least": 9, "score": 3, "label": "High"}],
}


def test_lookup_reads_the_band_the_value_reaches():
    # a: sum 9 -> "at least 9" -> 3 (High); b: sum 5 -> "at least 0" -> 1 (Low)
    structure = _tool({"area": LOOKUP, "overall": "none"})
    assert score_run(structure, GRADES)["areas"] == {"a": 3, "b": 1}
    assert structure.areas[0].rule.row_for(3).label == "High"


def test_lookup_at_a_boundary_takes_the_band_it_reaches_and_below_the_first_band_gives_none():
    rule = Rule("lookup", of=Rule("sum"), table=(LookupRow(D(6), D(2), "Medium"), LookupRow(D(9), D(3), "High")))
    assert apply_rule(rule, [3, 3], higher_is="worse") == 2  # 6: exactly "at least 6"
    assert apply_rule(rule, [4, 4], higher_is="worse") == 2  # 8
    assert apply_rule(rule, [4, 5], higher_is="worse") == 3  # 9
    assert apply_rule(rule, [2, 3], higher_is="worse") is None  # 5: below every band


def test_lookup_of_a_count():
    # items at or above 4 across the tool: 4, 4 -> 2 -> "at least 2" -> 3
    overall = {
        "rule": "lookup",
        "of": {"rule": "count_at_or_above", "grade": 4},
        "over": "items",
        "table": [{"at_least": 0, "score": 1}, {"at_least": 1, "score": 2}, {"at_least": 2, "score": 3}],
    }
    assert score_run(_tool({"area": "none", "overall": overall}), GRADES)["overall"] == 3


# --- The rule in words, shown beside the score ---------------------------------------------------


def test_each_rule_says_what_it_does():
    structure = _tool({"area": "worst", "overall": {"rule": "count_at_or_above", "grade": 4, "over": "items"}})
    assert structure.area_rule_text(structure.areas[0]) == "The worst of its items' scores (the highest); nothing is averaged away."
    assert structure.overall_rule_text() == "How many of every item's score are 4 or more. A count, not a grade."
    mean = _tool({"area": "mean", "overall": "none"})
    assert mean.area_rule_text(mean.areas[0]) == "The mean of its items' scores, to one decimal place (halves up)."
    lookup = _tool({"area": LOOKUP, "overall": "none"})
    assert lookup.area_rule_text(lookup.areas[0]) == (
        "The total of its items' scores, read against the table: 0 or more: 1 (Low); 6 or more: 2 (Medium); 9 or more: 3 (High)."
    )


def test_a_definition_may_explain_its_rule_in_its_own_words():
    structure = _tool({"area": {"rule": "worst", "explain": "The area takes its worst sub-area grade."}, "overall": "none"})
    assert structure.area_rule_text(structure.areas[0]) == "The area takes its worst sub-area grade."


# --- Checks on the rules as written --------------------------------------------------------------


def _problems(scoring):
    try:
        _tool(scoring)
    except DefinitionError as error:
        return error.messages
    return []


def test_rule_settings_are_checked_with_their_place():
    assert _problems({"area": {"rule": "count_at_or_above"}, "overall": "none"}) == [
        "scoring.area.grade: missing: the grade at or above which an answer is counted"
    ]
    assert _problems({"area": {"rule": "worst", "grade": 4}, "overall": "none"}) == ["scoring.area.grade: only a count_at_or_above rule has 'grade'"]
    assert _problems({"area": {"rule": "lookup", "of": "none", "table": [{"at_least": 0, "score": 1}]}, "overall": "none"}) == [
        "scoring.area.of: a lookup reads a rule that gives a number, not 'none'"
    ]
    assert _problems({"area": {"rule": "lookup", "of": "sum", "table": [{"at_least": 5, "score": 1}, {"at_least": 2, "score": 2}]}, "overall": "none"}) == [
        "scoring.area.table[1].at_least: rows must go from the lowest 'at_least' to the highest"
    ]
    assert _problems({"area": {"rule": "worst", "over": "items"}, "overall": "none"}) == [
        "scoring.area.over: only the overall rule may say what it reads ('over')"
    ]
    assert _problems({"area": {"rule": "mean", "places": 5}, "overall": "none"}) == ["scoring.area.places: must be 0, 1 or 2"]


# --- The shipped Graded Care Profile 2, version 2 ------------------------------------------------


def test_gcp2_keeps_every_sub_area_grade_and_rounds_none_away():
    """Two grade-4 sub-areas of physical care: version 1 rounded the area to 2 ((1+2+4+4+1)/5 = 2.4); version 2 shows 4."""
    grades = {"physical_care": [1, 2, 4, 4, 1], "safety": [2, 3], "emotional_care": [1, 2], "developmental_care": [2, 2, 3, 2]}
    answers = {}
    for version in (1, 2):
        structure = check(shipped_document("gcp2", version=version))
        answers[version] = {area.id: {item.id: {"value": grade} for item, grade in zip(area.items, grades[area.id])} for area in structure.areas}
        scores = score_run(structure, answers[version])
        if version == 1:
            assert scores == {"areas": {"physical_care": 2, "safety": 3, "emotional_care": 2, "developmental_care": 2}, "overall": 3}
        else:
            assert scores == {"areas": {"physical_care": 4, "safety": 3, "emotional_care": 2, "developmental_care": 3}, "overall": None}


def test_gcp2_describes_each_grade_for_each_sub_area_and_says_once_that_its_wording_is_neutral():
    structure = check(shipped_document("gcp2"))
    items = [item for area in structure.areas for item in area.items]
    assert len(structure.areas) == 4 and len(items) == 13
    assert all(set(item.descriptors) == {"1", "2", "3", "4", "5"} for item in items)
    assert len({item.descriptor(4) for item in items}) == 13  # no two sub-areas share a descriptor
    nutrition = structure.area("physical_care").items[0]
    assert nutrition.label_for(nutrition.scale.point(4)).startswith("4 – The child is often hungry")
    neutral = [text for text in (*structure.guidance, structure.summary, *structure.aims, *structure.methodology) if "neutral" in text]
    assert neutral == list(structure.guidance) and len(neutral) == 1
    assert not any("licen" in item.prompt or any("licen" in text for text in item.guidance.values()) for item in items)
    assert structure.aims and structure.methodology and structure.adaptations
