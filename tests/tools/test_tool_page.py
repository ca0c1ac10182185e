"""A tool's page (tools/views.py, `tool_about`): aims, methodology, adaptations, scoring in words, the
questions with what each answer means, and when the partnership expects the tool."""

import re

import pytest
from django.urls import reverse

from .builders import all_grades, final_run, published

pytestmark = pytest.mark.usefixtures("frozen_today")


def _page(client, definition):
    response = client.get(reverse("tools:tool_about", args=[definition.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_gcp2_page_says_what_the_tool_is_for_how_it_is_used_and_scored(world, client_for):
    gcp2 = published("gcp2")
    page = _page(client_for(world.users["partner_practitioner"]), gcp2)
    for heading in ("Aims", "How it is used", "Adaptations", "Guidance", "When it is expected", "How it is scored", "Areas and questions"):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in page
    assert "The highest (worst) of its sub-area grades" in page
    assert "No overall score: the areas are read one by one." in page
    assert "4 – The child is often hungry or given food unsuitable for their age" in page
    assert page.count("neutral wording") == 1


def test_the_checklist_page_says_it_has_no_total_and_which_answers_need_evidence(world, client_for):
    page = _page(client_for(world.users["lead_practitioner"]), published("ccdc"))
    assert "Not scored: there is no total." in page
    assert "Evidence needed if the answer is Borderline or No." in page


def test_the_page_says_when_the_partnership_expects_the_tool(world, client_for, settings):
    settings.TOOLS_REQUIRED = [{"tool": "gcp2", "level": "specialist", "within_working_days": 20, "after": ["child_protection"]}]
    page = _page(client_for(world.users["lead_practitioner"]), published("gcp2"))
    assert ("Graded Care Profile 2 within 20 working days of a Child Protection plan starting, for a case at the Specialist / Statutory level of need.") in page


def test_the_final_run_shows_the_rule_beside_each_score_and_every_sub_area_grade(world, client_for):
    run = final_run(world.case, world.users["lead_practitioner"], values={**all_grades(2), "physical_care": [1, 2, 4, 4, 1]})
    page = client_for(world.users["lead_practitioner"]).get(reverse("tools:run_detail", args=[run.pk])).content.decode()
    assert "How it is scored: The highest (worst) of its sub-area grades" in page
    assert "<li>Clothing: 4</li><li>Hygiene: 4</li>" in re.sub(r"\s+</li>", "</li>", page)
    assert reverse("tools:run_pdf", args=[run.pk]) in page and reverse("tools:tool_about", args=[run.definition_id]) in page


def test_starting_a_run_links_to_each_tools_page_and_the_summary_speaks_to_practitioners(world, client_for):
    page = client_for(world.users["lead_practitioner"]).get(reverse("tools:run_start", args=[world.case.pk])).content.decode()
    assert reverse("tools:tool_about", args=[published("ccdc").pk]) in page
    hints = page[page.index('<div class="govuk-radios"') : page.index("</fieldset>")]
    assert "Graded Care Profile 2" in hints and "licen" not in hints.lower()


def test_the_admins_definition_page_shows_each_rule_in_words(world, client_for):
    page = client_for(world.users["admin"]).get(reverse("tools:definition_detail", args=[published("gcp2").pk])).content.decode()
    assert "scored by <code>worst</code>" in page and "The highest (worst) of its sub-area grades" in page
