"""Definition files: the shipped ones pass, and a file with errors is refused with each error's place."""

import copy

import pytest

from tools.definitions import DefinitionError, check, parse_text, shipped_documents

BASE = {
    "key": "home_check",
    "name": "Home conditions check",
    "higher_is": "worse",
    "scales": {
        "grade": {"kind": "points", "points": [{"value": 1, "label": "Good"}, {"value": 2, "label": "Poor"}]},
        "notes": {"kind": "text"},
    },
    "age_bands": [{"id": "under_5", "label": "Under 5", "from_months": 0, "to_months": 60}, {"id": "over_5", "label": "5 and over", "from_months": 60}],
    "scoring": {"area": "rounded_mean", "overall": "worst"},
    "areas": [
        {
            "id": "kitchen",
            "title": "Kitchen",
            "items": [{"id": "food", "title": "Food", "scale": "grade"}, {"id": "hygiene", "title": "Hygiene", "scale": "grade"}],
        },
        {"id": "bedroom", "title": "Bedroom", "items": [{"id": "bed", "title": "Bed", "scale": "grade", "age_bands": ["under_5"]}]},
        {"id": "notes", "title": "Notes", "scoring": "none", "items": [{"id": "other", "title": "Anything else", "scale": "notes", "required": False}]},
    ],
}


def document(**changes):
    doc = copy.deepcopy(BASE)
    doc.update(changes)
    return doc


def problems(doc):
    with pytest.raises(DefinitionError) as refused:
        check(doc)
    return refused.value.messages


def test_a_valid_document_gives_its_structure_with_defaults():
    structure = check(document())
    kitchen = structure.area("kitchen")
    assert [item.id for item in kitchen.items] == ["food", "hygiene"]
    assert kitchen.rule == "rounded_mean" and structure.area("notes").rule == "none"
    assert kitchen.items[0].required is True and kitchen.items[0].evidence_required is False
    assert structure.band_for_age_in_months(61).id == "over_5"


def test_an_item_limited_to_age_bands_is_asked_only_in_them():
    bedroom = check(document()).area("bedroom")
    assert bedroom.items_for("under_5") == list(bedroom.items)
    assert bedroom.items_for("over_5") == []
    assert bedroom.items_for("") == list(bedroom.items)


def test_the_four_shipped_definitions_pass_the_checks():
    structures = {name: check(doc) for name, doc in shipped_documents().items()}
    assert sorted(structures) == ["ccdc.json", "eha.json", "family_progress.json", "gcp2.json"]
    gcp2 = structures["gcp2.json"]
    assert [area.title for area in gcp2.areas] == ["Physical care", "Care of safety", "Emotional care (love and belonging)", "Developmental care (esteem)"]
    assert [item.id for item in gcp2.area("physical_care").items] == ["nutrition", "housing", "clothing", "hygiene", "health"]
    assert [point.value for point in gcp2.scales["grade"].points] == [1, 2, 3, 4, 5]
    assert gcp2.higher_is == "worse"
    family = structures["family_progress.json"]
    assert len(family.areas) == 10 and family.higher_is == "better"
    assert [point.value for point in family.scales["journey"].points] == list(range(1, 11))
    assert [p.value for p in structures["ccdc.json"].scales["checklist"].points] == ["yes", "borderline", "no", "not_known", "not_applicable"]
    assert not structures["eha.json"].is_scored


def test_unknown_scale_is_named_with_its_place():
    doc = document()
    doc["areas"][2]["items"][0]["scale"] = "grade7"
    assert problems(doc) == ["areas[2].items[0]: unknown scale 'grade7' (scales in this file: grade, notes)"]


def test_missing_scale_is_named_with_its_place():
    doc = document()
    del doc["areas"][0]["items"][1]["scale"]
    assert problems(doc) == ["areas[0].items[1]: missing scale"]


def test_unknown_scoring_rules_are_named_with_their_place():
    doc = document(scoring={"area": "median", "overall": "worst"})
    doc["areas"][1]["scoring"] = "best"
    assert problems(doc) == [
        "scoring.area: unknown scoring rule 'median' (known rules: rounded_mean, mean, worst, sum, none, count_at_or_above, lookup)",
        "areas[1].scoring: unknown scoring rule 'best' (known rules: rounded_mean, mean, worst, sum, none, count_at_or_above, lookup)",
    ]


def test_duplicate_item_ids_name_both_places():
    doc = document()
    doc["areas"][1]["items"][0]["id"] = "hygiene"
    assert problems(doc) == ["areas[1].items[0]: duplicate item id 'hygiene' (first used at areas[0].items[1])"]


def test_every_problem_is_reported_at_once():
    doc = document(higher_is=None)
    doc["areas"][0]["items"][0]["scael"] = "grade"
    doc["areas"][1]["items"][0]["age_bands"] = ["teenager"]
    assert problems(doc) == [
        "areas[0].items[0]: unknown field 'scael' (allowed: age_bands, descriptors, evidence_required, guidance, id, prompt, required, scale, title)",
        "areas[1].items[0].age_bands: unknown age band 'teenager'",
        "higher_is: missing: say whether a higher score is 'worse' or 'better'",
    ]


def test_scale_mistakes_are_named():
    doc = document()
    doc["scales"]["grade"]["points"] = [{"value": 2, "label": "Poor"}, {"value": 1, "label": "Good"}, {"value": 1, "label": "Again"}]
    doc["scales"]["yes_no"] = {"kind": "choices", "choices": [{"value": "yes", "label": "Yes", "score": "none"}]}
    assert problems(doc) == [
        "scales.grade.points[2].value: duplicate answer 1",
        "scales.grade.points: points must be listed from the lowest value to the highest",
        "scales.yes_no.choices: a scale needs at least two answers",
        "scales.yes_no.choices[0].score: 'none' must be a number or null",
    ]


def test_a_scored_area_needs_a_scored_item():
    doc = document()
    doc["areas"][2]["scoring"] = "sum"
    assert problems(doc) == ["areas[2]: scoring rule 'sum' needs at least one item on a scored scale"]


def test_free_text_items_cannot_require_separate_evidence():
    doc = document()
    doc["areas"][2]["items"][0]["evidence_required"] = True
    assert problems(doc) == ["areas[2].items[0].evidence_required: a free-text item's answer is its own evidence: remove evidence_required"]


def test_json_syntax_errors_give_the_line_and_column():
    with pytest.raises(DefinitionError) as refused:
        parse_text('{\n  "key": "x",\n  "name": oops\n}', filename="tool.json")
    assert refused.value.messages == ["line 3, column 11: not valid JSON (Expecting value)"]


def test_yaml_files_are_read_and_their_errors_located():
    structure = check(
        parse_text(
            "key: tiny\nname: Tiny\nscales:\n  notes: {kind: text}\nscoring: {area: none, overall: none}\nareas:\n  - id: a\n    title: A\n    items:\n      - {id: b, title: B, scale: notes}\n",
            filename="tiny.yaml",
        )
    )
    assert structure.area("a").items[0].scale.kind == "text"
    with pytest.raises(DefinitionError) as refused:
        parse_text("key: [unclosed\n", filename="broken.yml")
    assert refused.value.messages[0].startswith("line 2, column 1: not valid YAML")


def test_a_file_that_is_not_one_definition_is_refused():
    with pytest.raises(DefinitionError) as refused:
        parse_text("[1, 2]", filename="list.json")
    assert refused.value.messages == ["The file must hold one definition: an object with key, name, scales, scoring and areas."]
