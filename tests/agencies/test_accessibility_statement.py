"""The accessibility statement follows the GOV.UK model and needs no sign-in (issue 20, item 6)."""

from django.test import override_settings
from django.urls import reverse


@override_settings(ACCESSIBILITY_CONTACT_EMAIL="access@county.example")
def test_statement_has_the_sections_a_public_sector_statement_must_have(client, db):
    response = client.get(reverse("accessibility"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this service&#x27;s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Disproportionate burden",
        "What we&#x27;re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in html or heading.replace("&#x27;", "'") in html, heading
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in html
    assert 'href="mailto:access@county.example"' in html


def test_every_page_links_to_it_from_the_footer(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'class="govuk-footer__link" href="{reverse("accessibility")}"' in html
