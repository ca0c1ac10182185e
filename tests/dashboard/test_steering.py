"""The strategy group steers its dashboard: measures shown, targets (who, when, why), narrative and sign-off, all audited."""

import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AccessEvent, AuditAction
from dashboard import services
from dashboard.exports import quarter_pdf
from dashboard.models import DashboardSnapshot, MeasureSet, MeasureTarget, QuarterReport, SnapshotStatus
from dashboard.selectors import measure_by_key, measures


def shown():
    """The dashboard's measures with the strategy group's targets."""
    return {m.key: m for m in measures()}


from neglect_portal.concurrency import EditConflict

Q4 = "2025-26-Q4"


@pytest.fixture(autouse=True)
def april_2026():
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        yield


def _updates(object_type):
    return list(AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type=object_type).values_list("object_id", "detail"))


# --- Measure sets -----------------------------------------------------------------------------------


def test_the_three_strategies_ship_as_measure_sets_naming_catalogue_measures(db):
    sets = {s.key: s for s in MeasureSet.objects.prefetch_related("items")}
    assert set(sets) >= {"oxfordshire-2020-23", "buckinghamshire-2017", "hounslow-2020-22"}
    catalogue = set(measure_by_key())
    for key in ("oxfordshire-2020-23", "buckinghamshire-2017", "hounslow-2020-22"):
        items = list(sets[key].items.all())
        assert items and all(item.source_line for item in items)
        # Every item is a catalogue measure, but for the required-tool measure that exists only where a tool is required.
        assert {item.measure_key for item in items} - catalogue <= {"required_tool_specialist_pct"}


def test_the_dashboard_shows_the_chosen_set_and_the_measures_added_to_it(world):
    assert len(measures()) == len(measure_by_key())  # no set chosen: the whole catalogue
    services.setup_save(
        actor=world.users["strategy"],
        version=1,
        measure_set_key="buckinghamshire-2017",
        added_measures=["neglect_referrals"],
        board="Safeguarding Children Partnership Executive",
    )
    keys = [m.key for m in measures()]
    assert "cp_neglect_repeat_after_neglect_pct" in keys and "neglect_referrals" in keys and "cp_neglect_repeat_pct" not in keys
    assert _updates("dashboard_setup") == [("1", "set buckinghamshire-2017; added neglect_referrals")]


def test_a_stale_setup_is_refused_and_an_unknown_measure_named(world):
    services.setup_save(actor=world.users["strategy"], version=1, measure_set_key="", added_measures=[], board="")
    services.setup_save(actor=world.users["admin"], version=1, measure_set_key="hounslow-2020-22", added_measures=[], board="")
    with pytest.raises(EditConflict):
        services.setup_save(actor=world.users["strategy"], version=1, measure_set_key="", added_measures=[], board="")
    with pytest.raises(ValidationError, match="not one"):
        services.setup_save(actor=world.users["strategy"], version=2, measure_set_key="", added_measures=["made_up"], board="")


# --- Targets ------------------------------------------------------------------------------------------


def test_no_measure_has_a_built_in_target_or_a_rating_without_one(db):
    assert all(m.target is None for m in shown().values())
    assert shown()["cp_neglect_12m_plus_pct"].rag(42.0) is None


def test_a_target_is_set_with_who_when_and_why_and_rates_the_measure(world):
    services.target_set(actor=world.users["strategy"], measure_key="cp_neglect_12m_plus_pct", value=10, reason="The national rate is 10%.")
    measure = shown()["cp_neglect_12m_plus_pct"]
    assert (measure.target, measure.rag(20.0), measure.rag(10.5), measure.rag(9)) == (10, "red", "amber", "green")
    assert measure.target_set_by == "Set by strategy on 10 April 2026: The national rate is 10%."
    assert _updates("dashboard_target") == [("cp_neglect_12m_plus_pct", "target 10")]


def test_a_removed_target_leaves_the_measure_unrated_and_its_history_kept(world):
    strategy = world.users["strategy"]
    services.target_set(actor=strategy, measure_key="cp_neglect_repeat_pct", value=15, reason="National")
    services.target_set(actor=strategy, measure_key="cp_neglect_repeat_pct", value=None, reason="The board asked for none this year")
    assert shown()["cp_neglect_repeat_pct"].target is None
    assert MeasureTarget.objects.filter(measure_key="cp_neglect_repeat_pct").count() == 2


@pytest.mark.parametrize(
    ("key", "value", "reason", "error"),
    [
        ("cp_children", 300, "x", "is a volume"),  # neither more nor fewer is better
        ("cp_neglect_repeat_pct", 120, "x", "from 0 to 100"),
        ("cp_neglect_repeat_pct", 15, " ", "Say why"),
        ("made_up", 15, "x", "from the catalogue"),
    ],
)
def test_a_target_needs_a_direction_a_sensible_value_and_a_reason(world, key, value, reason, error):
    with pytest.raises(ValidationError, match=error):
        services.target_set(actor=world.users["strategy"], measure_key=key, value=value, reason=reason)


def test_only_the_strategy_group_sets_targets_and_a_refusal_is_audited(world):
    from agencies.access import Refused

    with pytest.raises(Refused):
        services.target_set(actor=world.users["lead_manager"], measure_key="cp_neglect_repeat_pct", value=15, reason="x")
    assert AccessEvent.objects.filter(action=AuditAction.DENIED, user_id=world.users["lead_manager"].pk).count() == 1


def test_the_targets_page_and_form(county, client_for):
    strategy = client_for(county.world.users["strategy"])
    page = strategy.get(reverse("dashboard:targets")).content.decode()
    assert "No target set" in page and "A volume: no target" in page
    response = strategy.post(reverse("dashboard:target_edit", kwargs={"measure_key": "cp_neglect_12m_plus_pct"}), {"value": "", "reason": ""})
    assert response.status_code == 200 and "Say why the strategy group set this target" in response.content.decode()
    response = strategy.post(reverse("dashboard:target_edit", kwargs={"measure_key": "cp_neglect_12m_plus_pct"}), {"value": "10", "reason": "National rate"})
    assert response.status_code == 302
    tile = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": Q4})).content.decode()
    assert "Set by strategy on 10 April 2026: National rate" in tile
    assert strategy.get(reverse("dashboard:target_edit", kwargs={"measure_key": "nope"})).status_code == 404


# --- Narrative and sign-off ---------------------------------------------------------------------------


def test_the_narrative_is_saved_per_theme_audited_and_conflicts_are_caught(world):
    strategy, admin = world.users["strategy"], world.users["admin"]
    report = services.report_save(actor=strategy, quarter=Q4, version=1, narratives={"protection": "Fewer plans.", "drift": ""}, escalations="GP attendance")
    assert (report.narratives, report.escalations, report.version) == ({"protection": "Fewer plans."}, "GP attendance", 1)
    services.report_save(actor=admin, quarter=Q4, version=1, narratives={"protection": "Fewer plans, more early help."}, escalations="")
    with pytest.raises(EditConflict):
        services.report_save(actor=strategy, quarter=Q4, version=1, narratives={}, escalations="")
    with pytest.raises(ValidationError, match="Not themes"):
        services.report_save(actor=strategy, quarter=Q4, version=2, narratives={"weather": "x"}, escalations="")
    assert _updates("dashboard_report") == [(Q4, "narrative and escalations")] * 2


def test_signing_off_names_the_person_locks_the_words_and_makes_the_signed_pdf(county, django_capture_on_commit_callbacks):
    strategy = county.world.users["strategy"]
    services.report_save(
        actor=strategy, quarter=Q4, version=1, narratives={"protection": "Plans for neglect held steady."}, escalations="GP attendance at conferences."
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.quarter_sign_off(actor=strategy, quarter=Q4, version=1, name="Grace Adeyemi", position="Chair, Neglect Strategy Group")
    assert (report.signed_off_name, report.signed_off_by, report.is_signed_off) == ("Grace Adeyemi", strategy, True)
    snapshot = DashboardSnapshot.objects.get(quarter=Q4)
    assert (snapshot.status, snapshot.requested_by) == (SnapshotStatus.DONE, strategy)
    with pytest.raises(ValidationError, match="signed off"):
        services.report_save(actor=strategy, quarter=Q4, version=report.version, narratives={}, escalations="")
    with pytest.raises(ValidationError, match="already signed off"):
        services.quarter_sign_off(actor=county.world.users["admin"], quarter=Q4, version=report.version, name="Alex", position="")
    assert (Q4, "signed off by Grace Adeyemi") in _updates("dashboard_report")
    assert not AccessEvent.objects.filter(object_type="dashboard_snapshot").exists()  # one action, one row
    text = _pdf_text(bytes(snapshot.pdf))
    for words in ("Signed off by Grace Adeyemi, Chair, Neglect Strategy Group", "Plans for neglect held steady.", "GP attendance at conferences."):
        assert words in text


def test_a_quarter_still_running_cannot_be_signed_off(world):
    with pytest.raises(ValidationError, match="can be signed off from the day after"):
        services.quarter_sign_off(actor=world.users["strategy"], quarter="2026-27-Q1", version=1, name="A", position="")


def test_the_job_of_a_signer_who_left_the_strategy_group_fails(county, django_capture_on_commit_callbacks):
    strategy = county.world.users["strategy"]
    with django_capture_on_commit_callbacks(execute=False):
        services.quarter_sign_off(actor=strategy, quarter=Q4, version=1, name="Grace", position="")
    strategy.membership.role = "practitioner"
    strategy.membership.save()
    from dashboard.tasks import dashboard_snapshot_compute

    assert dashboard_snapshot_compute.delay(Q4).get() == "failed"
    assert "no longer in the strategy group" in DashboardSnapshot.objects.get(quarter=Q4).failure_reason


def test_the_narrative_page_saves_and_signs_off(county, client_for, django_capture_on_commit_callbacks):
    strategy = client_for(county.world.users["strategy"])
    url = reverse("dashboard:report", kwargs={"quarter": Q4})
    page = strategy.get(url).content.decode()
    assert page.count("<h1") == 1 and "Sign the quarter off" in page
    assert strategy.post(url, {"version": "1", "narrative_protection": "Steady.", "escalations": ""}).status_code == 302
    missing = strategy.post(reverse("dashboard:sign_off", kwargs={"quarter": Q4}), {"version": "1", "name": "", "position": ""})
    assert missing.status_code == 200 and "Enter the name of the person signing the quarter off" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        done = strategy.post(reverse("dashboard:sign_off", kwargs={"quarter": Q4}), {"version": "1", "name": "Grace", "position": "Chair", "confirm": "on"})
    assert done.status_code == 302 and QuarterReport.objects.get(quarter=Q4).signed_off_name == "Grace"
    assert "Signed off" in strategy.get(url).content.decode()


def test_the_api_writes_the_narrative_and_signs_off(county):
    client = APIClient()
    client.force_authenticate(county.world.users["admin"])
    body = client.put(
        f"/api/v1/dashboard/quarters/{Q4}/report/", {"version": 1, "narratives": {"drift": "Long plans fell."}, "escalations": "x"}, format="json"
    )
    assert (body.status_code, body.json()["narratives"]) == (200, {"drift": "Long plans fell."})
    stale = client.put(f"/api/v1/dashboard/quarters/{Q4}/report/", {"version": 7, "narratives": {}}, format="json")
    assert stale.status_code == 409
    unknown = client.put(f"/api/v1/dashboard/quarters/{Q4}/report/", {"version": 1, "signed_off_name": "x"}, format="json")
    assert unknown.status_code == 400
    signed = client.post(
        f"/api/v1/dashboard/quarters/{Q4}/sign-off/", {"version": 1, "name": "Alex Reid", "position": "Partnership business manager"}, format="json"
    )
    assert (signed.status_code, signed.json()["signed_off"]["name"]) == (202, "Alex Reid")
    targets = client.post("/api/v1/dashboard/targets/", {"measure": "cp_neglect_repeat_pct", "value": 15, "reason": "National"}, format="json")
    assert targets.status_code == 201 and client.get("/api/v1/dashboard/targets/").json()["targets"][0]["value"] == 15


# --- The PDF: the partnership, its board, the targets with who and why, no setting's name -------------


def _pdf_text(pdf, tmp_path=None):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return " ".join(subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout.split())


def test_the_pdf_names_the_board_prints_targets_with_their_reasons_and_no_setting(county):
    from django.template.loader import render_to_string

    from dashboard.pdf import report_context
    from dashboard.selectors import compute_measures, measures_history
    from neglect_portal.quarters import parse_quarter

    quarter = parse_quarter(Q4)
    services.setup_save(
        actor=county.world.users["admin"], version=1, measure_set_key="", added_measures=[], board="Safeguarding Children Partnership Executive"
    )
    services.target_set(actor=county.world.users["strategy"], measure_key="cp_neglect_12m_plus_pct", value=10, reason="The aim the board agreed for 2026.")
    text = _pdf_text(quarter_pdf(quarter=quarter, for_publication=False))
    assert "Report to the Safeguarding Children Partnership Executive" in text
    assert "Draft: this quarter has not been signed off." in text
    assert "PARTNERSHIP_" not in text and "DASHBOARD_" not in text
    # The definitions table's columns interleave in extracted text: its cells are read from the HTML the PDF is laid out from.
    values = compute_measures(quarter=quarter)
    html = render_to_string("dashboard/pdf.html", report_context(quarter=quarter, values=values, history=measures_history(quarter=quarter, current=values)))
    assert "Set by strategy on 10 April 2026: The aim the board agreed for 2026." in html
    assert "No target set" in html
    assert "Oxfordshire neglect strategy 2020-23: Drift: child protection plans for neglect lasting 12 months or more." in html
    assert "Buckinghamshire neglect strategy 2017" in html


def test_the_docs_list_every_measure_with_its_definition_and_each_strategy_set():
    import json
    from pathlib import Path

    from dashboard.measures import CATALOGUE

    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "dashboard.md").read_text()
    for measure in CATALOGUE:
        assert f"`{measure.key}`" in text and measure.definition.format(long_cp_months=12, long_cin_months=6) in text, measure.key
    for measure_set in json.loads((root / "dashboard" / "strategy_sets.json").read_text())["sets"]:
        assert measure_set["name"] in text and measure_set["source"] in text
        assert all(line in text for _, line in measure_set["items"])
