"""The action-plan RAG chart: one scale, split into page-sized parts for a partnership of many agencies."""

import base64
import re
from types import SimpleNamespace

from partnership.charts import AGENCIES_PER_CHART, rag_charts

MEASURE = SimpleNamespace(title="Action plan rows by RAG")


def _rows(count):
    return [{"agency": f"Agency {n:02}", "red": n % 3, "amber": 1, "green": 2, "complete": 0} for n in range(count)]


def test_no_chart_when_no_row_has_a_status():
    assert rag_charts(MEASURE, [{"agency": "Police", "red": 0, "amber": 0, "green": 0, "complete": 0}]) == []


def test_a_few_agencies_make_one_chart_with_every_agency_in_its_description():
    (chart,) = rag_charts(MEASURE, _rows(5))
    assert chart["alt"].startswith("Stacked bar chart: Action plan rows by RAG. Agency 00: 0 red, 1 amber, 2 green, 0 complete")
    assert all(f"Agency {n:02}" in chart["alt"] for n in range(5))


def test_forty_agencies_are_split_into_parts_that_each_fit_a_page_and_name_every_agency_once():
    charts = rag_charts(MEASURE, _rows(40))
    assert len(charts) == 2 and charts[0]["alt"].startswith("Stacked bar chart: Action plan rows by RAG (1 of 2).")
    described = " ".join(chart["alt"] for chart in charts)
    assert all(described.count(f"Agency {n:02}:") == 1 for n in range(40))
    assert all(chart["alt"].count("Agency ") <= AGENCIES_PER_CHART for chart in charts)
    heights = [int(re.search(r'<svg[^>]* height="(\d+)"', _svg(chart)).group(1)) for chart in charts]
    assert max(heights) <= 140 + 34 * AGENCIES_PER_CHART  # the tallest part still fits an A4 page at this size


def _svg(chart):
    return base64.b64decode(chart["uri"].split(",", 1)[1]).decode()
