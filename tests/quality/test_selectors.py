"""The quality measures for the dashboard: grades by question, audited cases good or better, feedback rates and answers."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from neglect_portal.quarters import quarter_of
from quality import selectors, services
from quality.models import Grade, Respondent, SampledCase
from tests.factories import make_case

from .builders import audit_round, parent_answers, sent_link

pytestmark = pytest.mark.django_db


def moderate(world, sampled, **grades):
    agreed = {question.id: (grades.get(question.id, Grade.GOOD), "") for question in sampled.audit_round.questions}
    services.moderation_record(actor=world.users["lead_manager"], sampled_case=sampled, grades=agreed, overall_grade=Grade.GOOD, summary="Agreed")


@pytest.fixture
def graded_round(world):
    """Three cases: impact outstanding, requires improvement and not applicable; the tools question good, inadequate, good."""
    cases = [world.case, make_case(world.health, team=[world.school]), make_case(world.health, team=[world.school])]
    round_ = audit_round(world, cases=cases)
    sample = list(SampledCase.objects.filter(audit_round=round_).select_related("audit_round__question_set", "case").order_by("reference"))
    services.grades_save(actor=world.users["outsider"], sampled_case=sample[0], grades={"impact": (Grade.GOOD, "Attendance improved")})
    moderate(world, sample[0], impact=Grade.OUTSTANDING, use_of_tools=Grade.GOOD)
    moderate(world, sample[1], impact=Grade.REQUIRES_IMPROVEMENT, use_of_tools=Grade.INADEQUATE)
    moderate(world, sample[2], impact=Grade.NOT_APPLICABLE, use_of_tools=Grade.GOOD)
    return round_


def test_grades_by_question_count_the_agreed_grades_and_each_agencys(world, graded_round):
    rows = {row["question_id"]: row for row in selectors.round_grades_by_question(audit_round=graded_round)}
    impact = rows["impact"]
    assert impact["counts"] == {"outstanding": 1, "good": 0, "requires_improvement": 1, "inadequate": 0, "not_applicable": 1}
    assert (impact["graded"], impact["good_or_better"], impact["good_or_better_pct"]) == (2, 1, 50.0)
    assert impact["measure"] == "impact_of_plan"
    assert impact["by_agency"] == {"County Police": {"outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 0, "not_applicable": 0}}
    assert rows["fathers"]["good_or_better_pct"] == 100.0


def test_audited_cases_good_or_better_count_rounds_closed_in_the_period(world, graded_round):
    today = timezone.localdate()
    assert selectors.audited_cases_good_or_better(tag="impact_of_plan", start=today, end=today)["cases"] == 0  # not closed yet
    services.audit_round_close(actor=world.users["admin"], audit_round=graded_round)
    assert selectors.audited_cases_good_or_better(tag="impact_of_plan", start=today, end=today) == {"cases": 2, "good_or_better": 1, "pct": 50.0}
    assert selectors.audited_cases_good_or_better(tag="use_of_gcp", start=today, end=today) == {"cases": 3, "good_or_better": 2, "pct": 66.7}
    assert selectors.audited_cases_good_or_better(tag="use_of_gcp", start=today - timedelta(days=10), end=today - timedelta(days=1))["cases"] == 0


def test_the_tag_follows_the_question_in_each_version(world):
    document = {
        "key": "neglect_audit",
        "name": "Neglect audit v2",
        "kind": "case_audit",
        "questions": [{"id": "difference_made", "text": "What difference did the plan make?", "measure": "impact_of_plan"}],
    }
    draft = services.question_set_load(document=document, actor=world.users["admin"])
    services.question_set_publish(question_set=draft, actor=world.users["admin"])
    round_ = audit_round(world)
    sampled = SampledCase.objects.select_related("audit_round__question_set", "case").get(audit_round=round_)
    moderate(world, sampled, difference_made=Grade.GOOD)
    services.audit_round_close(actor=world.users["admin"], audit_round=round_)
    today = timezone.localdate()
    assert selectors.audited_cases_good_or_better(tag="impact_of_plan", start=today, end=today) == {"cases": 1, "good_or_better": 1, "pct": 100.0}


def test_feedback_response_rate_and_answers_by_question_per_quarter(world):
    with time_machine.travel("2026-08-10 10:00 +0000"):
        answered, _ = sent_link(world)
        sent_link(world)  # never answered
        services.family_feedback_submit(link=answered, answers=parent_answers())
        services.feedback_record(
            actor=world.users["lead_practitioner"],
            case=world.case,
            occasion="review",
            respondent=Respondent.PARENT,
            answers={"listened": "yes", "respect": "no"},
        )
        services.feedback_record(
            actor=world.users["lead_practitioner"], case=world.case, occasion="review", respondent=Respondent.CHILD, answers={"home": "good"}
        )
    quarter = quarter_of(date(2026, 8, 10))
    values = selectors.quarter_measures(quarter=quarter)
    assert (values["feedback_links_sent"], values["feedback_links_answered"], values["feedback_response_rate_pct"], values["feedback_in_person"]) == (
        2,
        1,
        50.0,
        2,
    )
    parents = {row["question_id"]: row for row in values["feedback_parent_by_question"]}
    assert dict(parents["listened"]["answers"]) == {"Yes": 1, "Partly": 1, "No": 0, "Not sure": 0}
    assert parents["respect"]["answered"] == 2
    assert parents["anything_else"] == {**parents["anything_else"], "answers": [], "answered": 1}
    assert "The school nurse" not in str(values)  # free text is counted, never shown
    children = {row["question_id"]: row for row in values["feedback_child_by_question"]}
    assert dict(children["home"]["answers"])["Good"] == 1
    empty = selectors.quarter_measures(quarter=quarter.next())
    assert empty["feedback_response_rate_pct"] is None and empty["feedback_parent_by_question"] == []


def test_every_declared_measure_has_a_value():
    values = selectors.quarter_measures(quarter=quarter_of(date(2026, 5, 1)))
    for measure in selectors.MEASURES:
        assert measure.key in values
        assert all(key in values for key in measure.derived_from)
