"""A round's report: its grades by question (a chart and the same numbers as a table), each case's agreed grades by
reference, the learning points and the actions with their progress, as a page and as a PDF (WeasyPrint).

The report names no child and no case number: cases are "Case A", "Case B"... in the order they were
sampled, so it can go to the strategy group and the agencies' boards. Evidence, notes and the
moderator's summaries stay with the audit (the auditors' pages). The PDF goes through the portal's
one renderer (neglect_portal/pdf.py: `data:` URIs and static files only); the view writes its one
EXPORT audit row once the file is made.
"""

from pathlib import Path

import pygal
from django.template.loader import render_to_string
from django.utils import timezone

from neglect_portal.charts import chart_style, svg_data_uri
from neglect_portal.pdf import render_pdf
from partnership.selectors import partnership_profile

from . import selectors
from .models import Grade, LearningActionStatus

STYLESHEET = Path(__file__).resolve().parent / "report.css"

# GOV.UK colours from best to worst, and grey for not applicable; the table beside the chart carries the same numbers.
GRADE_COLOURS = {
    Grade.OUTSTANDING: "#1d70b8",
    Grade.GOOD: "#00703c",
    Grade.REQUIRES_IMPROVEMENT: "#f47738",
    Grade.INADEQUATE: "#d4351c",
    Grade.NOT_APPLICABLE: "#b1b4b6",
}
_STYLE = chart_style(GRADE_COLOURS.values())


def grades_chart(rows):
    """Agreed grades by question as stacked bars (None when nothing is moderated yet), with alt text saying the same."""
    if not any(row["counts"][grade] for row in rows for grade in Grade.values):
        return None
    top = max(sum(row["counts"].values()) for row in rows)
    labels = [f"{index}. {row['question'].split(':')[0]}" for index, row in enumerate(rows, start=1)]
    chart = pygal.HorizontalStackedBar(
        js=[],
        style=_STYLE,
        width=800,
        height=160 + 34 * len(rows),
        explicit_size=True,
        title="Agreed grades by question",
        x_labels=list(reversed(labels)),
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        range=(0, top),
        y_labels=list(range(top + 1)),
        value_formatter=lambda value: f"{value:g}",
    )
    for grade, label in Grade.choices:
        chart.add(label, [row["counts"][grade] or None for row in reversed(rows)])
    described = "; ".join(f"{label}: " + ", ".join(f"{row['counts'][g]} {Grade(g).label.lower()}" for g in Grade.values) for label, row in zip(labels, rows))
    return {"uri": svg_data_uri(chart), "alt": f"Stacked bar chart of the agreed grades by question. {described}."}


def report_context(*, audit_round):
    """What the report page and the PDF show."""
    rows = selectors.round_grades_by_question(audit_round=audit_round)
    cases = selectors.round_case_grades(audit_round=audit_round)
    actions = selectors.round_actions(audit_round=audit_round)
    profile = partnership_profile()
    return {
        "audit_round": audit_round,
        "questions": audit_round.questions,
        # "Identification: was neglect recognised..." -> "Identification", for the grid's key.
        "question_names": [question.text.split(":")[0] for question in audit_round.questions],
        "rows": rows,
        "chart": grades_chart(rows),
        "cases": cases,
        "moderated": sum(1 for case in cases if case["sampled"].is_moderated),
        "auditors": selectors.round_auditors(audit_round=audit_round),
        "learning": selectors.round_learning(audit_round=audit_round),
        "actions": actions,
        "actions_done": sum(1 for action in actions if action.status == LearningActionStatus.DONE),
        "today": timezone.localdate(),
        "partnership": profile.name,
        "partnership_logo": profile.logo_uri,
        "generated_at": timezone.localtime(),
        "grades": Grade,
    }


def report_pdf(*, audit_round) -> bytes:
    return render_pdf(render_to_string("quality/round_report_pdf.html", report_context(audit_round=audit_round)), stylesheets=[STYLESHEET])
