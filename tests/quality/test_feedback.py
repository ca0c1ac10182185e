"""Family feedback: recorded with the family, or given once through a link that needs no account and reveals nothing."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, AuditAction
from quality import links, services
from quality.models import FeedbackChannel, FeedbackOccasion, FeedbackRequest, FeedbackResponse, FeedbackVia, Respondent
from quality.tasks import feedback_link_send
from quality.texting import LocmemTextBackend

from .builders import parent_answers, sent_link

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/your-say/(?P<token>[^/\s]+)/")


def family_url(token):
    return reverse("family:feedback", args=[token])


def test_a_practitioner_records_a_childs_answers_on_the_case(world):
    response = services.feedback_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        occasion=FeedbackOccasion.CONFERENCE,
        respondent=Respondent.CHILD,
        answers={"listened": "good", "home": "ok", "anything_else": "I like my new bed"},
    )
    assert response.via == FeedbackVia.IN_PERSON and response.agency == world.school
    assert response.question_set.key == "family_feedback_child"
    assert [words for _, words in response.answer_rows()] == ["Good", "", "OK", "", "I like my new bed"]
    row = AccessEvent.objects.get(object_type="feedback_response", object_id=str(response.pk))
    assert row.action == AuditAction.CREATE and row.child_id == world.case.child_id


def test_answers_must_fit_the_set(world):
    with pytest.raises(Exception) as error:
        services.feedback_record(
            actor=world.users["lead_practitioner"], case=world.case, occasion="party", respondent=Respondent.PARENT, answers={"listened": "yes"}
        )
    assert "occasion" in error.value.message_dict
    with pytest.raises(Exception) as error:
        services.feedback_record(
            actor=world.users["lead_practitioner"],
            case=world.case,
            occasion=FeedbackOccasion.REVIEW,
            respondent=Respondent.PARENT,
            answers={"listened": "brilliant"},
        )
    assert error.value.message_dict == {"listened": ["Choose one of the answers"]}
    with pytest.raises(Exception, match="at least one answer"):
        services.feedback_record(
            actor=world.users["lead_practitioner"], case=world.case, occasion=FeedbackOccasion.REVIEW, respondent=Respondent.PARENT, answers={}
        )


# --- Sending the link -----------------------------------------------------------------------------------


def request_link(world, *, channel=FeedbackChannel.EMAIL, address="parent@example.org", respondent=Respondent.PARENT):
    return services.feedback_link_request(
        actor=world.users["lead_practitioner"], case=world.case, occasion=FeedbackOccasion.CASE_CLOSURE, respondent=respondent, channel=channel, address=address
    )


def test_an_emailed_link_names_nothing_about_the_case_and_only_its_hash_is_kept(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = request_link(world)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@example.org"]
    token = LINK.search(message.body)["token"]
    link.refresh_from_db()
    assert link.sent_at is not None and link.address == ""  # the address is gone once the link is sent
    assert link.token_hash == links.token_hash(token.split(":")[0]) and token not in link.token_hash
    child = world.case.child
    text = f"{message.subject}\n{message.body.replace(token, '')}"
    for secret in (child.given_name, child.family_name, world.health.name, world.school.name, f"case {world.case.pk}", f"Case {world.case.pk}"):
        assert secret not in text
    assert not AccessEvent.objects.filter(detail__contains="parent@example.org").exists()


def test_sending_twice_sends_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = request_link(world)
    assert feedback_link_send.apply(args=[link.pk]).get() == "already sent or being sent"
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_and_a_retry_sends_a_new_token(world, monkeypatch):
    link = request_link(world)  # on_commit not run: nothing sent yet

    def refuse(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    with pytest.raises(OSError):
        services.feedback_link_send(request_id=link.pk)
    link.refresh_from_db()
    assert link.send_claimed_at is None and link.sent_at is None and link.address == "parent@example.org"
    monkeypatch.undo()
    assert services.feedback_link_send(request_id=link.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_text_message_goes_through_the_text_backend(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_link(world, channel=FeedbackChannel.TEXT, address="07700 900-982", respondent=Respondent.CHILD)
    assert [message["to"] for message in LocmemTextBackend.outbox] == ["07700900982"]
    assert "/your-say/" in LocmemTextBackend.outbox[0]["body"] and world.case.child.given_name not in LocmemTextBackend.outbox[0]["body"]


def test_an_address_must_be_an_email_or_a_uk_mobile(world):
    for channel, address in ((FeedbackChannel.EMAIL, "not an email"), (FeedbackChannel.TEXT, "0161 496 0000")):
        with pytest.raises(Exception) as error:
            request_link(world, channel=channel, address=address)
        assert "address" in error.value.message_dict
    assert not FeedbackRequest.objects.exists()


# --- The family's page ------------------------------------------------------------------------------------


def test_the_page_shows_the_questions_and_nothing_about_the_case(world, client):
    _, token = sent_link(world)
    response = client.get(family_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Did workers listen to you?" in html
    child = world.case.child
    for secret in (
        child.given_name,
        child.family_name,
        world.health.name,
        world.school.name,
        world.csc.name,
        f"Case {world.case.pk}",
        world.users["lead_practitioner"].last_name,
    ):
        assert secret not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_childs_version_has_a_picture_beside_each_answer(world, client):
    _, token = sent_link(world, respondent=Respondent.CHILD)
    html = client.get(family_url(token)).content.decode()
    assert html.count("quality/faces/happy.svg") == 4 and 'alt=""' in html


def test_answers_land_on_the_case_and_the_link_is_used_up(world, client):
    link, token = sent_link(world)
    response = client.post(family_url(token), parent_answers())
    assert response.status_code == 302 and response["Location"] == reverse("family:thanks")
    saved = FeedbackResponse.objects.get()
    assert saved.case == world.case and saved.via == FeedbackVia.LINK and saved.request == link and saved.recorded_by is None
    assert saved.answers["anything_else"] == "The school nurse helped most."
    link.refresh_from_db()
    assert link.used_at is not None
    row = AccessEvent.objects.get(object_type="feedback_response")
    assert row.user_id is None and row.username == "family feedback link" and row.child_id == world.case.child_id


def refused_page(response):
    assert response.status_code == 404
    return response.content.decode()


def test_a_used_an_expired_and_a_guessed_link_get_the_same_clear_page(world, client):
    used, used_token = sent_link(world)
    client.post(family_url(used_token), parent_answers())
    _, expired_token = sent_link(world, expires_in=timedelta(days=1))
    guessed = links.token_new()[0][:-4] + "abcd"  # a real-looking token with a signature that is not ours
    made_up = "a" * 43
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        pages = [refused_page(client.get(family_url(token))) for token in (used_token, expired_token, guessed, made_up)]
        posted = refused_page(client.post(family_url(used_token), parent_answers()))
    assert len(set(pages + [posted])) == 1
    assert "This link cannot be used" in posted and world.case.child.given_name not in posted
    assert FeedbackResponse.objects.count() == 1
    details = list(AccessEvent.objects.filter(action=AuditAction.DENIED, object_type="feedback_request").values_list("detail", flat=True))
    assert sorted(details) == sorted(
        [
            "family feedback link already used",
            "family feedback link expired",
            "family feedback link not recognised",
            "family feedback link not recognised",
            "family feedback link already used",
        ]
    )


def test_a_link_is_only_opened_not_used_by_a_get(world, client):
    link, token = sent_link(world)
    client.get(family_url(token))
    client.get(family_url(token))  # a mail scanner, then the parent
    link.refresh_from_db()
    assert link.used_at is None
    assert client.post(family_url(token), parent_answers()).status_code == 302


def test_a_double_submission_saves_once(world):
    link, _ = sent_link(world)
    services.family_feedback_submit(link=link, answers=parent_answers())
    with pytest.raises(services.LinkAlreadyUsed):
        services.family_feedback_submit(link=link, answers=parent_answers())
    assert FeedbackResponse.objects.count() == 1


def test_too_many_failures_from_one_address_are_refused_for_the_hour(world, client, settings):
    settings.FAMILY_FEEDBACK_FAILURES_PER_HOUR = 3
    _, token = sent_link(world)
    for attempt in range(3):
        assert client.get(family_url(f"guess{attempt}")).status_code == 404
    response = client.get(family_url(token))  # even a good link, from this address, this hour
    assert response.status_code == 429 and "Please try again later" in response.content.decode()
    assert AccessEvent.objects.filter(action=AuditAction.DENIED, detail__contains="too many failed attempts").count() == 1
    other = client.get(family_url(token), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


def test_a_thank_you_page_needs_nothing(client):
    assert client.get(reverse("family:thanks")).status_code == 200


def test_the_team_reads_the_answers_on_the_case_page(world, client_for):
    link, token = sent_link(world)
    services.family_feedback_submit(link=link, answers=parent_answers())
    html = client_for(world.users["partner_dsl"]).get(reverse("quality:case_feedback", args=[world.case.pk])).content.decode()
    assert "The school nurse helped most." in html and "given through a link" in html
    assert client_for(world.users["outsider"]).get(reverse("quality:case_feedback", args=[world.case.pk])).status_code == 404
