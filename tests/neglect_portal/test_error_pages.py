"""GOV.UK-style error pages in every mode, and the favicon (issue 20, item 3).

With DEBUG on (the demo), a missing or refused record shows the portal's "Page not found", not
Django's debug page listing every URL; `DEBUG_ERROR_PAGES` brings the debug pages back.
"""

import pytest
from django.test import Client
from django.urls import reverse

from neglect_portal.errors import DJANGO_DEBUG_PAGE_MARK


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    return settings


def test_an_unknown_address_with_debug_on_shows_page_not_found(debug_on, db):
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "govuk-footer" in html
    assert DJANGO_DEBUG_PAGE_MARK not in response.content
    assert "neglect_portal.urls" not in html
    assert not response.has_header("Content-Length") or int(response["Content-Length"]) == len(response.content)


def test_a_record_not_visible_with_debug_on_shows_page_not_found(debug_on, world, client_for):
    response = client_for(world.users["outsider"]).get(reverse("cases:case_detail", args=[world.case.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert DJANGO_DEBUG_PAGE_MARK not in response.content


def test_a_server_error_with_debug_on_shows_the_service_problem_page(debug_on, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("agencies.views.render", broken)
    response = Client(raise_request_exception=False).get(reverse("accessibility"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "boom" not in html
    assert DJANGO_DEBUG_PAGE_MARK not in response.content


def test_debug_pages_only_when_asked_for(debug_on, db):
    debug_on.DEBUG_ERROR_PAGES = True
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert DJANGO_DEBUG_PAGE_MARK in response.content


def test_production_404_and_500_pages_are_govuk_style(db, settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    from django.template import loader

    html = loader.render_to_string("500.html")
    assert 'class="govuk-heading-l">Sorry, there is a problem with the service' in html
    assert "build/app.css" in html


def test_the_favicon_is_served(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("images/favicon.ico")
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in html
