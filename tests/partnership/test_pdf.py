"""The dashboard report's action-plan summary and cover: counts of plan rows are never suppressed,
red rows carry their objective and progress note, the partnership's name and logo come from its profile."""

import io
import subprocess

import pytest
from PIL import Image

from dashboard.pdf import dashboard_pdf, report_context
from dashboard.selectors import compute_measures, measures_history
from neglect_portal.quarters import parse_quarter
from partnership.models import PartnershipProfile, Rag

from .conftest import make_row, make_update

Q3 = parse_quarter("2025-26-Q3")


@pytest.fixture
def red_and_green(plans):
    red = make_row(plans.own, plans.strategy, objective="Every school has a neglect lead")
    make_update(red, "2025-26-Q3", Rag.RED, "Only 12 of 40 schools have named a lead")
    green = make_row(plans.other, plans.admin, objective="Officers use the neglect toolkit")
    make_update(green, "2025-26-Q3", Rag.GREEN, "All response officers trained")
    return plans


def _context(for_publication):
    values = compute_measures(quarter=Q3)
    return report_context(quarter=Q3, values=values, history=measures_history(quarter=Q3, current=values), for_publication=for_publication)


def _section(context):
    return next(section for section in context["sections"] if section["theme"] == "action_plans")


def test_counts_of_plan_rows_are_not_suppressed_for_publication(red_and_green):
    (row,) = _section(_context(for_publication=True))["rows"]
    assert row["rows"] == [
        {"agency": "County Police", "red": 0, "amber": 0, "green": 1, "complete": 0},
        {"agency": "Public Health", "red": 1, "amber": 0, "green": 0, "complete": 0},
    ]
    assert row["chart"]["uri"].startswith("data:image/svg+xml;base64,")


def _pdf_text(tmp_path, context):
    path = tmp_path / "report.pdf"
    path.write_bytes(dashboard_pdf(context=context))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split()), images


def test_the_published_report_has_the_action_plan_summary_with_red_rows(red_and_green, tmp_path):
    text, _ = _pdf_text(tmp_path, _context(for_publication=True))
    assert "Agency action plans" in text and "Red rows at the end of the quarter" in text
    assert "Public Health: Every school has a neglect lead" in text
    assert "Only 12 of 40 schools have named a lead" in text
    assert "Officers use the neglect toolkit" not in text  # green rows are counted, not listed


def test_the_cover_carries_the_profiles_name_and_logo(world, tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#1d70b8").save(buffer, format="PNG")
    PartnershipProfile.objects.create(pk=1, name="Shire Safeguarding Children Partnership", logo=buffer.getvalue(), logo_type="image/png")
    text, images = _pdf_text(tmp_path, _context(for_publication=False))
    assert text.startswith("Shire Safeguarding Children Partnership")
    assert " 120 " in images and " 40 " in images  # the logo, embedded at its own size
