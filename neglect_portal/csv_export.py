"""The one way the portal writes CSV: every cell defused, so a spreadsheet never runs it as a formula.

A cell that a spreadsheet program (Excel, LibreOffice, Google Sheets) would read as a formula or a
command starts with = + - @, a tab or a carriage return, possibly after spaces, or with the
full-width or small forms of those signs (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫), which some programs fold to the
ASCII ones. Such a cell is written with a leading apostrophe, which spreadsheets show as text and
do not evaluate (OWASP, "CSV Injection"). The apostrophe is visible in a text editor; that is the
price of a file that is safe to double-click.

Finite numbers (int, float, Decimal; not bool) are written as they are: Python prints them as digits
with at most a leading minus sign, which every spreadsheet reads as a number, never as a formula.
Infinities and NaN print as words (`-inf`, `-Infinity`) that a spreadsheet would try as a formula, so
they are written as text and defused like any other.

Every CSV download (the access log, the dashboard's measures, Annex A lists) is written here:
`csv_rows` for the lines, `csv_response` to stream them, `csv_text` for a whole file in memory.
"""

import csv
import io
import math
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

# What a spreadsheet may take as the start of a formula or a command.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠﹦﹢﹣﹫")


def csv_cell(value) -> str | int | float | Decimal:
    """`value` as one safe CSV cell: "" for None, numbers as they are, text with a leading ' when it could run."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if (isinstance(value, float) and math.isfinite(value)) or (isinstance(value, Decimal) and value.is_finite()):
        return value
    text = str(value)
    if text[:1] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


class _Echo:
    """A file whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_rows(rows: Iterable[Iterable]) -> Iterable[str]:
    """Each row as one CSV line (header rows too), every cell through `csv_cell`."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable]) -> str:
    """The whole file as text (for files that are stored or small)."""
    out = io.StringIO()
    for line in csv_rows(rows):
        out.write(line)
    return out.getvalue()


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A download of `rows`, streamed line by line (an export of the whole access log never sits in memory)."""
    response = StreamingHttpResponse(csv_rows(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
