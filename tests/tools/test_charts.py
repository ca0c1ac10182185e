"""The progress chart: pygal SVG with no script, usable as an <img> data URI, with alt text."""

import base64
import logging
from datetime import date
from xml.etree import ElementTree

from tools import charts, selectors

from .builders import all_grades, final_run

SVG = "{http://www.w3.org/2000/svg}"


def _progress(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=date(2026, 1, 12))
    final_run(world.case, user, values={**all_grades(3), "physical_care": 2}, on=date(2026, 3, 2))
    [progress] = selectors.child_progress(user=user, child=world.case.child)
    return progress


def test_the_chart_is_svg_with_a_bar_group_per_area_and_no_script(world):
    svg = charts.progress_chart_svg(_progress(world))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    labels = {element.text for element in root.iter(f"{SVG}text")}
    # Version 2 of the shipped GCP2 has no overall figure (docs/tools.md): one group per area only.
    assert {"Physical care", "Care of safety", "12 Jan 2026", "2 Mar 2026"} <= labels and "Overall" not in labels


def test_the_data_uri_holds_the_same_svg(world):
    progress = _progress(world)
    uri = charts.progress_chart_data_uri(progress)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert ElementTree.fromstring(base64.b64decode(uri.split(",", 1)[1])).tag == f"{SVG}svg"


def test_the_alt_text_says_what_changed(world):
    assert charts.progress_chart_alt(_progress(world)) == (
        "Bar chart of Graded Care Profile 2 scores from 2 assessments, 12 Jan 2026 to 2 Mar 2026; a higher score is worse. "
        "Physical care: 3 at first, 2 at the latest, better than the assessment before. "
        "Care of safety: 3 at first, 3 at the latest, the same as the assessment before. "
        "Emotional care (love and belonging): 3 at first, 3 at the latest, the same as the assessment before. "
        "Developmental care (esteem): 3 at first, 3 at the latest, the same as the assessment before."
    )


def test_the_chart_shows_the_last_six_runs_and_the_alt_text_says_so(world):
    user = world.users["lead_practitioner"]
    for month in range(1, 9):
        final_run(world.case, user, values=all_grades(1 + month % 5), on=date(2026, month, 1))
    [progress] = selectors.child_progress(user=user, child=world.case.child)
    legend = {element.text for element in ElementTree.fromstring(charts.progress_chart_svg(progress)).iter(f"{SVG}text")}
    assert "1 Mar 2026" in legend and "1 Feb 2026" not in legend
    assert "from 8 assessments, 1 Jan 2026 to 1 Aug 2026 (the chart shows the last 6)" in charts.progress_chart_alt(progress)


def test_the_chart_renders_in_a_pdf(world, caplog):
    """WeasyPrint logs an error for an image it cannot load; the chart loads."""
    from weasyprint import HTML

    progress = _progress(world)
    html = f'<p>Progress</p><img src="{charts.progress_chart_data_uri(progress)}" alt="{charts.progress_chart_alt(progress)}">'
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []


def test_a_broken_image_would_be_reported(caplog):
    """The check above can fail: WeasyPrint does report an image it cannot read."""
    from weasyprint import HTML

    with caplog.at_level("WARNING", logger="weasyprint"):
        HTML(string='<img src="data:image/svg+xml;base64,bm90IHN2Zw==" alt="">').write_pdf()
    assert any("image" in record.getMessage().lower() for record in caplog.records if record.levelno >= logging.WARNING)
