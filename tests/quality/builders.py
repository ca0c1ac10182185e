"""Audit rounds and feedback links for tests, built through the product's services.

The round's auditors are the matrix's police practitioner (`outsider`: outside the team, so the round's
grant is their only way into `world.case`), the school's DSL (`partner_dsl`, in the team) and the health
manager (`lead_manager`, who moderates). The police officer with an admin grant (`granted`) is not an
auditor: they are "outside the round".
"""

from datetime import timedelta

from django.utils import timezone

from quality import links, services
from quality.models import FeedbackChannel, FeedbackOccasion, FeedbackRequest, Grade, QuestionSet, QuestionSetStatus, Respondent
from quality.question_sets import shipped_document

AUDITORS = ("outsider", "partner_dsl", "lead_manager")
MODERATOR = "lead_manager"


SHIPPED = ("neglect_audit", "family_feedback_parent", "family_feedback_child")


def shipped_sets():
    """The shipped question sets, published, as migration 0003 leaves them (a transactional test's flush empties the table)."""
    for name in SHIPPED:
        document = shipped_document(name)
        if not QuestionSet.objects.filter(key=document["key"]).exists():
            services.question_set_publish(question_set=services.question_set_load(document=document))


def neglect_set():
    shipped_sets()
    return QuestionSet.objects.get(key="neglect_audit", status=QuestionSetStatus.PUBLISHED)


def audit_round(
    world, *, state="in_progress", auditors=AUDITORS, moderator=MODERATOR, cases=None, runner="admin", ends_in_days=30, title="Neglect at early help"
):
    """A round on `world.case` (or `cases`), in `state`: "setup" (no moderator chosen unless given), "ready", "in_progress" or "closed"."""
    actor = world.users[runner]
    today = timezone.localdate()
    audit_round = services.audit_round_create(
        actor=actor,
        title=title,
        theme="Neglect cases stepped down to early help",
        question_set=neglect_set(),
        starts_on=today,
        ends_on=today + timedelta(days=ends_in_days),
    )
    for case in cases if cases is not None else [world.case]:
        services.sample_add(actor=actor, audit_round=audit_round, case_number=case.pk)
    for kind in auditors:
        services.auditor_add(actor=actor, audit_round=audit_round, user=world.users[kind])
    if state == "setup":
        return audit_round
    if moderator:
        services.moderator_set(actor=actor, audit_round=audit_round, user=world.users[moderator])
    if state == "ready":
        return audit_round
    services.audit_round_start(actor=actor, audit_round=audit_round)
    if state == "closed":
        services.audit_round_close(actor=actor, audit_round=audit_round)
    audit_round.refresh_from_db()
    return audit_round


def all_grades(audit_round, grade=Grade.GOOD, evidence="Seen in the chronology and the plan reviews."):
    return {question.id: (grade, evidence) for question in audit_round.questions}


def grade_form(audit_round, grade=Grade.GOOD, evidence="Seen in the chronology and the plan reviews."):
    data = {}
    for question in audit_round.questions:
        data[f"grade_{question.id}"] = grade
        data[f"evidence_{question.id}"] = evidence
    return data


def moderation_form(audit_round, grade=Grade.GOOD, overall=Grade.GOOD):
    data = {"overall_grade": overall, "summary": "Agreed at the moderation meeting."}
    for question in audit_round.questions:
        data[f"grade_{question.id}"] = grade
        data[f"note_{question.id}"] = ""
    return data


def sent_link(world, *, respondent=Respondent.PARENT, actor="lead_practitioner", expires_in=timedelta(days=14)):
    """A feedback link as the task sends it; returns (request row, the token as it is in the link)."""
    shipped_sets()
    link = FeedbackRequest.objects.create(
        case=world.case,
        occasion=FeedbackOccasion.REVIEW,
        respondent=respondent,
        question_set=services.feedback_set_for(respondent),
        channel=FeedbackChannel.EMAIL,
        address="",
        created_by=world.users[actor],
        expires_at=timezone.now() + expires_in,
    )
    value, token_hash = links.token_new()
    FeedbackRequest.objects.filter(pk=link.pk).update(token_hash=token_hash, sent_at=timezone.now())
    link.refresh_from_db()
    return link, value


def parent_answers():
    return {
        "understood": "yes",
        "listened": "partly",
        "respect": "yes",
        "had_a_say": "no",
        "better": "not_sure",
        "anything_else": "The school nurse helped most.",
    }
