"""Prepare the county database for the load test (bench/load.sh): bench users, their signed-in sessions, the pages they read.

Users sign in with a password and an authenticator code (TOTP). A load test that typed codes
would measure the password hasher, not the pages, so this writes, for each bench user, a session
exactly as the sign-in and code pages leave it (Django's session keys, and django-otp's device key
for a confirmed authenticator), as tests/conftest.py's `sign_in_verified` does. Nothing in the
product changes: no endpoint, setting or flag; this module runs only from bench/load.sh against
the benchmark database, whose sessions only the local gunicorn started there reads.

Writes var/load/fixtures.json: per role, the session cookies and the case and child ids each user
may read, a concern's form fields (checked by posting one through Django's test client), and the
dashboard quarter whose PDF the strategy group downloads (its snapshot and those of the seven quarters
of its trend computed here, as the quarterly job does, so the stored PDF is what is downloaded and the
page reads its trend; `python -m bench.load.setup forget` removes those eight quarters' snapshots).

It also runs what the nightly jobs would have run on a live database, so that the run measures a day's
use rather than a first day: the drift sweep (stored flags, partner agencies' views) and the matching
of the theme window's chronology entries against the theme words.
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.access import cases_visible_to  # noqa: E402
from agencies.models import Agency, AgencyKind, Role  # noqa: E402
from bench.pages import MARK, bench_user  # noqa: E402
from cases.models import CaseStatus  # noqa: E402
from sharing.models import FamilyInformed, LawfulBasis, SharingCondition  # noqa: E402

OUT = Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json"))
USERS_PER_ROLE = int(os.environ.get("LOAD_USERS_PER_ROLE", "8"))
CASES_PER_USER = 60

# (role in the load test, agency kind, membership role)
ROLES = [
    ("practitioner", AgencyKind.CHILDRENS_SOCIAL_CARE, Role.PRACTITIONER),
    ("practitioner", AgencyKind.COMMUNITY_HEALTH, Role.PRACTITIONER),
    ("practitioner", AgencyKind.SCHOOL, Role.DSL),
    ("practitioner", AgencyKind.POLICE, Role.PRACTITIONER),
    ("manager", AgencyKind.CHILDRENS_SOCIAL_CARE, Role.MANAGER),
    ("manager", AgencyKind.COMMUNITY_HEALTH, Role.MANAGER),
    ("strategy", AgencyKind.PUBLIC_HEALTH, Role.STRATEGY_MEMBER),
]


def verified_session(user, device):
    """A session as after the password and code pages: signed in, second factor passed, just now."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["signed_in_at"] = timezone.now().timestamp()
    session.set_expiry(settings.SESSION_COOKIE_AGE)
    session.create()
    return session.session_key


def concern_fields():
    """A concern's form fields, neutral wording (no wording hints), with the information-sharing decision."""
    return {
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "neglect_types": "physical",
        "description": "Arrived at school in the same clothes as last week and asked for breakfast.",
        "impact_on_child": "Tired and unable to concentrate in the morning.",
        "action_taken": "Gave breakfast and spoke with the class teacher.",
        "suggested_threshold": "",
        "sharing_reason": "The team needs to know to keep the child safe",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "sharing_condition": SharingCondition.SAFEGUARDING,
        "family_informed": FamilyInformed.YES,
    }


def check_concern_post(user, device, case_id):
    """Post one concern through the test client: the fields must be accepted (a redirect), or the load test would measure errors."""
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.post(reverse("cases:case_concern_new", args=[case_id]), concern_fields())
    if response.status_code != 302:
        errors = response.context["form"].errors if response.context and "form" in response.context else response.status_code
        sys.exit(f"The load test's concern was refused: {errors}")


def bench_quarters():
    """The latest complete quarter and the seven before it: the dashboard page's quarter and its trend."""
    from neglect_portal.quarters import last_complete_quarter

    return last_complete_quarter(timezone.localdate()).last(8)


def dashboard_quarters():
    """The latest complete quarter's name, after storing its snapshot (and PDF) and those of its trend, as the quarterly job does.

    In use the quarterly job has stored every past quarter, so the dashboard page reads its 8-quarter
    trend from snapshots; without them each page view would compute seven quarters. A snapshot already
    done (an earlier setup whose run stopped before `forget`) is used as it is.
    """
    from dashboard.models import DashboardSnapshot, SnapshotStatus
    from dashboard.services import snapshot_compute

    quarters = bench_quarters()
    for quarter in quarters:
        if not DashboardSnapshot.objects.filter(quarter=quarter.name, status=SnapshotStatus.DONE).exists():
            DashboardSnapshot.objects.filter(quarter=quarter.name).delete()
            DashboardSnapshot.objects.create(quarter=quarter.name, status=SnapshotStatus.RUNNING, claimed_at=timezone.now())
            snapshot_compute(quarter_name=quarter.name)
    return quarters[-1].name  # oldest first


def forget():
    """Remove the snapshots of the bench quarters, whoever stored them (bench/load.sh calls it when the run ends).

    On the benchmark database only these setups store snapshots (bench/dashboard.py removes its own and
    refuses to run beside any), so this also clears what a run stopped before its end left behind.
    """
    from dashboard.models import DashboardSnapshot

    DashboardSnapshot.objects.filter(quarter__in=[quarter.name for quarter in bench_quarters()]).delete()


def vacuum_what_was_written():
    """VACUUM (ANALYZE) the tables the sweep and the sessions above wrote in bulk, as autovacuum does after a night's sweep.

    Without it the planner reads their statistics from before the sweep, and counts cannot be taken
    from an index alone (no visibility map), which no live database that autovacuum tends looks like.
    """
    from django.contrib.sessions.models import Session
    from django.db import connection

    from chronologies.models import EntryThemes
    from drift.models import DriftCaseState, DriftFlag, DriftViewFlags

    with connection.cursor() as cursor:
        for model in (DriftViewFlags, DriftFlag, DriftCaseState, EntryThemes, Session):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def main():
    fixtures = {"practitioner": [], "manager": [], "strategy": [], "concern": concern_fields()}
    checked = False
    for role_name, kind, role in ROLES:
        agency = Agency.objects.filter(kind=kind).order_by("pk").first()
        for number in range(USERS_PER_ROLE):
            user, device = bench_user(f"bench.load.{kind}.{role}.{number}", agency, role)
            # Not the pages benchmark's own children (bench/pages.py): a concern recorded here would change what it compares.
            open_cases = cases_visible_to(user).filter(status=CaseStatus.OPEN).exclude(child__given_name=MARK)
            cases = list(open_cases.order_by("?").values_list("pk", "child_id")[:CASES_PER_USER])
            if role_name == "practitioner" and not checked and cases:
                check_concern_post(user, device, cases[0][0])
                checked = True
            fixtures[role_name].append(
                {
                    "username": user.username,
                    "session": verified_session(user, device),
                    "cases": [case_id for case_id, _ in cases],
                    "children": [child_id for _, child_id in cases],
                }
            )
    fixtures["quarter"] = dashboard_quarters()

    from cases.models import Case
    from drift.refresh import drift_flags_forget_closed, drift_flags_refresh, fresh  # the nightly sweep, if it has not run today

    drift_flags_forget_closed()
    stale = list(Case.objects.filter(status=CaseStatus.OPEN).exclude(fresh(timezone.localdate())).values_list("pk", flat=True))
    if stale:
        print(f"Refreshing the stored drift flags of {len(stale):,} open cases (the nightly sweep)...", flush=True)
        drift_flags_refresh(case_ids=stale)
    # The sweep's tasks also warm each partner agency's view of every open case (drift/own_view.py): do the same for
    # the cases with no view stored today, so partners read what they would after a night's sweep.
    from drift.own_view import own_views_warm
    from drift.refresh import batches

    today = timezone.localdate()
    cold = list(Case.objects.filter(status=CaseStatus.OPEN).exclude(drift_views__computed_for=today).values_list("pk", flat=True))
    if cold:
        print(f"Warming partner agencies' views of {len(cold):,} open cases (the nightly sweep)...", flush=True)
        for chunk in batches(cold):
            own_views_warm(case_ids=chunk, today=today)
    # And the nightly matching of the theme window's entries against the theme words (chronologies/tasks.py): without it,
    # each chronology's first reader in the run would match its whole window and queue the answers to be stored.
    from chronologies.pattern_aggregates import entry_themes_match_window

    started = time.perf_counter()
    matched = entry_themes_match_window(today=today)
    if matched:
        print(f"Matched {matched:,} chronology entries against the theme words (the nightly job) in {time.perf_counter() - started:.0f} s", flush=True)
    vacuum_what_was_written()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixtures))
    print(
        f"Load-test fixtures: {sum(len(fixtures[r]) for r in ('practitioner', 'manager', 'strategy'))} signed-in users, quarter {fixtures['quarter']} -> {OUT}"
    )


if __name__ == "__main__":
    forget() if sys.argv[1:] == ["forget"] else main()
