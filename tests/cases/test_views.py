"""Case work through the browser's HTTP: what practitioners and managers see and do."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from concerns.models import Concern
from plans.services import plan_end
from tests.factories import make_action, make_concern, make_plan

CONCERN = {
    "observed_on": "2026-11-20",
    "neglect_types": ["nutritional", "physical"],
    "description": "Came in without a coat, hungry at 9am",
    "impact_on_child": "Cold and unable to concentrate",
    "action_taken": "Breakfast club place offered",
    "sharing_reason": "The team needs to know he is hungry and cold",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}


def test_blaming_words_get_a_hint_beside_the_field_and_never_hold_back_saving(world, client_for):
    """Issue 21: the wording guide's hint shows beside the field as it is typed (partnership/wording.py); the first
    submission saves as written (there used to be a second look that held it back)."""
    client = client_for(world.users["lead_practitioner"])
    url = reverse("cases:case_concern_new", args=[world.case.pk])
    form = client.get(url).content.decode()
    check = reverse("partnership:wording_check")
    assert f'data-wording-hint="{check}"' in form and 'name="description"' in form
    data = {**CONCERN, "description": "Mother refusing to engage with the health visitor"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Concern.objects.get().description == data["description"]


def test_find_a_child_never_lists_a_child_the_user_cannot_see(world, client_for):
    child = world.case.child
    query = {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat()}
    seen = client_for(world.users["partner_practitioner"]).post(reverse("cases:find_child"), query)
    unseen = client_for(world.users["outsider"]).post(reverse("cases:find_child"), query)
    assert [c.pk for c in seen.context["children"]] == [child.pk]
    assert unseen.context["children"] == []
    assert "No child you can see matches these details." in unseen.content.decode()


def test_case_page_read_writes_exactly_one_audit_event(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    client.get(reverse("cases:case_detail", args=[world.case.pk]))
    events = list(AccessEvent.objects.order_by("-id")[: AccessEvent.objects.count() - before])
    assert [(e.action, e.object_type, e.child_id) for e in events] == [(AuditAction.VIEW, "case", world.case.child_id)]


def _add_work(world, count, *, offset=0):
    """`count` concerns, and `count` past plans each with one overdue action."""
    for i in range(offset, offset + count):
        make_concern(world.case, world.users["lead_practitioner"], observed_on=date(2026, 10, 1))
        plan = make_plan(world.case, started_on=date(2010 + i // 12, 1 + i % 12, 1))
        make_action(plan, world.school, due_on=date(2026, 11, 1))
        plan_end(actor=world.users["csc_manager"], plan=plan, ended_on=date(2010 + i // 12, 1 + i % 12, 20), end_reason="Goals met")


def _case_page_queries(world, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:case_detail", args=[world.case.pk]))
    assert response.status_code == 200
    return len(queries)


def test_case_page_query_count_does_not_grow_with_case_work(world, client_for):
    client = client_for(world.users["lead_manager"])
    _add_work(world, 1)
    one = _case_page_queries(world, client)
    _add_work(world, 49, offset=1)
    assert world.case.concerns.count() == 50 and world.case.plans.count() == 50
    assert _case_page_queries(world, client) == one


def test_family_page_shows_only_visible_siblings(world, client_for):
    from tests.factories import make_case, make_child

    hidden_sibling = make_child(given_name="Hidden", family_name=world.case.child.family_name, family=world.case.child.family)
    make_case(world.police, child=hidden_sibling)
    html = client_for(world.users["partner_practitioner"]).get(reverse("households:family_detail", args=[world.case.child.family_id])).content.decode()
    assert str(world.case.child) in html and "Hidden" not in html
