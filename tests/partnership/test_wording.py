"""The wording guide (partnership/wording.py): matching by word forms, and the guide edited by partnership admins."""

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from partnership import services
from partnership.models import WordingGuideEntry
from partnership.wording import hints_for

SEED = importlib.import_module("partnership.migrations.0003_seed_wording_guide").SEED


@pytest.fixture
def guide():
    """The seeded guide, built in memory: the matching does not depend on what a test left in the table."""
    return [WordingGuideEntry(**entry) for entry in SEED]


def _found(text, guide):
    return [(hint.phrase, hint.found) for hint in hints_for(text, guide)]


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("Mum refused to engage with the health visitor", "refused to engage", "refused to engage"),
        ("Dad is refusing to engage.", "refused to engage", "refusing to engage"),
        ("He REFUSES TO ENGAGE with school", "refused to engage", "REFUSES TO ENGAGE"),
        ("Dad won't engage with the plan", "refused to engage", "won't engage"),
        ("The family are not engaging with early help", "not engaging", "not engaging"),
        ("Mother did not engage with the offer of a visit", "not engaging", "not engage"),
        ("Mum was difficult on the phone", "difficult", "difficult"),
        ("A difficult family to work with", "difficult", "difficult"),
        ("Repeated failure to meet her health needs", "failure to meet", "failure to meet"),
        ("Parents failed to meet the baby's feeding needs", "failure to meet", "failed to meet"),
        ("Both are neglectful parents, said the neighbour", "neglectful parents", "neglectful parents"),
        ("a neglectful parent", "neglectful parents", "neglectful parent"),
        ("Dad was non-compliant with the plan", "non-compliant", "non-compliant"),
    ],
)
def test_blaming_phrases_are_found_by_their_word_forms(guide, text, phrase, found):
    assert (phrase, found) in _found(text, guide)


@pytest.mark.parametrize(
    "text",
    [
        # The child's own difficulty is a fact about the child, not a label on the family (the entry's "unless").
        "The child found the stairs difficult to climb",
        "She finds reading difficult and needs glasses",
        # The county's neglect strategy uses the term itself: the guide does not flag it.
        "Pattern of disguised compliance since March",
        # A phrase never runs across punctuation.
        "There were signs of neglect. Parents said they were tired",
        # Other words with other stems.
        "The family is experiencing difficulties with money",
        "Mum refused a lift to the clinic",
        "The nursery offers engaging activities",
    ],
)
def test_plain_descriptions_are_not_flagged(guide, text):
    assert _found(text, guide) == []


def test_a_hint_says_why_and_what_to_write_instead(guide):
    [hint] = hints_for("Mum refused to engage", guide)
    assert hint.why.startswith("It puts the reason for a gap in help on the family")
    assert hint.instead.startswith("Say what was offered")


def test_each_entry_is_found_once_however_often_it_appears(guide):
    assert _found("Refused to engage. Refusing to engage again.", guide) == [("refused to engage", "Refused to engage")]


def test_the_seed_is_in_the_guide(db):
    assert set(WordingGuideEntry.objects.values_list("phrase", flat=True)) >= {entry["phrase"] for entry in SEED}
    assert not WordingGuideEntry.objects.filter(phrase__icontains="disguised compliance").exists()


# --- Partnership admins edit the guide, audited -----------------------------------------------------


def _entry(**fields):
    return {
        "phrase": "hard to reach",
        "also_matches": "",
        "unless": "",
        "why": "It puts the distance on the family.",
        "instead": "Say what was tried.",
        **fields,
    }


def test_an_admin_adds_changes_and_removes_an_entry_each_with_one_audit_row(world):
    admin = world.users["admin"]
    before = AccessEvent.objects.count()
    entry = services.wording_entry_add(actor=admin, **_entry())
    assert hints_for("The family is hard to reach")[0].phrase == "hard to reach"
    services.wording_entry_edit(actor=admin, entry=entry, **_entry(also_matches="hard-to-reach family"))
    services.wording_entry_remove(actor=admin, entry=entry)
    rows = list(AccessEvent.objects.order_by("pk").values_list("action", "object_type", "detail")[before:])
    assert rows == [
        (AuditAction.CREATE, "wording_guide_entry", "hard to reach"),
        (AuditAction.UPDATE, "wording_guide_entry", "hard to reach: changed also_matches"),
        (AuditAction.DELETE, "wording_guide_entry", "hard to reach"),
    ]
    assert hints_for("The family is hard to reach") == []


def test_only_partnership_admins_change_the_guide(world):
    before = AccessEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.wording_entry_add(actor=world.users["csc_manager"], **_entry())
    assert not WordingGuideEntry.objects.filter(phrase="hard to reach").exists()
    assert AccessEvent.objects.count() == before + 1 and AccessEvent.objects.first().action == AuditAction.DENIED


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (_entry(phrase="Refused to engage"), {"phrase": ["The guide already has this phrase"]}),
        (_entry(phrase="found * difficult"), {"phrase": ["Use * only in the phrases under 'unless'"]}),
        (_entry(phrase="!!!"), {"phrase": ["Enter at least one word"]}),
        (_entry(why="", instead=""), {"why": ["Say why the phrase can blame"], "instead": ["Suggest what to write instead"]}),
    ],
)
def test_an_entry_is_checked_before_it_is_saved(world, fields, errors):
    with pytest.raises(ValidationError) as refused:
        services.wording_entry_add(actor=world.users["admin"], **fields)
    assert refused.value.message_dict == errors


def test_the_guide_page_lists_the_entries_and_adds_one(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("partnership:wording_guide")).content.decode()
    assert "refused to engage" in page and "found * difficult" in page
    response = client.post(reverse("partnership:wording_guide"), _entry())
    assert response.status_code == 302 and WordingGuideEntry.objects.filter(phrase="hard to reach").exists()


# --- The hint beside the field ---------------------------------------------------------------------


def test_the_check_answers_the_hints_for_the_text_typed(world, client_for):
    response = client_for(world.users["partner_practitioner"]).post(reverse("partnership:wording_check"), {"text": "Mum refused to engage"})
    assert response.status_code == 200
    [hint] = response.json()["hints"]
    assert (hint["phrase"], hint["found"]) == ("refused to engage", "refused to engage")


def test_the_check_keeps_no_trace_of_the_text(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    client.post(reverse("partnership:wording_check"), {"text": "Mum refused to engage"})
    assert AccessEvent.objects.count() == before


@pytest.mark.parametrize(
    ("url_name", "args", "fields"),
    [
        ("cases:case_concern_new", "case", ["description", "impact_on_child", "action_taken"]),
        ("cases:oversight_new", "case", ["decision", "reasons"]),
        ("cases:referral_new", "case", ["reasons"]),
    ],
)
def test_free_text_fields_carry_the_hint(world, client_for, url_name, args, fields):
    page = client_for(world.users["csc_manager"]).get(reverse(url_name, args=[world.case.pk])).content.decode()
    check = reverse("partnership:wording_check")
    for name in fields:
        start = page.index(f'name="{name}"')
        tag = page[page.rindex("<textarea", 0, start) : page.index(">", start)]
        assert f'data-wording-hint="{check}"' in tag, name
