"""The demo's multi-agency case audit and family feedback (quality app), dated in the last complete quarter.

One audit round on the named families' cases, graded at moderation and closed; feedback links sent to
parents (most answered), and a parent's and a child's answers recorded in person. Everything goes
through the quality app's services; only the dates are moved back afterwards (to the middle of the
last complete quarter), so the dashboard's audit and feedback measures have figures as a real
quarter's would.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.models import Case
from neglect_portal.quarters import last_complete_quarter
from quality import links, services
from quality.models import AuditRound, FeedbackChannel, FeedbackOccasion, FeedbackRequest, FeedbackResponse, Grade, QuestionSet, QuestionSetStatus, Respondent
from quality.question_sets import shipped_document

# Moderated grades of the three sampled cases: (impact of the plan, use of the Graded Care Profile 2); every other question good.
GRADES = [(Grade.GOOD, Grade.GOOD), (Grade.OUTSTANDING, Grade.GOOD), (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)]
TAGGED = {"impact": 0, "use_of_tools": 1}  # question ids of the shipped neglect audit set
PARENT_ANSWERS = [
    {"understood": "yes", "listened": "yes", "respect": "yes", "had_a_say": "partly", "better": "yes"},
    {"understood": "partly", "listened": "yes", "respect": "yes", "had_a_say": "yes", "better": "not_sure"},
    {"understood": "yes", "listened": "partly", "respect": "no", "had_a_say": "no", "better": "no", "anything_else": "Too many different workers."},
    {"understood": "yes", "listened": "yes", "respect": "yes", "had_a_say": "yes", "better": "yes", "anything_else": "The health visitor was kind."},
]
LINKS_SENT = 6  # four answered, two not


def _published_set(key):
    question_set = QuestionSet.objects.filter(key=key, status=QuestionSetStatus.PUBLISHED).order_by("-version").first()
    if question_set is None:  # migration 0003 ships them; a database emptied since has none
        question_set = services.question_set_publish(question_set=services.question_set_load(document=shipped_document(key)))
    return question_set


def seed_quality(users):
    """Once: the audit round and the quarter's feedback. `users` maps the demo usernames to users."""
    if AuditRound.objects.exists():
        return
    for key in ("neglect_audit", "family_feedback_parent", "family_feedback_child"):
        _published_set(key)
    quarter = last_complete_quarter(timezone.localdate())
    middle = timezone.make_aware(datetime.combine(quarter.start + (quarter.end - quarter.start) / 2, time(11)))
    cases = list(Case.objects.filter(child__family__name__in=["Brook household", "Hill household"]).order_by("pk"))
    _audit_round(users, cases, closed_at=middle)
    _feedback(users, cases[0], at=middle)


def _audit_round(users, cases, *, closed_at):
    runner, today = users["strategy.member"], timezone.localdate()
    audit_round = services.audit_round_create(
        actor=runner,
        title="Neglect on child protection and early help plans",
        theme="How well agencies see the child's daily life, and whether the plan changes it",
        question_set=_published_set("neglect_audit"),
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    for case in cases:
        services.sample_add(actor=runner, audit_round=audit_round, case_number=case.pk)
    for username in ("sw.manager", "school.dsl", "health.visitor"):
        services.auditor_add(actor=runner, audit_round=audit_round, user=users[username])
    services.moderator_set(actor=runner, audit_round=audit_round, user=users["sw.manager"])
    services.audit_round_start(actor=runner, audit_round=audit_round)
    for sampled, agreed in zip(audit_round.sample.select_related("audit_round__question_set", "case").order_by("reference"), GRADES, strict=False):
        grades = {question.id: (agreed[TAGGED[question.id]] if question.id in TAGGED else Grade.GOOD, "") for question in audit_round.questions}
        services.moderation_record(
            actor=users["sw.manager"], sampled_case=sampled, grades=grades, overall_grade=agreed[0], summary="Agreed at the moderation meeting."
        )
    services.audit_round_close(actor=runner, audit_round=audit_round)
    AuditRound.objects.filter(pk=audit_round.pk).update(closed_at=closed_at)


def _feedback(users, case, *, at):
    worker = users["sw.practitioner"]
    parent_set = _published_set("family_feedback_parent")
    sent = []
    for _ in range(LINKS_SENT):
        # As the sending task leaves a link once the message has gone: a token, a send time, no address kept.
        _, token_hash = links.token_new()
        sent.append(
            FeedbackRequest.objects.create(
                case=case,
                occasion=FeedbackOccasion.REVIEW,
                respondent=Respondent.PARENT,
                question_set=parent_set,
                channel=FeedbackChannel.EMAIL,
                address="",
                created_by=worker,
                expires_at=timezone.now() + timedelta(days=14),
                token_hash=token_hash,
                sent_at=timezone.now(),
            )
        )
    for link, answers in zip(sent, PARENT_ANSWERS, strict=False):
        services.family_feedback_submit(link=link, answers=answers)
    services.feedback_record(actor=worker, case=case, occasion=FeedbackOccasion.REVIEW, respondent=Respondent.PARENT, answers=PARENT_ANSWERS[0])
    child_answers = {"listened": "good", "explained": "ok", "home": "good", "who_to_tell": "dont_know", "anything_else": "I like my new bed"}
    services.feedback_record(actor=worker, case=case, occasion=FeedbackOccasion.CONFERENCE, respondent=Respondent.CHILD, answers=child_answers)
    ids = [link.pk for link in sent]
    FeedbackRequest.objects.filter(pk__in=ids).update(sent_at=at, expires_at=at + timedelta(days=14))
    FeedbackRequest.objects.filter(pk__in=ids, used_at__isnull=False).update(used_at=at + timedelta(days=2))
    FeedbackResponse.objects.filter(case=case).update(recorded_at=at + timedelta(days=2))
