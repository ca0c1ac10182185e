"""Recurring themes survive word forms and word order, and the partnership adds words (issue 14)."""

import pytest

from chronologies.models import ThemeWord
from chronologies.patterns import theme_keywords
from chronologies.theme_views import theme_word_add
from chronologies.themes import ThemeMatcher

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Concerns about home conditions.",
        "The conditions at home were poor.",  # word order
        "Home condition poor; dog mess on the floor.",  # word form
        "Dirty, unhygienic conditions around the 3-year-old.",
    ],
)
def test_a_phrase_matches_in_any_order_and_form_within_a_sentence(text):
    assert ThemeMatcher.of(theme_keywords()["Home conditions"]).matches(text)


def test_a_phrase_does_not_match_across_sentences():
    assert not ThemeMatcher.of(["home conditions"]).matches("She went home. The conditions of her placement were fine.")


def test_word_forms_of_a_single_word_match():
    matcher = ThemeMatcher.of(theme_keywords()["Hygiene"])
    assert matcher.matches("Poor hygiene at school") and matcher.matches("He was unwashed and smelly") and matcher.matches("Her clothes were dirty")


def test_a_partnership_admin_adds_a_word_to_a_theme(world):
    assert not ThemeMatcher.of(theme_keywords()["Hygiene"]).matches("She looked unkempt")
    theme_word_add(actor=world.users["admin"], theme="hygiene", words="unkempt")
    assert ThemeWord.objects.get().theme == "Hygiene"  # joins the existing theme, whatever the case typed
    assert ThemeMatcher.of(theme_keywords()["Hygiene"]).matches("She looked unkempt")


def test_only_partnership_admins_add_words(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        theme_word_add(actor=world.users["csc_manager"], theme="Hygiene", words="unkempt")
