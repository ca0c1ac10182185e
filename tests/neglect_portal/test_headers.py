from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(db, client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(world, client_for):
    response = client_for(world.users["lead_practitioner"]).get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
