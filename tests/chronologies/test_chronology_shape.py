"""One aggregate counts a chronology's current versions (selectors.chronology_shape), so its page need not count them again.

`ChronologyShape.current` is the number of entries less the amendments. Hypothesis draws a household's
entries (two children, several agencies, some restricted and shared, some amended once or more, the
amendments made through the service as a practitioner would); for readers who see all of it and
readers who see part of it, `current` must equal the count of `current_versions`, the rule the page
lists; and the agency filter offers the agencies of the entries listed (selectors.recording_agencies). Then
the page: the count it prints with no filter (from the shape) and with one (counted).
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.services import family_create
from chronologies import selectors
from chronologies.models import EntryKind
from chronologies.services import chronology_entry_amend
from tests.factories import make_case, make_child

from .builders import make_entry

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
RECORDERS = ["csc_practitioner", "partner_practitioner", "lead_practitioner", "granted"]
READERS = ["csc_practitioner", "partner_practitioner", "lead_practitioner", "granted", "outsider"]

entries = st.lists(
    st.tuples(
        st.integers(0, 1),  # which child
        st.sampled_from(RECORDERS),
        st.sampled_from([False, False, True]),  # restricted
        st.sampled_from([(), ("school",), ("health",)]),  # shared with, when restricted
        st.integers(0, 3),  # amended this many times
    ),
    max_size=12,
)


def _amend(actor, entry, number):
    return chronology_entry_amend(
        actor=actor,
        entry=entry,
        reason=f"Correction {number}",
        occurred_on=entry.occurred_on,
        kind=entry.kind,
        summary=f"{entry.summary} (corrected {number})",
        impact_on_child=entry.impact_on_child,
    )


def _write(world, household, specs):
    agencies = {"school": world.school, "health": world.health}
    children = [make_child(family=household), make_child(family=household)]
    for child in children:
        make_case(world.health, child=child, team=[world.school, world.police])
    for number, (which, recorder, restricted, shared, amendments) in enumerate(specs):
        actor = world.users[recorder]
        entry = make_entry(
            children[which],
            actor,
            occurred_on=TODAY - timedelta(days=number),
            summary=f"Entry {number}",
            restricted=restricted,
            shared_with=[agencies[name] for name in shared] if restricted else [],
        )
        for amendment in range(amendments):
            entry = _amend(actor, entry, amendment)
    return children


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=entries)
def test_the_shape_counts_the_current_versions_each_reader_sees(world, specs):
    with transaction.atomic():
        household = family_create(name="A household", locality="North")
        children = _write(world, household, specs)
        for reader in READERS:
            user = world.users[reader]
            scopes = [
                (selectors.every_version_for_child(user=user, child=children[0]), selectors.chronology_for_child(user=user, child=children[0])),
                (selectors.every_version_for_family(user=user, family_id=household.pk), selectors.chronology_for_family(user=user, family_id=household.pk)),
            ]
            for every_version, listed in scopes:
                shape = selectors.chronology_shape(every_version)
                assert shape.current == listed.count(), reader
                assert shape.current == selectors.current_versions(every_version).count(), reader
                assert shape.count == every_version.count(), reader
                # The agency filter's choices: the agencies of the entries listed, found by one probe per agency.
                assert list(selectors.recording_agencies(entries=listed)) == sorted({entry.agency for entry in listed}, key=lambda agency: agency.name), reader
        transaction.set_rollback(True)


def test_the_order_alone_does_not_narrow_a_chronology():
    assert not selectors.NO_FILTERS.narrows
    assert not selectors.ChronologyFilters(oldest_first=True).narrows
    assert selectors.ChronologyFilters(kind=EntryKind.HOME_VISIT).narrows
    assert selectors.ChronologyFilters(date_from=TODAY).narrows


def test_the_page_prints_the_count_of_what_it_lists_filtered_or_not(world, client_for):
    child = world.case.child
    practitioner = world.users["partner_practitioner"]
    visit = make_entry(child, practitioner, kind=EntryKind.HOME_VISIT, summary="Visited")
    _amend(practitioner, _amend(practitioner, visit, 1), 2)
    make_entry(child, practitioner, kind=EntryKind.CONCERN, summary="Concern")
    hidden = make_entry(child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, summary="Police only", restricted=True)
    _amend(world.users["granted"], hidden, 1)
    url = reverse("chronologies:child_chronology", args=[child.pk])
    client = client_for(practitioner)
    assert "Showing 1 to 2 of 2 entries" in client.get(url).content.decode()
    assert "Showing 1 to 2 of 2 entries" in client.get(f"{url}?order=oldest").content.decode()
    assert "Showing 1 to 1 of 1 entry" in client.get(f"{url}?kind=home_visit").content.decode()
    assert "Showing 1 to 3 of 3 entries" in client_for(world.users["csc_practitioner"]).get(url).content.decode()
