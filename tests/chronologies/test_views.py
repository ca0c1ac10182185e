"""Chronology pages through HTTP: the merged view, filters, pagination, forms, import, audit rows, query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from chronologies.models import ChronologyEntry, EntryKind, Significance
from chronologies.services import chronology_entry_amend
from households.services import adult_add
from tests.factories import make_case, make_child, make_concern

from .builders import bulk_entries, make_entry

pytestmark = pytest.mark.django_db

POLICE_SECRET = "Intelligence: an adult in the household is under investigation"


def chronology_url(child, **query):
    url = reverse("chronologies:child_chronology", args=[child.pk])
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


@pytest.fixture
def police_secret(world):
    return make_entry(
        world.case.child,
        world.users["granted"],
        kind=EntryKind.POLICE_CALL_OUT,
        summary=POLICE_SECRET,
        impact_on_child="Not known yet",
        significance=Significance.CRITICAL,
        restricted=True,
    )


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The merged view ------------------------------------------------------------------------------


def test_each_entry_shows_its_impact_first_and_its_agency_and_author(world, client_for):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Came in with no coat.", impact_on_child="Cold all morning.")
    page = page_of(client_for(world.users["lead_practitioner"]), chronology_url(world.case.child))
    assert page.index("Cold all morning.") < page.index("Came in with no coat.")
    assert "Riverside School · partner_practitioner" in page


def test_a_restricted_police_entry_is_absent_for_the_school_and_shown_to_those_named(world, client_for, police_secret):
    assert POLICE_SECRET not in page_of(client_for(world.users["partner_practitioner"]), chronology_url(world.case.child))
    for kind in ("granted", "csc_practitioner"):
        assert POLICE_SECRET in page_of(client_for(world.users[kind]), chronology_url(world.case.child)), kind


def test_significant_and_critical_entries_stand_out(world, client_for, police_secret):
    make_concern(world.case, world.users["lead_practitioner"])
    page = page_of(client_for(world.users["csc_practitioner"]), chronology_url(world.case.child))
    assert f'app-flag--red" data-testid="entry-{police_secret.pk}"' in page
    assert '<strong class="govuk-tag govuk-tag--red">Critical</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Significant</strong>' in page


def test_patterns_are_shown_at_the_top(world, client_for):
    for kind in ("lead_practitioner", "lead_practitioner", "partner_practitioner"):
        make_concern(world.case, world.users[kind], observed_on=date(2026, 10, 1))
    page = page_of(client_for(world.users["lead_practitioner"]), chronology_url(world.case.child))
    assert page.index('data-testid="pattern-cumulative_concerns"') < page.index('<h2 class="govuk-heading-m">Entries</h2>')
    pattern_url = reverse("chronologies:child_pattern", args=[world.case.child.pk, "cumulative_concerns"])
    assert f'href="{pattern_url}">See the 3 entries behind “cumulative concerns”</a>' in page


def test_a_patterns_page_lists_the_entries_behind_it_that_the_reader_may_see(world, client_for, police_secret):
    first, second = (
        make_concern(world.case, world.users[kind], observed_on=date(2026, 10, day), description=f"{words}: no breakfast again.")
        for day, kind, words in ((1, "lead_practitioner", "First worry"), (2, "partner_practitioner", "Second worry"))
    )
    url = reverse("chronologies:child_pattern", args=[world.case.child.pk, "cumulative_concerns"])
    # Social care sees the restricted police entry (critical, so it counts) as well as both concerns: three entries.
    page = page_of(client_for(world.users["csc_practitioner"]), url)
    assert '<h1 class="govuk-heading-l">Cumulative concerns</h1>' in page
    assert "The 3 entries behind this pattern that you can see, oldest first." in page
    assert page.index("First worry") < page.index("Second worry")
    assert POLICE_SECRET[:30] in page
    # The school may not read the police entry: two entries from two agencies, no pattern for it, and nothing leaks.
    school = page_of(client_for(world.users["partner_practitioner"]), url)
    assert "No longer a pattern" in school and POLICE_SECRET[:30] not in school


def test_a_family_patterns_page_names_each_entrys_child(world, client_for):
    for kind in ("lead_practitioner", "lead_practitioner", "partner_practitioner"):
        make_concern(world.case, world.users[kind], observed_on=date(2026, 10, 1))
    url = reverse("chronologies:family_pattern", args=[world.case.child.family_id, "cumulative_concerns"])
    page = page_of(client_for(world.users["csc_practitioner"]), url)
    assert page.count(f"), {world.case.child}: ") == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "school_absence"}, ["Absent all week"]),
        ({"significance": "significant"}, ["Hungry again"]),
        ({"neglect_type": "nutritional"}, ["Hungry again"]),
        ({"date_from": "2026-10-01", "date_to": "2026-10-31"}, ["Absent all week"]),
        ({"order": "oldest"}, ["Hungry again", "Absent all week", "Visit"]),
        ({}, ["Visit", "Absent all week", "Hungry again"]),
    ],
)
def test_filters_and_order(world, client_for, query, expected):
    make_concern(world.case, world.users["lead_practitioner"], observed_on=date(2026, 9, 1), neglect_types=("nutritional",), description="Hungry again")
    make_entry(world.case.child, world.users["partner_practitioner"], kind=EntryKind.SCHOOL_ABSENCE, occurred_on=date(2026, 10, 5), summary="Absent all week")
    make_entry(world.case.child, world.users["partner_practitioner"], occurred_on=date(2026, 11, 5), summary="Visit")
    page = page_of(client_for(world.users["lead_practitioner"]), chronology_url(world.case.child, **query))
    shown = {summary: page.find(f'<dd class="govuk-summary-list__value">{summary}') for summary in ("Hungry again", "Absent all week", "Visit")}
    assert sorted((summary for summary, at in shown.items() if at >= 0), key=shown.get) == expected


def test_the_agency_filter_offers_the_agencies_that_recorded_entries(world, client_for):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="School visit", impact_on_child="Settled.")
    make_entry(world.case.child, world.users["lead_practitioner"], summary="Health visit", impact_on_child="Settled.")
    client = client_for(world.users["csc_practitioner"])
    page = page_of(client, chronology_url(world.case.child))
    assert f'<option value="{world.school.pk}">Riverside School</option>' in page and "County Police</option>" not in page
    filtered = page_of(client, chronology_url(world.case.child, agency=world.school.pk))
    assert "School visit" in filtered and "Health visit" not in filtered
    assert "filtered by Agency: Riverside School" in filtered


def test_a_mistyped_filter_says_what_to_fix_and_keeps_what_was_typed(world, client_for):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="School visit")
    page = page_of(client_for(world.users["csc_practitioner"]), chronology_url(world.case.child, date_from="2026-11-10", date_to="2026-11-01"))
    assert '<a href="#id_date_to">The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date</a>' in page
    assert 'name="date_to_day" type="text" inputmode="numeric" value="1"' in page and '<details class="govuk-details" open>' in page


def test_an_amended_entry_shows_once_with_what_it_said_before(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"], summary="Visited on Monday")
    chronology_entry_amend(
        actor=world.users["partner_practitioner"],
        entry=entry,
        reason="It was Tuesday",
        occurred_on=date(2026, 10, 2),
        kind=EntryKind.HOME_VISIT,
        summary="Visited on Tuesday",
        impact_on_child="Went to bed hungry.",
    )
    page = page_of(client_for(world.users["lead_practitioner"]), chronology_url(world.case.child))
    assert "Showing 1 to 1 of 1 entry" in page
    assert page.index("Visited on Tuesday") < page.index("Show what it said before (1 earlier version)") < page.index("What happened: Visited on Monday")
    assert "It was Tuesday" in page


def test_fifty_entries_a_page_with_govuk_pagination(world, client_for):
    bulk_entries(world.case.child, world.school, 120)
    page = page_of(client_for(world.users["lead_practitioner"]), chronology_url(world.case.child, kind="home_visit", page=2))
    assert "Showing 51 to 100 of 120 entries" in page
    assert '<a class="govuk-link govuk-pagination__link" href="?kind=home_visit&amp;page=3" rel="next">' in page
    assert 'aria-label="Page 2" aria-current="page"' in page


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_number_of_entries(world, client_for, police_secret):
    """10 entries or 5,000: the same queries (with an amended entry and a shared restricted one on the page)."""
    child = world.case.child
    entry = make_entry(child, world.users["granted"], restricted=True, shared_with=[world.health], summary="Shared")
    chronology_entry_amend(
        actor=world.users["granted"],
        entry=entry,
        reason="Detail",
        occurred_on=date(2026, 11, 20),
        kind=EntryKind.HOME_VISIT,
        summary="Shared, corrected",
        impact_on_child="Went to bed hungry.",
    )
    bulk_entries(child, world.school, 8, significance=Significance.SIGNIFICANT)
    client = client_for(world.users["csc_practitioner"])
    few = queries_for(client, chronology_url(child))
    bulk_entries(child, world.school, 4_990, significance=Significance.SIGNIFICANT)
    assert ChronologyEntry.objects.filter(superseded_by__isnull=True).count() == 5_000
    many = queries_for(client, chronology_url(child))
    assert many == few


def test_a_restricted_entry_names_who_may_see_it(world, client_for):
    make_entry(world.case.child, world.users["granted"], restricted=True, shared_with=[world.school, world.health], summary="Shared")
    page = page_of(client_for(world.users["csc_practitioner"]), chronology_url(world.case.child))
    assert "County Police, children's social care, Community Health Trust, Riverside School" in page


def test_sharing_is_read_in_one_query_and_only_when_a_restricted_entry_is_shown(world, client_for):
    child = world.case.child
    client = client_for(world.users["csc_practitioner"])
    bulk_entries(child, world.school, 5)
    open_only = queries_for(client, chronology_url(child))
    for agency in (world.school, world.health, world.police):
        make_entry(child, world.users["granted"], restricted=True, shared_with=[agency], summary=f"Shared with {agency}")
    assert queries_for(client, chronology_url(child)) == open_only + 1


def test_reading_a_chronology_writes_exactly_one_audit_row(world, client_for):
    make_entry(world.case.child, world.users["partner_practitioner"])
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    page_of(client, chronology_url(world.case.child))
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.first()
    assert (event.action, event.child_id, event.path) == (AuditAction.VIEW, world.case.child_id, chronology_url(world.case.child))


# --- The whole family ------------------------------------------------------------------------------


def test_the_family_chronology_merges_the_visible_siblings_and_lists_the_adults(world, client_for):
    family = world.case.child.family
    ava = make_case(world.health, child=make_child(given_name="Ava", family=family), team=[world.school]).child
    hidden = make_case(world.police, child=make_child(given_name="Hidden", family=family)).child
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Older sibling hungry")
    make_entry(ava, world.users["partner_practitioner"], summary="Younger sibling unwashed")
    make_entry(hidden, world.users["granted"], summary="Not for the school")
    adult_add(actor=None, family=family, given_name="Dee", family_name="Parent", substance_misuse=True)
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    page = page_of(client, reverse("chronologies:family_chronology", args=[family.pk]))
    assert "Older sibling hungry" in page and "Younger sibling unwashed" in page and "Not for the school" not in page
    assert "Dee Parent: Substance misuse." in page and "Hidden" not in page
    assert AccessEvent.objects.count() == before + 1


# --- Recording and amending -------------------------------------------------------------------------


def entry_post(**changes):
    data = {
        "occurred_on": "2026-11-20",
        "date_precision": "day",
        "kind": "home_visit",
        "impact_on_child": "Slept in a cold room.",
        "summary": "No heating on a home visit.",
        "action_taken": "",
        "significance": "significant",
    }
    return {**data, **changes}


def test_adding_an_entry_records_it_and_returns_to_the_chronology(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    url = reverse("chronologies:entry_create", args=[world.case.child_id])
    assert "Add a chronology entry" in page_of(client, url)
    response = client.post(url, entry_post(neglect_types=["physical"], restricted="on", shared_with=[world.health.pk]))
    assert response.status_code == 302 and response["Location"] == chronology_url(world.case.child)
    entry = ChronologyEntry.objects.get()
    assert (entry.agency, entry.restricted, list(entry.shared_with.all()), entry.neglect_types) == (world.school, True, [world.health], ["physical"])


def test_the_entry_form_keeps_what_was_typed_and_says_what_to_fix(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    response = client.post(
        reverse("chronologies:entry_create", args=[world.case.child_id]), entry_post(impact_on_child="", attendance_percentage="85", neglect_types=["medical"])
    )
    page = response.content.decode()
    assert response.status_code == 200 and not ChronologyEntry.objects.exists()
    assert '<a href="#id_impact_on_child">Describe the impact on the child</a>' in page
    assert "Only a school attendance entry has an attendance percentage: choose &#x27;School attendance&#x27; or clear it" in page
    assert "No heating on a home visit." in page and 'value="medical" checked' in page


def test_the_recording_agency_amends_its_entry_from_a_prefilled_form(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"], summary="Visited on Monday")
    client = client_for(world.users["partner_dsl"])
    url = reverse("chronologies:entry_amend", args=[entry.pk])
    assert "Visited on Monday</textarea>" in page_of(client, url)
    response = client.post(url, entry_post(summary="Visited on Tuesday", reason="Wrong day"))
    assert response.status_code == 302
    assert ChronologyEntry.objects.get(supersedes=entry).summary == "Visited on Tuesday"


def test_another_agency_cannot_amend_an_entry(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    assert client_for(world.users["csc_manager"]).get(reverse("chronologies:entry_amend", args=[entry.pk])).status_code == 403
    assert AccessEvent.objects.first().action == AuditAction.DENIED


def test_an_automatic_entry_sends_the_amender_to_its_record(world, client_for):
    make_concern(world.case, world.users["partner_practitioner"])
    entry = ChronologyEntry.objects.get()
    response = client_for(world.users["partner_practitioner"]).get(reverse("chronologies:entry_amend", args=[entry.pk]))
    assert response.status_code == 409 and "Correct the concern itself" in response.content.decode()


def test_only_the_recording_agencys_own_entries_offer_an_amend_link(world, client_for):
    mine = make_entry(world.case.child, world.users["partner_practitioner"], summary="Mine")
    theirs = make_entry(world.case.child, world.users["lead_practitioner"], summary="Theirs")
    page = page_of(client_for(world.users["partner_dsl"]), chronology_url(world.case.child))
    assert reverse("chronologies:entry_amend", args=[mine.pk]) in page
    assert reverse("chronologies:entry_amend", args=[theirs.pk]) not in page


# --- Import -------------------------------------------------------------------------------------------


def upload(text):
    return SimpleUploadedFile("entries.csv", text.encode(), content_type="text/csv")


def test_the_upload_page_documents_the_columns(world, client_for):
    page = page_of(client_for(world.users["partner_practitioner"]), reverse("chronologies:import_upload"))
    for column in ("external_id", "nhs_number", "upn", "date", "kind", "summary", "impact_on_child", "action_taken", "significance"):
        assert f"<code>{column}</code>" in page
    assert "<code>health_appointment_missed</code>" in page


def test_checking_then_importing_a_file(world, client_for):
    child = world.case.child
    text = (
        "external_id,given_name,family_name,date_of_birth,date,kind,summary,impact_on_child\n"
        f"E1,{child.given_name},{child.family_name},2015-06-01,2026-10-01,school_absence,Absent,Missed lessons\n"
        f"E2,{child.given_name},{child.family_name},2015-06-01,someday,school_absence,Absent,Missed lessons\n"
    )
    client = client_for(world.users["partner_practitioner"])
    check = client.post(reverse("chronologies:import_upload"), {"file": upload(text)})
    page = check.content.decode()
    assert check.status_code == 200 and not ChronologyEntry.objects.exists()
    assert "1 entry will be added." in page and "1 row needs correcting" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page and "<code>date</code>" in page
    response = client.post(reverse("chronologies:import_confirm"), {"text": text})
    assert response.status_code == 302
    assert list(ChronologyEntry.objects.values_list("external_id", flat=True)) == ["E1"]
    follow = page_of(client, response["Location"])
    assert "1 entry imported. 1 rows had errors and were not imported" in follow


def test_a_file_that_is_not_csv_text_is_refused_with_a_reason(world, client_for):
    response = client_for(world.users["partner_practitioner"]).post(
        reverse("chronologies:import_upload"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")}
    )
    assert '<a href="#id_file">The file must be a CSV saved as UTF-8 text</a>' in response.content.decode()


def test_checking_a_file_writes_one_audit_row(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    client.post(reverse("chronologies:import_upload"), {"file": upload("external_id,nhs_number,date,kind,summary,impact_on_child\n")})
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.first().object_type == "chronology_import"


def test_an_oversized_file_is_refused_by_its_size_before_it_is_read():
    """Issue 22, finding 7: the import read an upload of any size into memory before its 2 MB check."""
    from chronologies.forms import ImportUploadForm
    from tests.neglect_portal.test_uploads import counting_upload

    upload, raw = counting_upload(5 * 1024 * 1024)
    form = ImportUploadForm(data={}, files={"file": upload})
    assert not form.is_valid() and raw.bytes_read == 0
    assert form.errors["file"] == ["The file must be 2 MB or smaller; this file is 5.3 MB."]


def test_an_oversized_file_comes_back_to_the_form_with_the_limit_named(world, client_for):
    big = SimpleUploadedFile("entries.csv", b"external_id,date\n" + b"x" * 2_000_000, content_type="text/csv")
    response = client_for(world.users["partner_practitioner"]).post(reverse("chronologies:import_upload"), {"file": big})
    page = response.content.decode()
    assert response.status_code == 200 and '<a href="#id_file">The file must be 2 MB or smaller; this file is 2.1 MB.</a>' in page
    assert not ChronologyEntry.objects.exists()


def test_the_confirm_step_refuses_text_over_the_limit(world, client_for):
    response = client_for(world.users["partner_practitioner"]).post(reverse("chronologies:import_confirm"), {"text": "x" * 2_000_001})
    assert response.status_code == 200 and "The file must be 2 MB or smaller" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_the_case_page_links_each_pattern_to_its_entries(world, client_for):
    for kind in ("lead_practitioner", "lead_practitioner", "partner_practitioner"):
        make_concern(world.case, world.users[kind], observed_on=date(2026, 10, 1))
    page = page_of(client_for(world.users["lead_practitioner"]), reverse("cases:case_detail", args=[world.case.pk]))
    pattern_url = reverse("chronologies:child_pattern", args=[world.case.child.pk, "cumulative_concerns"])
    assert f'href="{pattern_url}">See the 3 entries behind “cumulative concerns”</a>' in page
