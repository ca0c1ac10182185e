"""Reads for question sets, audit rounds, family feedback, and the quality measures for the dashboard.

Case-level reads start from the access layer: an auditor's sampled cases from
`access.sampled_cases_visible_to`, their grades from `access.auditor_grades_visible_to`, feedback on a
case from `access.feedback_responses_visible_to`. A round's own pages and its report are for those
who run audits (`access.can_run_case_audits`, checked by the views and the API) and hold no case
content: cases by number and reference, grades and counts, never evidence, notes or summaries.

The measures at the end are whole-partnership aggregates that name no child: like the dashboard's
own (docs/conventions.md, "Where things live"), they take no user and their callers check the role.
Every figure comes with the counts it is made from, so the dashboard can apply its suppression rules
(counts of 1 to 4 hidden, and anything they could be worked out from).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from cases.models import Case, CaseStatus
from plans.models import CPCategory, PlanKind

from .models import (
    GOOD_OR_BETTER,
    GRADED,
    AuditorGrade,
    AuditRound,
    FeedbackRequest,
    FeedbackResponse,
    Grade,
    LearningAction,
    LearningActionStatus,
    LearningPoint,
    ModeratedGrade,
    QuestionSet,
    QuestionSetKind,
    QuestionSetStatus,
    Respondent,
    RoundAuditor,
    RoundStatus,
    SampledCase,
)

# --- Question sets ------------------------------------------------------------------------------------


def question_sets_for_admin(*, user):
    """Every version of every set, with how many rounds and responses use it (numbers only), for partnership admins."""
    if not access.can_manage_question_sets(user):
        return QuestionSet.objects.none()
    return QuestionSet.objects.annotate(round_count=Count("rounds", distinct=True), response_count=Count("responses", distinct=True)).order_by(
        "kind", "key", "-version"
    )


def question_set_for_admin(*, user, set_id):
    return question_sets_for_admin(user=user).filter(pk=set_id).first()


def audit_sets_published():
    """The audit question sets a new round may use (set contents hold no case data)."""
    return QuestionSet.objects.filter(kind=QuestionSetKind.CASE_AUDIT, status=QuestionSetStatus.PUBLISHED).order_by("name")


def feedback_set_for(*, respondent):
    """The published family feedback set for a parent or carer, or for a child (its `audience`), or None."""
    audience = "child" if respondent == Respondent.CHILD else "parent"
    published = QuestionSet.objects.filter(kind=QuestionSetKind.FAMILY_FEEDBACK, status=QuestionSetStatus.PUBLISHED).order_by("key")
    return next((question_set for question_set in published if question_set.parsed.audience == audience), None)


# --- Drawing a sample (those who run audits: case numbers only) ---------------------------------------

# key -> (words, condition on cases)
PLAN_FILTERS = {
    "cp_neglect": ("had a child protection plan for neglect", Q(plans__kind=PlanKind.CHILD_PROTECTION, plans__cp_category=CPCategory.NEGLECT)),
    "child_protection": ("had a child protection plan", Q(plans__kind=PlanKind.CHILD_PROTECTION)),
    "child_in_need": ("had a child in need plan", Q(plans__kind=PlanKind.CHILD_IN_NEED)),
    "early_help": ("had an early help plan", Q(plans__kind=PlanKind.EARLY_HELP)),
}


def sample_frame(*, criteria):
    """Every case matching a draw's criteria (`services.SampleCriteria`), across the partnership.

    For those who run audits (the services check `can_run_case_audits`): a sample must be drawn
    from every case, not from what the person drawing it may read; only the cases' numbers come back.
    """
    cases = Case.objects.all()
    if criteria.threshold:
        cases = cases.filter(threshold=criteria.threshold)
    if criteria.status == "open":
        cases = cases.filter(status=CaseStatus.OPEN)
    elif criteria.status == "closed":
        cases = cases.filter(status=CaseStatus.CLOSED)
    if criteria.opened_since:
        cases = cases.filter(opened_on__gte=criteria.opened_since)
    if criteria.lead_agency is not None:
        cases = cases.filter(lead_agency=criteria.lead_agency)
    if criteria.plan:
        cases = cases.filter(PLAN_FILTERS[criteria.plan][1]).distinct()
    return cases.order_by("pk")


def case_for_sample(*, case_number):
    """The case with this number, or None, for adding a chosen case to a sample (by number: no content is shown)."""
    return Case.objects.filter(pk=case_number).first()


# --- A round, for those who run it -------------------------------------------------------------------


def rounds_overview(*, user):
    """The rounds the user may run, newest first, each with its sample size, auditors and cases moderated."""
    return (
        access.audit_rounds_visible_to(user)
        .select_related("question_set")
        .annotate(
            sample_size=Count("sample", distinct=True),
            auditor_count=Count("auditors", distinct=True),
            moderated_count=Count("sample", filter=Q(sample__moderated_at__isnull=False), distinct=True),
            open_actions=Count("actions", filter=~Q(actions__status=LearningActionStatus.DONE), distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class SampleRow:
    sampled: object
    progress: list  # questions graded by each auditor, in the order of `round_auditors`
    complete_agencies: int


def round_sample(*, audit_round):
    """The round's sample for its runners: each case's number, reference and lead agency, how far each auditor has got, and whether it
    is moderated (with its overall grade). Never the evidence or the moderator's summary. Three queries."""
    sample = list(
        SampledCase.objects.filter(audit_round=audit_round)
        .select_related("case__lead_agency")
        .only(
            "pk",
            "reference",
            "method",
            "criteria",
            "overall_grade",
            "moderated_at",
            "audit_round_id",
            "case__id",
            "case__lead_agency__name",
            "case__status",
        )
    )
    counts = AuditorGrade.objects.filter(sampled_case__audit_round=audit_round).values("sampled_case_id", "auditor_id").annotate(n=Count("pk"))
    graded = {}
    for row in counts:
        graded.setdefault(row["sampled_case_id"], {})[row["auditor_id"]] = row["n"]
    total = len(audit_round.questions)
    auditors = [auditor.pk for auditor in round_auditors(audit_round=audit_round)]
    rows = []
    for s in sample:
        progress = [graded.get(s.pk, {}).get(auditor, 0) for auditor in auditors]
        rows.append(SampleRow(sampled=s, progress=progress, complete_agencies=sum(1 for n in progress if n >= total)))
    return rows


def round_auditors(*, audit_round):
    return list(RoundAuditor.objects.filter(audit_round=audit_round).select_related("user", "agency"))


def possible_auditors():
    """Case workers of active agencies, by agency: the people who may audit (they alone may read a case)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, membership__agency__is_active=True, membership__role__in=access.CASE_WORKING_ROLES)
        .select_related("membership__agency")
        .order_by("membership__agency__name", "last_name", "first_name", "username")
    )


def _grade_counts(rows):
    """{grade: n} over rows of (grade, n), with every grade present."""
    counts = dict.fromkeys(Grade.values, 0)
    for grade, n in rows:
        counts[grade] = counts.get(grade, 0) + n
    return counts


def _pct(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def round_grades_by_question(*, audit_round):
    """Grades by question across a round (a dashboard measure): per question, the moderated grades counted by grade, how many cases were
    graded on the four-point scale, the share good or better, and the auditors' own grades by agency (counts only).

    Counts are of cases (children): the dashboard's suppression rules apply when it publishes them.
    """
    questions = audit_round.questions
    moderated = ModeratedGrade.objects.filter(sampled_case__audit_round=audit_round).values("question_id", "grade").annotate(n=Count("pk"))
    by_agency = (
        AuditorGrade.objects.filter(sampled_case__audit_round=audit_round).values("question_id", "auditor__agency__name", "grade").annotate(n=Count("pk"))
    )
    moderated_by_question, agencies = {}, {}
    for row in moderated:
        moderated_by_question.setdefault(row["question_id"], []).append((row["grade"], row["n"]))
    for row in by_agency:
        agencies.setdefault(row["question_id"], {}).setdefault(row["auditor__agency__name"], []).append((row["grade"], row["n"]))
    result = []
    for question in questions:
        counts = _grade_counts(moderated_by_question.get(question.id, []))
        graded = sum(counts[grade] for grade in GRADED)
        good = sum(counts[grade] for grade in GOOD_OR_BETTER)
        result.append(
            {
                "question_id": question.id,
                "question": question.text,
                "measure": question.measure,
                "counts": counts,
                "graded": graded,
                "good_or_better": good,
                "good_or_better_pct": _pct(good, graded),
                "by_agency": {agency: _grade_counts(rows) for agency, rows in sorted(agencies.get(question.id, {}).items())},
            }
        )
    return result


def round_case_grades(*, audit_round):
    """Each sampled case's agreed grade per question and overall, by reference only (the report's grid)."""
    sample = list(SampledCase.objects.filter(audit_round=audit_round).only("pk", "reference", "overall_grade", "moderated_at", "audit_round_id"))
    grades = {}
    for row in ModeratedGrade.objects.filter(sampled_case__audit_round=audit_round).values("sampled_case_id", "question_id", "grade"):
        grades.setdefault(row["sampled_case_id"], {})[row["question_id"]] = row["grade"]
    return [{"sampled": s, "grades": [grades.get(s.pk, {}).get(q.id, "") for q in audit_round.questions]} for s in sample]


def round_learning(*, audit_round):
    return list(LearningPoint.objects.filter(audit_round=audit_round).select_related("recorded_by"))


def round_actions(*, audit_round):
    return list(LearningAction.objects.filter(audit_round=audit_round).select_related("owner_agency", "learning_point", "action_plan_row__plan"))


def learning_action(*, user, action_id):
    """One action for those who run audits (the views check the role), or None."""
    if not access.can_run_case_audits(user):
        return None
    return LearningAction.objects.select_related("audit_round", "owner_agency", "learning_point", "updated_by").filter(pk=action_id).first()


# --- The auditors' pages -----------------------------------------------------------------------------


def my_audits(*, user):
    """The sampled cases the user audits now, by round, each with how many questions they have graded and whether it is moderated."""
    own = Count("auditor_grades", filter=Q(auditor_grades__auditor__user_id=user.pk))
    return list(
        access.sampled_cases_visible_to(user)
        .select_related("audit_round__question_set", "audit_round__moderator", "case__child")
        .annotate(graded=own)
        .order_by("audit_round__ends_on", "audit_round_id", "reference")
    )


def own_grades(*, user, sampled_case):
    """The user's own grades on a sampled case (the view got it through access_sampled_case): question id -> grade row."""
    grades = access.auditor_grades_visible_to(user).filter(sampled_case=sampled_case, auditor__user_id=user.pk)
    return {grade.question_id: grade for grade in grades}


def grades_for_moderation(*, user, sampled_case):
    """Every agency's grade and evidence on a sampled case, by question, for the round's moderator (empty for anyone else)."""
    grades = access.auditor_grades_visible_to(user).filter(sampled_case=sampled_case).select_related("auditor__agency").order_by("auditor__agency__name")
    by_question = {}
    for grade in grades:
        by_question.setdefault(grade.question_id, []).append(grade)
    return by_question


def moderated_grades(*, sampled_case):
    """The agreed grades and notes of a sampled case the view got through access_sampled_case (moderator or auditor)."""
    return {grade.question_id: grade for grade in ModeratedGrade.objects.filter(sampled_case=sampled_case)}


def auditor_count(*, sampled_case):
    return RoundAuditor.objects.filter(audit_round_id=sampled_case.audit_round_id).count()


# --- Family feedback on a case -----------------------------------------------------------------------


def case_feedback(*, user, case):
    """Feedback on a case the view got through access_case: every response (newest first) with its set, and the links sent."""
    responses = access.feedback_responses_visible_to(user).filter(case=case).select_related("question_set", "recorded_by", "agency")
    requests = (
        access.feedback_requests_visible_to(user)
        .filter(case=case)
        .select_related("created_by")
        .annotate(answered=Exists(FeedbackResponse.objects.filter(request_id=OuterRef("pk"))))
    )
    return list(responses), list(requests)


# --- Measures for the dashboard (aggregates; no user: callers check the role) ------------------------

AUDIT_MEASURE_TAGS = {"impact_of_plan": "audit_impact", "use_of_gcp": "audit_gcp"}


def _tagged_questions(tags):
    """{tag: a condition on moderated grades}: the question that carries the tag in its round's question set version (ids may differ by version).

    The case-audit question sets are read (and parsed) once for every tag.
    """
    conditions = {tag: Q(pk__in=[]) for tag in tags}
    for question_set in QuestionSet.objects.filter(kind=QuestionSetKind.CASE_AUDIT):
        questions = question_set.parsed.questions
        for tag in tags:
            question = next((q for q in questions if q.measure == tag), None)
            if question is not None:
                conditions[tag] |= Q(sampled_case__audit_round__question_set_id=question_set.pk, question_id=question.id)
    return conditions


def _closed_between(start, end, prefix=""):
    """Rounds closed between `start` and `end` (inclusive, by the local date of closing): the rounds a quarter's audit measures read."""
    return Q(**{f"{prefix}status": RoundStatus.CLOSED, f"{prefix}closed_at__date__range": (start, end)})


def grades_by_question_closed(*, start, end):
    """Grades by question across each round closed between `start` and `end`, oldest closed first: [{"round", "closed_on", "rows"}],
    `rows` as `round_grades_by_question` returns them (two queries a round; a quarter closes a few at most)."""
    rounds = AuditRound.objects.filter(_closed_between(start, end)).select_related("question_set").order_by("closed_at", "pk")
    return [
        {"round": audit_round.title, "closed_on": timezone.localdate(audit_round.closed_at), "rows": round_grades_by_question(audit_round=audit_round)}
        for audit_round in rounds
    ]


def audited_cases_good_or_better(*, tag, start, end):
    """Of the cases audited in rounds that closed between `start` and `end` (inclusive), how many were graded good or better
    (outstanding or good, at moderation) on the question tagged `tag` ("impact_of_plan" or "use_of_gcp").

    "Not applicable" counts in neither figure. Returns {"cases", "good_or_better", "pct"}; cases are children, so the counts are
    suppressed like any count of children when published.
    """
    return audited_cases_good_or_better_by_tag(tags=[tag], start=start, end=end)[tag]


def audited_cases_good_or_better_by_tag(*, tags, start, end):
    """{tag: `audited_cases_good_or_better`} for each of `tags`, in one aggregate."""
    closed = _closed_between(start, end, prefix="sampled_case__audit_round__")
    tagged = _tagged_questions(tags)
    aggregates = {}
    for number, tag in enumerate(tags):
        aggregates[f"cases_{number}"] = Count("pk", filter=tagged[tag])
        aggregates[f"good_{number}"] = Count("pk", filter=tagged[tag] & Q(grade__in=GOOD_OR_BETTER))
    counts = ModeratedGrade.objects.filter(closed, grade__in=GRADED).aggregate(**aggregates)
    found = {}
    for number, tag in enumerate(tags):
        cases, good = counts[f"cases_{number}"], counts[f"good_{number}"]
        found[tag] = {"cases": cases, "good_or_better": good, "pct": _pct(good, cases)}
    return found


def feedback_response_rate(*, start, end):
    """Feedback links sent between `start` and `end` (inclusive), how many of them families have answered (so far), the rate, and how
    many responses practitioners recorded with families in the same days. Counts of families (children): suppressed when published."""
    sent = FeedbackRequest.objects.filter(sent_at__date__range=(start, end)).aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(used_at__isnull=False)))
    in_person = FeedbackResponse.objects.filter(recorded_at__date__range=(start, end), via="in_person").count()
    return {"links_sent": sent["sent"], "links_answered": sent["answered"], "pct": _pct(sent["answered"], sent["sent"]), "in_person": in_person}


def feedback_answers_by_question(*, start, end, respondent):
    """What families said between `start` and `end`, for parents or for children: per question of each set, how many gave each answer.

    Rows: {"set", "question_id", "question", "answers": [(label, n), ...], "answered"}. Free-text answers are counted, never shown.
    One query per question set in use (a few).
    """
    responses = FeedbackResponse.objects.filter(recorded_at__date__range=(start, end), respondent=respondent)
    rows = []
    for question_set in QuestionSet.objects.filter(pk__in=responses.values("question_set_id")).order_by("key", "version"):
        parsed = question_set.parsed
        aggregates = {}
        for question in parsed.questions:
            if question.type == "text":
                aggregates[f"{question.id}__answered"] = Count("pk", filter=Q(answers__has_key=question.id))
                continue
            for point in parsed.scale:
                aggregates[f"{question.id}__{point.value}"] = Count("pk", filter=Q(**{f"answers__{question.id}": point.value}))
        counts = responses.filter(question_set=question_set).aggregate(**aggregates) if aggregates else {}
        for question in parsed.questions:
            if question.type == "text":
                rows.append(
                    {
                        "set": parsed.name,
                        "version": question_set.version,
                        "question_id": question.id,
                        "question": question.text,
                        "answers": [],
                        "answered": counts.get(f"{question.id}__answered", 0),
                    }
                )
                continue
            answers = [(point.label, counts.get(f"{question.id}__{point.value}", 0)) for point in parsed.scale]
            rows.append(
                {
                    "set": parsed.name,
                    "version": question_set.version,
                    "question_id": question.id,
                    "question": question.text,
                    "answers": answers,
                    "answered": sum(n for _, n in answers),
                }
            )
    return rows


@dataclass(frozen=True)
class QualityMeasure:
    """How the dashboard should show one of these figures (the fields of dashboard/selectors.py's `Measure`), and what it is made from."""

    key: str
    title: str
    definition: str
    unit: str  # "count", "percent" or "by_question"
    better: str | None = None  # "higher", "lower" or None
    counts_children: bool = True
    # For a percentage: the keys of the counts it is worked out from (withhold it when either is suppressed).
    derived_from: tuple = ()
    # An audit figure: the question tag (`AUDIT_MEASURE_TAGS`) whose rows of "audit_grades_by_question" it adds up.
    tag: str = ""


MEASURES = [
    QualityMeasure(
        "audit_grades_by_question",
        "Audit grades by question",
        "For each audit round closed in the quarter, the grades agreed at moderation for each question: cases graded outstanding, good, "
        "requires improvement and inadequate (not applicable left out), and the percentage good or better.",
        "by_question",
    ),
    QualityMeasure(
        "audit_impact_cases",
        "Cases audited: impact of the plan",
        "Cases in audit rounds closed in the quarter graded (at moderation) on the question about the plan's impact on the child; not applicable left out.",
        "count",
        tag="impact_of_plan",
    ),
    QualityMeasure(
        "audit_impact_good_pct",
        "Impact of the plan good or better",
        "Of those cases, the percentage graded outstanding or good for the impact of the plan.",
        "percent",
        "higher",
        derived_from=("audit_impact_good", "audit_impact_cases"),
        tag="impact_of_plan",
    ),
    QualityMeasure(
        "audit_gcp_cases",
        "Cases audited: use of the Graded Care Profile",
        "Cases in audit rounds closed in the quarter graded (at moderation) on the question about the use of the Graded Care Profile 2; not applicable left out.",
        "count",
        tag="use_of_gcp",
    ),
    QualityMeasure(
        "audit_gcp_good_pct",
        "Use of the Graded Care Profile good or better",
        "Of those cases, the percentage graded outstanding or good for the use of the Graded Care Profile 2.",
        "percent",
        "higher",
        derived_from=("audit_gcp_good", "audit_gcp_cases"),
        tag="use_of_gcp",
    ),
    QualityMeasure(
        "feedback_links_sent", "Feedback links sent to families", "Single-use feedback links sent to parents, carers and children in the quarter.", "count"
    ),
    QualityMeasure(
        "feedback_response_rate_pct",
        "Family feedback response rate",
        "Of the links sent in the quarter, the percentage that families have answered.",
        "percent",
        "higher",
        derived_from=("feedback_links_answered", "feedback_links_sent"),
    ),
    QualityMeasure(
        "feedback_in_person", "Feedback recorded with families", "Responses practitioners recorded with a parent, carer or child in the quarter.", "count"
    ),
    QualityMeasure(
        "feedback_parent_by_question", "What parents and carers told us", "Answers given by parents and carers in the quarter, by question.", "by_question"
    ),
    QualityMeasure(
        "feedback_child_by_question", "What children told us", "Answers given by children and young people in the quarter, by question.", "by_question"
    ),
]


def quarter_measures(*, quarter):
    """Every quality measure for one quarter (neglect_portal/quarters.py), key -> value, including the counts the percentages come from.

    About eight queries, and two for each round closed in the quarter. The dashboard merges these into its own measures (see the module docstring and `MEASURES`).
    """
    audited = audited_cases_good_or_better_by_tag(tags=["impact_of_plan", "use_of_gcp"], start=quarter.start, end=quarter.end)
    impact, gcp = audited["impact_of_plan"], audited["use_of_gcp"]
    rate = feedback_response_rate(start=quarter.start, end=quarter.end)
    return {
        "audit_grades_by_question": grades_by_question_closed(start=quarter.start, end=quarter.end),
        "audit_impact_cases": impact["cases"],
        "audit_impact_good": impact["good_or_better"],
        "audit_impact_good_pct": impact["pct"],
        "audit_gcp_cases": gcp["cases"],
        "audit_gcp_good": gcp["good_or_better"],
        "audit_gcp_good_pct": gcp["pct"],
        "feedback_links_sent": rate["links_sent"],
        "feedback_links_answered": rate["links_answered"],
        "feedback_response_rate_pct": rate["pct"],
        "feedback_in_person": rate["in_person"],
        "feedback_parent_by_question": feedback_answers_by_question(start=quarter.start, end=quarter.end, respondent=Respondent.PARENT),
        "feedback_child_by_question": feedback_answers_by_question(start=quarter.start, end=quarter.end, respondent=Respondent.CHILD),
    }


def agencies_for_actions():
    return Agency.objects.filter(is_active=True).order_by("name")
