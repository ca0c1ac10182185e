"""The quality measures on the dashboard: audit grades by question for the rounds closed in the quarter, cases good or better for the
plan's impact and the use of the Graded Care Profile, the family feedback response rate and answers by question; their values on a
small known quarter, what publication hides, and that the snapshot, page, CSV and PDF carry them."""

import pytest
import time_machine

from dashboard.disclosure import WITHHELD, published_values
from dashboard.exports import quarter_csv_rows
from dashboard.models import DashboardSnapshot, SnapshotStatus
from dashboard.selectors import catalogue, compute_measures
from dashboard.services import snapshot_request
from neglect_portal.quarters import parse_quarter
from quality import services
from quality.models import Grade, Respondent, SampledCase
from tests.factories import make_case
from tests.quality.builders import audit_round, parent_answers, sent_link

pytestmark = pytest.mark.django_db

Q = parse_quarter("2025-26-Q4")  # 1 January to 31 March 2026
ROUND = "Neglect at early help (closed 10 February 2026)"
IMPACT = "Impact on the child: has the plan made a positive difference to the child's daily life?"
TOOLS = "Use of tools: was the Graded Care Profile 2 used well, and did it shape the plan?"
SMALL = "fewer than 5"


def _moderate(world, sampled, **grades):
    agreed = {question.id: (grades.get(question.id, Grade.GOOD), "") for question in sampled.audit_round.questions}
    services.moderation_record(actor=world.users["lead_manager"], sampled_case=sampled, grades=agreed, overall_grade=Grade.GOOD, summary="Agreed")


@pytest.fixture
def quality_quarter(world):
    """In 2025-26-Q4: one round of seven cases closed on 10 February (impact: 1 outstanding, 5 good, 1 requires improvement; tools:
    6 good, 1 inadequate; every other question good); ten feedback links sent, five answered online, and one parent's answers recorded
    in person (listened "yes", respect "no"). A round closed the quarter after is left out."""
    with time_machine.travel("2026-01-15 10:00 +0000", tick=False):
        links = [sent_link(world)[0] for _ in range(10)]
        for link in links[:5]:
            services.family_feedback_submit(link=link, answers=parent_answers())
        services.feedback_record(
            actor=world.users["lead_practitioner"],
            case=world.case,
            occasion="review",
            respondent=Respondent.PARENT,
            answers={"listened": "yes", "respect": "no"},
        )
        cases = [world.case, *(make_case(world.health, team=[world.school]) for _ in range(6))]
        round_ = audit_round(world, cases=cases)
        sample = list(SampledCase.objects.filter(audit_round=round_).select_related("audit_round__question_set", "case").order_by("reference"))
        impact = [Grade.OUTSTANDING, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT]
        tools = [Grade.GOOD] * 6 + [Grade.INADEQUATE]
        for sampled, impact_grade, tools_grade in zip(sample, impact, tools, strict=True):
            _moderate(world, sampled, impact=impact_grade, use_of_tools=tools_grade)
    with time_machine.travel("2026-02-10 12:00 +0000", tick=False):
        services.audit_round_close(actor=world.users["admin"], audit_round=round_)
    with time_machine.travel("2026-04-02 12:00 +0000", tick=False):
        later = audit_round(world, title="Closed next quarter")
        for sampled in SampledCase.objects.filter(audit_round=later).select_related("audit_round__question_set", "case"):
            _moderate(world, sampled, impact=Grade.INADEQUATE)
        services.audit_round_close(actor=world.users["admin"], audit_round=later)
    return round_


def _row(rows, question, group=ROUND):
    return next(row for row in rows if row["question"] == question and row["group"] == group)


def _parent_row(values, question_id):
    text = {"listened": "listen to you", "understood": "understand why"}[question_id]
    return next(row for row in values["feedback_parent_by_question"] if text in row["question"].lower())


def test_the_quarter_holds_each_quality_measure_counted_by_hand(quality_quarter):
    values = compute_measures(quarter=Q)
    assert (values["audit_impact_cases"], values["audit_impact_good_pct"], values["basis"]["audit_impact_good_pct"]) == (7, 85.7, {"n": 6, "d": 7})
    assert (values["audit_gcp_cases"], values["audit_gcp_good_pct"], values["basis"]["audit_gcp_good_pct"]) == (7, 85.7, {"n": 6, "d": 7})
    assert {row["group"] for row in values["audit_grades_by_question"]} == {ROUND}  # the round closed in April is the next quarter's
    impact = _row(values["audit_grades_by_question"], IMPACT)
    assert impact["counts"] == [["Outstanding", 1], ["Good", 5], ["Requires improvement", 1], ["Inadequate", 0]]
    assert (impact["total"], impact["pct"], impact["tag"]) == (7, 85.7, "impact_of_plan")
    assert _row(values["audit_grades_by_question"], TOOLS)["counts"] == [["Outstanding", 0], ["Good", 6], ["Requires improvement", 0], ["Inadequate", 1]]
    assert (values["feedback_links_sent"], values["feedback_response_rate_pct"], values["basis"]["feedback_response_rate_pct"]) == (10, 50.0, {"n": 5, "d": 10})
    assert values["feedback_in_person"] == 1
    listened = _parent_row(values, "listened")
    assert (listened["counts"], listened["total"]) == ([["Yes", 1], ["Partly", 5], ["No", 0], ["Not sure", 0]], 6)
    assert values["feedback_child_by_question"] == []
    following = compute_measures(quarter=Q.next())
    assert (following["audit_impact_cases"], following["audit_impact_good_pct"], following["feedback_links_sent"]) == (1, 0.0, 0)


def test_publication_hides_small_counts_and_whatever_gives_them_away(quality_quarter):
    published = published_values(compute_measures(quarter=Q), catalogue())
    # Impact: 1 outstanding and 1 requires improvement cannot be hidden beside 5 good and a total of 7 (7 - 5 = 2 gives both): no cells.
    impact = _row(published["audit_grades_by_question"], IMPACT)
    assert (impact["counts"], impact["total"], impact["pct"]) == (None, 7, WITHHELD)
    # Tools: the one inadequate is suppressed and the 6 good withheld, else 7 - 6 gives it back.
    tools = _row(published["audit_grades_by_question"], TOOLS)
    assert tools["counts"] == [["Outstanding", 0], ["Good", WITHHELD], ["Requires improvement", 0], ["Inadequate", SMALL]]
    # 6 of 7 good or better leaves 1 not: both percentages withheld; the counts of cases (7) are safe.
    assert (published["audit_impact_cases"], published["audit_impact_good_pct"]) == (7, WITHHELD)
    assert (published["audit_gcp_cases"], published["audit_gcp_good_pct"]) == (7, WITHHELD)
    # 5 of 10 links answered: numerator, denominator and complement all above 4, so the rate is printed.
    assert (published["feedback_links_sent"], published["feedback_response_rate_pct"], published["feedback_in_person"]) == (10, 50.0, SMALL)
    listened = _parent_row(published, "listened")
    assert (listened["counts"], listened["total"]) == (None, 6)  # 6 - 5 would give the one "yes" away
    understood = _parent_row(published, "understood")
    assert (understood["counts"], understood["total"]) == ([["Yes", 5], ["Partly", 0], ["No", 0], ["Not sure", 0]], 5)


def test_a_snapshot_keeps_the_quality_measures_and_the_csv_and_pdf_print_them(quality_quarter, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_request(quarter=Q, requested_by=world.users["admin"])
    snapshot = DashboardSnapshot.objects.get(quarter=Q.name)
    assert snapshot.status == SnapshotStatus.DONE
    assert (snapshot.measures["audit_impact_cases"], snapshot.measures["feedback_response_rate_pct"]) == (7, 50.0)
    assert _row(snapshot.measures["audit_grades_by_question"], TOOLS)["counts"][3] == ["Inadequate", 1]
    assert snapshot.measures["basis"]["audit_gcp_good_pct"] == {"n": 6, "d": 7}
    rows = list(quarter_csv_rows(quarter=Q, for_publication=True))
    tools = [row for row in rows if row[1] == "audit_grades_by_question" and row[9] == TOOLS]
    assert [(row[4], row[5]) for row in tools] == [
        ("Outstanding", 0),
        ("Good", WITHHELD),
        ("Requires improvement", 0),
        ("Inadequate", SMALL),
        ("total", 7),
        ("good or better %", WITHHELD),
    ]
    assert all(row[8] == ROUND for row in tools)
    internal = [row for row in quarter_csv_rows(quarter=Q, for_publication=False) if row[1] == "feedback_in_person" and row[4] == "count"]
    assert internal[0][5] == 1
    assert b"%PDF" == bytes(snapshot.pdf[:4])


def test_the_page_shows_the_tables_with_suppression_for_publication(quality_quarter, world, client_for):
    from dashboard.pdf import report_context

    context = report_context(quarter=Q, values=compute_measures(quarter=Q), history={}, for_publication=True)
    section = next(s for s in context["sections"] if s["theme"] == "quality")
    grades = next(row for row in section["rows"] if row["measure"].key == "audit_grades_by_question")
    table = grades["tables"][0]
    assert (table["group"], table["labels"], table["has_pct"]) == (ROUND, ["Outstanding", "Good", "Requires improvement", "Inadequate"], True)
    impact = next(r for r in table["rows"] if r["question"] == IMPACT)
    assert (impact["cells"], impact["total"], impact["pct"]) == ([WITHHELD] * 4, "7", WITHHELD)
    client = client_for(world.users["strategy"])
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        page = client.get(f"/dashboard/{Q.name}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="tile-audit_grades_by_question"' in body and 'data-testid="tile-feedback_response_rate_pct"' in body
    assert ROUND in body and "Did workers listen to you?" in body
