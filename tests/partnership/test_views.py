"""The action-plan and profile pages: lists, history, forms that keep what was typed, conflicts, own-agency edits."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from partnership.models import ActionPlan, ActionPlanRow, PartnershipProfile, Rag

from .conftest import make_row, make_update

ROW_FORM = {
    "objective": "Every practitioner can use GCP2",
    "action": "Train 200 staff",
    "input": "Two trainers",
    "desired_outcome": "Neglect recognised earlier",
    "lead": "Head of Public Health Nursing",
    "timescale": "2026-09-30",
}


@pytest.fixture
def strategy(plans, client_for):
    return client_for(plans.strategy)


@pytest.fixture
def admin(plans, client_for):
    return client_for(plans.admin)


@pytest.fixture
def row(plans):
    row = make_row(plans.own, plans.strategy)
    make_update(row, "2025-26-Q3", Rag.RED, "No trainers yet")
    make_update(row, "2025-26-Q4", Rag.AMBER, "One trainer found")
    return row


def test_the_list_shows_each_plans_current_rag_counts(strategy, row, plans):
    html = strategy.get(reverse("partnership:plan_list")).content.decode()
    own = html[html.index(f'data-testid="plan-{plans.world.public_health.pk}"') :]
    own = own[: own.index("</tr>")]
    assert 'govuk-tag--yellow">1<' in own and "govuk-tag--red" not in own
    assert html.count("<h1") == 1


def test_a_plan_page_shows_every_row_with_its_whole_history(strategy, row, plans):
    html = strategy.get(reverse("partnership:plan_detail", kwargs={"plan_id": plans.own.pk})).content.decode()
    assert "One trainer found" in html and "No trainers yet" in html and "History (2 updates)" in html
    assert reverse("partnership:row_update", kwargs={"row_id": row.pk}) in html


def test_a_strategy_member_reads_another_agencys_plan_without_edit_links(strategy, plans):
    other_row = make_row(plans.other, plans.admin)
    make_update(other_row, "2025-26-Q4", Rag.GREEN)
    response = strategy.get(reverse("partnership:plan_detail", kwargs={"plan_id": plans.other.pk}))
    assert response.status_code == 200
    assert reverse("partnership:row_edit", kwargs={"row_id": other_row.pk}) not in response.content.decode()


def test_a_strategy_member_may_not_change_another_agencys_plan(strategy, plans):
    other_row = make_row(plans.other, plans.admin)
    before = AccessEvent.objects.filter(action=AuditAction.DENIED).count()
    assert strategy.get(reverse("partnership:row_new", kwargs={"plan_id": plans.other.pk})).status_code == 403
    response = strategy.post(
        reverse("partnership:row_update", kwargs={"row_id": other_row.pk}), {"quarter": "2025-26-Q4", "rag": "red", "progress": "x", "version": 1}
    )
    assert response.status_code == 403 and not other_row.updates.exists()
    assert AccessEvent.objects.filter(action=AuditAction.DENIED).count() - before == 2


def test_an_admin_changes_the_overarching_plan_and_a_strategy_member_may_not(strategy, admin, plans):
    url = reverse("partnership:row_new", kwargs={"plan_id": plans.overarching.pk})
    assert strategy.get(url).status_code == 403
    response = admin.post(url, {**ROW_FORM, "quarter": "2025-26-Q4", "rag": "green", "progress": "Agreed by the board"})
    assert response.status_code == 302 and plans.overarching.rows.count() == 1


def test_adding_a_row_with_missing_fields_keeps_what_was_typed(strategy, plans):
    response = strategy.post(
        reverse("partnership:row_new", kwargs={"plan_id": plans.own.pk}), {**ROW_FORM, "lead": "", "quarter": "2025-26-Q4", "rag": "", "progress": "Half way"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter who leads the action" in html and "Choose red, amber, green or complete" in html
    assert "Train 200 staff</textarea>" in html and "Half way</textarea>" in html
    assert not plans.own.rows.exists()


def test_a_rule_broken_in_the_service_comes_back_on_the_form(strategy, plans):
    # The form offers started quarters only; a forged future one is refused by the service's rule, text kept.
    response = strategy.post(
        reverse("partnership:row_new", kwargs={"plan_id": plans.own.pk}), {**ROW_FORM, "quarter": "2026-27-Q2", "rag": "red", "progress": "Ahead"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Choose one of the quarters listed" in html and "Ahead</textarea>" in html


def test_adding_a_row_makes_its_first_update_and_returns_to_the_plan(strategy, plans):
    response = strategy.post(
        reverse("partnership:row_new", kwargs={"plan_id": plans.own.pk}), {**ROW_FORM, "quarter": "2025-26-Q4", "rag": "amber", "progress": "Started"}
    )
    row = plans.own.rows.get()
    assert response.url.endswith(f"#row-{row.pk}")
    assert list(row.updates.values_list("quarter", "rag")) == [("2025-26-Q4", "amber")]


def test_a_quarterly_update_is_added_to_the_history(strategy, row):
    response = strategy.post(
        reverse("partnership:row_update", kwargs={"row_id": row.pk}),
        {"quarter": "2026-27-Q1", "rag": "green", "progress": "Both trainers in post", "version": row.version},
    )
    assert response.status_code == 302
    assert list(row.updates.values_list("rag", flat=True)) == ["green", "amber", "red"]


def test_an_update_without_progress_keeps_the_choices_made(strategy, row):
    response = strategy.post(
        reverse("partnership:row_update", kwargs={"row_id": row.pk}), {"quarter": "2026-27-Q1", "rag": "green", "progress": "", "version": row.version}
    )
    html = response.content.decode()
    assert "Enter the progress made" in html and 'value="green" checked' in html and 'value="2026-27-Q1" selected' in html
    assert row.updates.count() == 2


def test_two_people_editing_the_same_row_the_second_is_told_and_keeps_their_text(strategy, admin, row):
    url = reverse("partnership:row_edit", kwargs={"row_id": row.pk})
    seen = row.version
    assert admin.post(url, {**ROW_FORM, "action": "Train 250 staff", "version": seen}).status_code == 302
    response = strategy.post(url, {**ROW_FORM, "action": "Train 300 staff", "version": seen})
    html = response.content.decode()
    assert response.status_code == 200 and "after you opened it" in html
    assert "Train 300 staff</textarea>" in html  # their text, kept
    assert 'data-testid="row-now"' in html and "Train 250 staff" in html  # the row as it is now
    assert ActionPlanRow.objects.get(pk=row.pk).action == "Train 250 staff"
    # Saving again, having seen the other change, is deliberate and succeeds.
    assert f'name="version" value="{seen + 1}"' in html
    assert strategy.post(url, {**ROW_FORM, "action": "Train 300 staff", "version": seen + 1}).status_code == 302
    assert ActionPlanRow.objects.get(pk=row.pk).action == "Train 300 staff"


def test_a_quarterly_update_on_a_row_changed_meanwhile_is_refused(strategy, admin, row):
    url = reverse("partnership:row_update", kwargs={"row_id": row.pk})
    seen = row.version
    admin.post(url, {"quarter": "2026-27-Q1", "rag": "green", "progress": "Done", "version": seen})
    html = strategy.post(url, {"quarter": "2026-27-Q1", "rag": "red", "progress": "Stalled", "version": seen}).content.decode()
    assert "after you opened it" in html and "Stalled</textarea>" in html
    assert row.updates.count() == 3


def test_starting_a_plan_for_ones_own_agency(world, client_for):
    client = client_for(world.users["strategy"])
    response = client.post(reverse("partnership:plan_start"), {"agency": world.public_health.pk})
    plan = ActionPlan.objects.get(agency=world.public_health)
    assert response.url == reverse("partnership:plan_detail", kwargs={"plan_id": plan.pk})
    assert client.post(reverse("partnership:plan_start"), {"agency": world.police.pk}).status_code == 403
    assert client.post(reverse("partnership:plan_start"), {"agency": "police"}).status_code == 404


def test_the_nav_links_to_the_plans_for_strategy_members_only(world, client_for):
    link = reverse("partnership:plan_list")
    assert link in client_for(world.users["strategy"]).get(reverse("dashboard:index"), follow=True).content.decode()
    assert link not in client_for(world.users["lead_manager"]).get(reverse("home")).content.decode()


# --- The partnership profile ---------------------------------------------------------------------


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#1d70b8").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def test_an_admin_saves_the_name_population_and_logo_and_it_is_audited(admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="partnership_profile").count()
    response = admin.post(
        reverse("partnership:profile"),
        {
            "name": "Shire Safeguarding Children Partnership",
            "under_18_population": "98000",
            "version": "1",
            "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    profile = PartnershipProfile.objects.get()
    assert (profile.name, profile.under_18_population, profile.logo_type, bytes(profile.logo)) == (
        "Shire Safeguarding Children Partnership",
        98000,
        "image/png",
        PNG,
    )
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="partnership_profile").count() - before == 1


def test_a_logo_that_is_not_an_image_and_a_bad_population_are_both_reported_and_the_name_kept(admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin.post(
        reverse("partnership:profile"),
        {
            "name": "Shire SCP",
            "under_18_population": "98 thousand",
            "version": "1",
            "logo": SimpleUploadedFile("logo.png", b"GIF89a not really", content_type="image/png"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The logo must be a PNG, JPEG or SVG image." in html and "Enter the number of children as a whole number" in html
    assert 'value="Shire SCP"' in html and 'value="98 thousand"' in html
    assert not PartnershipProfile.objects.exists()


def test_a_logo_over_the_limit_comes_back_to_the_form_with_the_limit_named(admin, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PARTNERSHIP_LOGO_MAX_BYTES = 50
    response = admin.post(
        reverse("partnership:profile"),
        {
            "name": "Shire SCP",
            "under_18_population": "",
            "version": "1",
            "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert f"The logo must be 50 bytes or smaller; this file is {len(PNG)} bytes." in response.content.decode()
    assert not PartnershipProfile.objects.exists()


def test_other_roles_may_not_open_the_profile(strategy):
    assert strategy.get(reverse("partnership:profile")).status_code == 403


# --- On the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_page_shows_the_rag_table_and_the_red_rows(strategy, row, plans):
    # 2025-26-Q4 is the last complete quarter: the row was amber then (red in Q3).
    html = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": "2025-26-Q4"})).content.decode()
    tile = html[html.index('data-testid="tile-action_plan_rag_by_agency"') :]
    assert '<th scope="row" class="govuk-table__header">Public Health</th>' in tile
    assert "action-plan-red-rows" not in tile
    html = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": "2025-26-Q3"})).content.decode()
    tile = html[html.index('data-testid="tile-action_plan_rag_by_agency"') :]
    assert "Every practitioner can use GCP2" in tile and "No trainers yet" in tile


def test_the_measures_csv_has_a_line_per_plan_and_rag(strategy, row):
    body = strategy.get(reverse("dashboard:measures_csv", kwargs={"quarter": "2025-26-Q4"})).content.decode()
    lines = [line for line in body.splitlines() if line.startswith("2025-26-Q4,action_plan_rag_by_agency")]
    assert lines == [
        f'2025-26-Q4,action_plan_rag_by_agency,"Agency action plans, by RAG",Public Health,{rag},{n},,,,'
        for rag, n in [("red", 0), ("amber", 1), ("green", 0), ("complete", 0)]
    ]


def test_an_admin_removes_the_logo_and_the_choice_is_offered_only_when_there_is_one(admin):
    url = reverse("partnership:profile")
    assert 'name="remove_logo"' not in admin.get(url).content.decode()
    PartnershipProfile.objects.create(pk=1, logo=PNG, logo_type="image/png")
    assert 'name="remove_logo"' in admin.get(url).content.decode()
    assert admin.post(url, {"name": "", "under_18_population": "", "version": "1", "remove_logo": "on"}).status_code == 302
    assert PartnershipProfile.objects.get().logo_type == ""


def test_a_profile_saved_meanwhile_comes_back_with_the_message_and_the_text_kept(admin, plans):
    from partnership import services

    services.partnership_profile_update(actor=plans.admin, version=1, name="Saved first", under_18_population=None)
    html = admin.post(reverse("partnership:profile"), {"name": "Saved second", "under_18_population": "", "version": "1"}).content.decode()
    assert "after you opened it" in html and 'value="Saved second"' in html and 'name="version" value="2"' in html
    assert PartnershipProfile.objects.get().name == "Saved first"


def test_the_admins_menu_has_one_settings_item_and_the_page_leads_to_every_area(admin, strategy):
    """The service navigation fits on one row: the partnership admin's ten areas are one item, listed on the settings page."""
    from partnership.views import SETTINGS_AREAS

    home = admin.get("/").content.decode()
    assert (
        f'href="{reverse("partnership:settings")}"' in home
        and f'href="{reverse("agencies:user_list")}"' not in home.split('aria-label="Menu"')[1].split("</nav>")[0]
    )
    page = admin.get(reverse("partnership:settings"))
    assert page.status_code == 200
    body = page.content.decode()
    for name, title, _ in SETTINGS_AREAS:
        assert f'href="{reverse(name)}">{title}</a>' in body
        assert admin.get(reverse(name)).status_code == 200, name
    assert "Partnership settings" not in strategy.get("/").content.decode()
