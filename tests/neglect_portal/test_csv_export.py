"""The one CSV writer: no cell a spreadsheet could run as a formula, whatever the text (docs/security.md)."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neglect_portal.csv_export import FORMULA_TRIGGERS, csv_cell, csv_response, csv_rows, csv_text

ROOT = Path(__file__).resolve().parents[2]

# The signs a spreadsheet may start a formula or command with, and what can come before them.
TRIGGERS = "=+-@\t\r＝＋－＠"
text_near_triggers = st.text(alphabet=st.sampled_from(TRIGGERS + " \u00a0\u3000\n'xA1(\"|,;"), max_size=12)
cells = st.one_of(
    st.none(),
    st.text(),
    text_near_triggers,
    st.builds(
        lambda pad, sign, rest: pad + sign + rest, st.text(alphabet=" \t\r\n\u00a0\u2003\u3000", max_size=4), st.sampled_from(TRIGGERS), st.text(max_size=10)
    ),
)


def _read(text):
    return list(csv.reader(io.StringIO(text)))


@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5))
def test_no_written_cell_can_start_a_formula(rows):
    """After stripping leading whitespace, no text cell starts with a trigger unless the apostrophe comes first."""
    for row in _read(csv_text(rows)):
        for cell in row:
            assert cell[:1] == "'" or cell.lstrip()[:1] not in FORMULA_TRIGGERS, repr(cell)
            assert cell[:1] not in frozenset(TRIGGERS), repr(cell)  # nor a tab or CR first


@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5))
def test_nothing_is_lost_but_the_apostrophe(rows):
    """A defused cell reads back as the text with one apostrophe before it; others read back unchanged."""
    written = _read(csv_text(rows))
    for row, back in zip(rows, written):
        for value, cell in zip(row, back):
            text = "" if value is None else value
            assert cell in (text, "'" + text)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        " =1+1",
        "   @cmd",
        "\u00a0=1",
        "\u3000=1",
        "\n=1",  # whitespace before the sign
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        " ＝1",  # full-width forms
    ],
)
def test_each_trigger_is_defused(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Riverside School", "1 = 1", "a@b.example", "", "'=already quoted"])
def test_plain_text_is_left_alone(text):
    assert csv_cell(text) == text


def test_numbers_stay_numbers_and_none_is_empty():
    assert [csv_cell(v) for v in (None, 0, -3, 12.5, -0.5, Decimal("-1.25"))] == ["", 0, -3, 12.5, -0.5, Decimal("-1.25")]
    assert csv_cell(True) == "True"


def test_the_streaming_response_defuses_and_names_the_file():
    response = csv_response(iter([["name"], ["=cmd|' /C calc'!A0"], [" +1"]]), filename="x.csv")
    body = b"".join(response.streaming_content).decode()
    assert _read(body) == [["name"], ["'=cmd|' /C calc'!A0"], ["' +1"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"' and response["Content-Type"].startswith("text/csv")
    assert "".join(csv_rows([["a", None]])) == "a,\r\n"


def test_every_csv_export_writes_through_the_one_writer():
    """No product module but neglect_portal/csv_export.py builds a csv.writer (reading CSV is fine)."""
    writers = []
    packages = [p for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in {"tests", "bench"}]
    for path in (path for package in packages for path in package.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative == Path("neglect_portal/csv_export.py"):
            continue
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(errors="replace")):
            writers.append(str(relative))
    assert writers == []


numbers = st.one_of(st.integers(), st.floats(), st.decimals())


@given(st.lists(numbers, min_size=1, max_size=8))
def test_a_number_is_written_as_a_number_or_defused(values):
    """A cell that starts with a sign is a number a spreadsheet reads as one; infinities and NaN (printed
    as words such as `-inf` or `-sNaN`) are defused like text."""
    (row,) = _read(csv_text([values]))
    for cell in row:
        if cell.lstrip()[:1] in FORMULA_TRIGGERS:
            float(cell)  # only a finite number starts with a sign without the apostrophe
            assert cell.lstrip("-+")[:1].isdigit() or cell.lstrip("-+")[:1] == "."


@pytest.mark.parametrize("value", [float("-inf"), float("inf"), float("nan"), Decimal("-Infinity"), Decimal("-NaN"), Decimal("-sNaN")])
def test_infinities_and_nan_are_written_as_defused_text(value):
    assert csv_cell(value) in ("'" + str(value), str(value))
    assert str(csv_cell(value)).lstrip()[:1] not in FORMULA_TRIGGERS
