"""The Child Care and Development Checklist, version 2: the public checklist's sections and signs,
evidence for every "No" and "Borderline", and no total (docs/tools.md, "Child Care and Development Checklist")."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tools import selectors, services
from tools.definitions import check
from tools.scoring import score_run

from .builders import EVIDENCE, PRESENT, VOICE, published, shipped_document

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tools.md"


def _checklist():
    return check(shipped_document("ccdc"))


def test_the_sections_follow_the_public_checklist():
    assert [area.title for area in _checklist().areas] == [
        "Development and education",
        "Health care",
        "Feeding and eating",
        "Clothing and hygiene",
        "Emotion and behaviour",
        "Supervision and safety",
    ]


@pytest.mark.parametrize(
    "sign",
    [
        "skin_condition",
        "no_recurrent_infections",
        "no_frequent_emergency_visits",
        "no_stealing_hoarding",
        "sent_prepared",
        "collected_on_time",
        "immunisations",
        "hearing_sight_speech",
        "usual_appetite",
        "dressed_for_weather",
    ],
)
def test_signs_the_public_checklist_names_are_asked(sign):
    assert sign in {item.id for area in _checklist().areas for item in area.items}


def test_docs_list_every_section_and_sign_with_its_source():
    """docs/tools.md has a row per sign: its section, the portal's wording, its id and its source."""
    rows = re.findall(r"^\|\s*([^|]*?)\s*\|\s*([^|]+?)\s*\|\s*`(\w+)`\s*\|\s*([CWP])\s*\|$", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    listed, section = [], None
    for cell, title, item_id, _source in rows:
        section = cell.strip() or section
        listed.append((section, title.strip(), item_id))
    expected = [(area.title, item.title, item.id) for area in _checklist().areas for item in area.items]
    assert listed == expected


def test_no_and_borderline_need_evidence_and_yes_does_not():
    items = [item for area in _checklist().areas for item in area.items]
    assert all(item.needs_evidence("no") and item.needs_evidence("borderline") for item in items)
    assert not any(item.needs_evidence(value) for item in items for value in ("yes", "not_known", "not_applicable"))


def test_there_is_no_total():
    structure = _checklist()
    answers = {area.id: {item.id: {"value": "no", "evidence": EVIDENCE} for item in area.items} for area in structure.areas}
    assert not structure.is_scored
    assert score_run(structure, answers) == {"areas": {area.id: None for area in structure.areas}, "overall": None}


def _all_answers(definition, value, evidence=""):
    return {area.id: {item.id: {"value": value, "evidence": evidence} for item in area.items} for area in definition.parsed.areas}


def test_a_no_without_evidence_stops_finalising_and_a_yes_without_it_does_not(world):
    user = world.users["partner_practitioner"]
    checklist = published("ccdc")
    run = services.run_start(case=world.case, definition=checklist, actor=user)
    answers = _all_answers(checklist, "yes")
    answers["feeding_eating"]["no_stealing_hoarding"] = {"value": "no", "evidence": ""}
    answers["health_care"]["skin_condition"] = {"value": "borderline", "evidence": ""}
    run = services.run_save_draft(run=run, actor=user, details={"people_present": PRESENT, "child_voice": VOICE}, answers=answers)
    with pytest.raises(ValidationError) as refused:
        services.run_finalise(run=run, actor=user)
    assert refused.value.messages == [
        "Health care: A skin condition they have is well managed – give the evidence for your answer",
        "Feeding and eating: Shows no sign of stealing or hoarding food – give the evidence for your answer",
    ]
    evidence = {
        "feeding_eating": {"no_stealing_hoarding": {"value": "no", "evidence": "Found bread hidden in his school bag, twice this week"}},
        "health_care": {"skin_condition": {"value": "borderline", "evidence": "Eczema on both hands, cream prescribed but not seen"}},
    }
    run = services.run_finalise(run=services.run_save_draft(run=run, actor=user, answers=evidence), actor=user)
    assert run.is_final and run.scores == {"areas": {area.id: None for area in checklist.parsed.areas}, "overall": None}


def test_a_final_checklist_is_not_on_the_progress_chart(world):
    user = world.users["partner_practitioner"]
    checklist = published("ccdc")
    run = services.run_start(case=world.case, definition=checklist, actor=user)
    run = services.run_save_draft(run=run, actor=user, details={"people_present": PRESENT, "child_voice": VOICE}, answers=_all_answers(checklist, "yes"))
    services.run_finalise(run=run, actor=user)
    assert selectors.child_progress(user=user, child=world.case.child) == []


def test_the_area_page_says_when_evidence_is_needed(world, client_for):
    user = world.users["partner_practitioner"]
    run = services.run_start(case=world.case, definition=published("ccdc"), actor=user)
    page = client_for(user).get(f"/tools/runs/{run.pk}/areas/health_care/").content.decode()
    assert "Needed if your answer is Borderline or No" in page
    assert "Does not often attend the hospital emergency department (A&amp;E)" in page
