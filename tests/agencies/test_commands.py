import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agencies.models import Agency


def _run(*args, stdin=""):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_add_agency_is_idempotent(db):
    assert "Created" in _run("add_agency", "--name", "County Police", "--kind", "police")
    assert "Already present" in _run("add_agency", "--name", "County Police", "--kind", "police")
    assert Agency.objects.filter(name="County Police").count() == 1


def test_add_agency_names_the_allowed_kinds(db):
    with pytest.raises(CommandError, match="Unknown agency kind 'castle'. Choose one of: childrens_social_care"):
        _run("add_agency", "--name", "X", "--kind", "castle")


def test_add_user_reads_the_password_from_stdin_and_is_idempotent(db):
    _run("add_agency", "--name", "County Police", "--kind", "police")
    args = ("add_user", "--username", "pc.one", "--email", "pc@example.org", "--agency", "County Police", "--role", "practitioner", "--password-stdin")
    assert "Created" in _run(*args, stdin="long-Enough-pass-42\n")
    assert "Already present" in _run(*args, stdin="long-Enough-pass-42\n")
    user = get_user_model().objects.get(username="pc.one")
    assert user.check_password("long-Enough-pass-42") and user.membership.role == "practitioner"


@pytest.mark.parametrize(
    ("agency", "role", "message"),
    [("County Police", "chief", "Unknown role 'chief'"), ("Nowhere", "practitioner", "No agency named 'Nowhere'")],
)
def test_add_user_clear_errors(db, agency, role, message):
    _run("add_agency", "--name", "County Police", "--kind", "police")
    with pytest.raises(CommandError, match=message):
        _run("add_user", "--username", "u", "--email", "u@example.org", "--agency", agency, "--role", role, "--password-stdin", stdin="long-Enough-pass-42\n")


def test_add_user_refuses_a_weak_password(db):
    _run("add_agency", "--name", "County Police", "--kind", "police")
    with pytest.raises(CommandError, match="Password rejected"):
        _run(
            "add_user",
            "--username",
            "u",
            "--email",
            "u@example.org",
            "--agency",
            "County Police",
            "--role",
            "practitioner",
            "--password-stdin",
            stdin="short\n",
        )


def test_seed_demo_creates_one_user_per_role_and_can_run_twice(db, settings):
    settings.DEBUG = True
    _run("seed_demo")
    agencies = Agency.objects.count()
    output = _run("seed_demo")
    roles = set(get_user_model().objects.values_list("membership__role", flat=True))
    assert roles == {"practitioner", "manager", "dsl", "strategy_member", "partnership_admin", "auditor"}
    assert "password for every demo user" in output
    assert Agency.objects.count() == agencies, "a second run adds no agency"
    assert Agency.objects.filter(name__in=["Children's Social Care", "Riverside Secondary School", "Family Support Network"]).count() == 3
    # The demo strategy member (Public Health) finds their agency's plan and the overarching plan, once.
    from partnership.models import ActionPlan, ActionPlanRow

    assert sorted(str(plan.agency) if plan.agency else "overarching" for plan in ActionPlan.objects.all()) == ["Public Health", "overarching"]
    assert ActionPlanRow.objects.count() == 3


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _run("seed_demo")
