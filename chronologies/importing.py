"""Reading an agency's CSV of chronology entries: what each row would create, and what is wrong with each.

An agency exports events from its own system (school attendance, A&E attendances, police call-outs)
and uploads them. The file is read whole and every row is checked before anything is written: a
dry run shows what would be created and every bad row with its row number, column and reason; the
import itself (services.chronology_import) creates the good rows and skips the bad ones, so one
bad row never loses the good ones.

Two rules protect children's records:

* A row attaches only to a child the importing user can already see (`children_visible_to`),
  found by exact identifiers. Every other row gets the same error, "no child you can see matches
  these identifiers", whether or not such a child exists: an import never reveals a child.
* `external_id` is the agency's own id for the event, unique per agency: importing the same file
  again creates nothing twice; rows already imported are listed as skipped, not as errors.
"""

import csv
import io
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import reduce

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from agencies.access import children_visible_to
from cases.selectors import ChildIdentifiers
from concerns.models import NeglectType

from .models import ChronologyEntry, DatePrecision, EntryKind, Significance

MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 5_000

NO_VISIBLE_CHILD = "No child you can see matches these identifiers"
SEVERAL_CHILDREN = "These identifiers match more than one child you can see: add the NHS number or unique pupil number"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    example: str = ""


COLUMNS = [
    Column(
        "external_id", True, "Your system's id for the event. Unique within your agency: a row whose id was imported before is skipped.", "ATT-2026-T1-0042"
    ),
    Column("given_name", False, "The child's given name. Give the name and date of birth, or the NHS number, or the unique pupil number.", "Sam"),
    Column("family_name", False, "The child's family name.", "Jones"),
    Column("date_of_birth", False, "The child's date of birth, as 2015-06-01 or 01/06/2015.", "2015-06-01"),
    Column("nhs_number", False, "The child's NHS number, 10 digits (spaces allowed).", "943 476 5919"),
    Column("upn", False, "The child's unique pupil number, 13 characters."),
    Column("date", True, "When it happened, as 2026-03-14 or 14/03/2026. Today or earlier.", "2026-04-01"),
    Column("kind", True, "What kind of event: one of the codes listed below (or its name).", "school_attendance"),
    Column("summary", True, "What happened.", "Spring term attendance"),
    Column(
        "impact_on_child",
        True,
        "The impact on the child. Required: the chronology is about the child's experience.",
        "Missed 14 days of learning; behind in reading",
    ),
    Column("action_taken", False, "What your agency did.", "Attendance meeting booked"),
    Column("significance", False, "routine (the default), significant or critical.", "significant"),
    Column("date_precision", False, "day (the default), month (only the month is known) or approximate.", "day"),
    Column("neglect_types", False, "Types of neglect, separated by semicolons: " + "; ".join(NeglectType.values) + ".", "educational"),
    Column("attendance_percentage", False, "For school_attendance rows: attendance over the period, from 0 to 100.", "84.5"),
    Column("restricted", False, "yes to restrict the entry to your agency and children's social care; no (the default) otherwise.", "no"),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
IDENTIFIER_COLUMNS = ["given_name", "family_name", "date_of_birth", "nhs_number", "upn"]
# Model field -> the CSV column a message about it belongs to.
FIELD_COLUMNS = {"occurred_on": "date", NON_FIELD_ERRORS: "child identifiers"}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV text, missing columns, too big): nothing is checked."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class PlannedEntry:
    """A good row: the entry it will create (unsaved; agency and author are set on import)."""

    row: int
    entry: ChronologyEntry


@dataclass
class ImportPlan:
    planned: list[PlannedEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    already_imported: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rows_with_errors(self):
        return sorted({error.row for error in self.errors})


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(f"The file must be {MAX_FILE_BYTES // 1_000_000} MB or smaller")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError("The file must be a CSV saved as UTF-8 text") from error


def _read(text: str) -> list[tuple[int, dict]]:
    """(row number, cells by column) for each row; the header is row 1, as in a spreadsheet."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise ImportFileError("The file is empty: the first row must name the columns")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(f"The first row must name the columns; missing: {', '.join(missing)}")
    if not any(name in header for name in IDENTIFIER_COLUMNS):
        raise ImportFileError("The file needs columns that identify the child: given_name, family_name and date_of_birth, or nhs_number, or upn")
    reader.fieldnames = header
    rows = []
    for number, cells in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")
        clean = {name: (value or "").strip() for name, value in cells.items() if name in COLUMN_NAMES}
        if any(clean.values()):
            rows.append((number, clean))
    return rows


def _date(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _choice(value: str, choices, default=""):
    """A code or its name, in any case, -> the code; None when it is neither."""
    if not value:
        return default
    lowered = value.lower()
    for code, label in choices:
        if lowered in (code, label.lower()):
            return code
    return None


class _Row:
    """Checks one row's cells, collecting an error per bad column."""

    def __init__(self, number, cells):
        self.number, self.cells, self.errors = number, cells, []

    def error(self, column, message):
        self.errors.append(RowError(self.number, column, message))

    def text(self, column):
        return self.cells.get(column, "")

    def date(self, column, *, what):
        value = self.text(column)
        if not value:
            return None
        try:
            return _date(value)
        except ValueError:
            self.error(column, f"Enter {what} as a real date, like 2026-03-14 or 14/03/2026 (not “{value[:20]}”)")
            return None

    def choice(self, column, choices, default, *, what):
        code = _choice(self.text(column), choices, default)
        if code is None:
            self.error(column, f"{what} must be one of: {', '.join(code for code, _ in choices)}")
        return code

    def identifiers(self):
        """The row's checked identifiers, or None (with errors recorded) when they cannot be used."""
        errors_before = len(self.errors)
        identifiers = ChildIdentifiers(
            given_name=self.text("given_name"),
            family_name=self.text("family_name"),
            date_of_birth=self.date("date_of_birth", what="the date of birth"),
            nhs_number=self.text("nhs_number"),
            upn=self.text("upn"),
        )
        if len(self.errors) > errors_before:
            return None
        try:
            return identifiers.checked()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.error(FIELD_COLUMNS.get(key, key), " ".join(messages))
            return None


def _content(row: _Row) -> dict | None:
    """The entry's content columns from a row, or None (with errors recorded) when any is wrong."""
    occurred_on = row.date("date", what="the date")
    if not row.text("date"):
        row.error("date", "Enter the date of the event")
    kind = row.choice("kind", EntryKind.choices, "", what="The kind")
    if not row.text("kind"):
        row.error("kind", "Enter the kind of event")
    if not row.text("summary"):
        row.error("summary", "Say what happened")
    if not row.text("impact_on_child"):
        row.error("impact_on_child", "Describe the impact on the child")
    significance = row.choice("significance", Significance.choices, Significance.ROUTINE, what="The significance")
    precision = row.choice("date_precision", DatePrecision.choices, DatePrecision.DAY, what="The date precision")
    neglect_types = []
    for part in filter(None, (part.strip() for part in row.text("neglect_types").split(";"))):
        code = _choice(part, NeglectType.choices)
        if code is None:
            row.error("neglect_types", f"“{part[:30]}” is not a type of neglect; use: {', '.join(NeglectType.values)}")
        neglect_types.append(code)
    percentage = None
    if row.text("attendance_percentage"):
        try:
            percentage = Decimal(row.text("attendance_percentage").rstrip("%"))
        except InvalidOperation:
            row.error("attendance_percentage", "Enter the attendance as a number from 0 to 100, like 86.5")
    restricted = row.text("restricted").lower()
    if restricted not in YES | NO:
        row.error("restricted", "Enter yes or no")
    if row.errors:
        return None
    if precision == DatePrecision.MONTH:
        occurred_on = occurred_on.replace(day=1)
    return {
        "occurred_on": occurred_on,
        "date_precision": precision,
        "kind": kind,
        "summary": row.text("summary"),
        "impact_on_child": row.text("impact_on_child"),
        "action_taken": row.text("action_taken"),
        "significance": significance,
        "attendance_percentage": percentage,
        "restricted": restricted in YES,
        **{kind.field_name: kind.value in neglect_types for kind in NeglectType},
    }


def _check_entry(row: _Row, entry: ChronologyEntry) -> None:
    """The model's own rules (required text, dates not in the future, attendance only for attendance)."""
    messages = defaultdict(list)
    for check in (lambda: entry.clean_fields(exclude=["child", "agency", "author"]), entry.clean):
        try:
            check()
        except ValidationError as error:
            for key, found in error.message_dict.items():
                messages[FIELD_COLUMNS.get(key, key)] += found
    for column, found in messages.items():
        for message in dict.fromkeys(found):
            row.error(column, message)


class _VisibleChildren:
    """The children the user can see that any row's identifiers could match, fetched in one query."""

    def __init__(self, user, identifiers):
        conditions = [condition for each in identifiers for condition in each.lookups()]
        self.children = list(children_visible_to(user).filter(reduce(operator.or_, conditions))) if conditions else []

    def match(self, identifiers: ChildIdentifiers):
        """The visible children the identifiers pick out, in the order of `ChildIdentifiers.lookups`:
        the NHS number or UPN decides when it finds anyone; otherwise the name and date of birth."""
        if identifiers.nhs_number or identifiers.upn:
            found = [
                child
                for child in self.children
                if (identifiers.nhs_number and child.nhs_number == identifiers.nhs_number) or (identifiers.upn and child.upn == identifiers.upn)
            ]
            if found:
                return found
        if not identifiers.has_name_and_birth_date:
            return []
        name = (identifiers.given_name.upper(), identifiers.family_name.upper())
        return [
            child
            for child in self.children
            if child.date_of_birth == identifiers.date_of_birth and (child.given_name.upper(), child.family_name.upper()) == name
        ]


def plan_import(*, user, agency_id: int, text: str) -> ImportPlan:
    """Check every row of `text` for `user` importing for their agency; write nothing.

    Queries: one for the children the rows could match, one for the agency's external ids already
    used. That second read is the one place entries are read without the access layer, and it reads
    only the importing agency's own external ids (never an entry's content or its child): an id
    the agency used on a child this user can no longer see must still not be imported twice.
    """
    if len(text) > MAX_FILE_BYTES:  # the confirm step's text comes from the page, not the checked upload
        raise ImportFileError(f"The file must be {MAX_FILE_BYTES // 1_000_000} MB or smaller")
    rows = [_Row(number, cells) for number, cells in _read(text)]
    plan = ImportPlan()
    first_row_of = {}
    for row in rows:
        external_id = row.text("external_id")
        if not external_id:
            row.error("external_id", "Enter your system's id for the event")
        elif len(external_id) > 100:
            row.error("external_id", "The external id must be 100 characters or fewer")
        elif external_id in first_row_of:
            row.error("external_id", f"The external id {external_id} is also on row {first_row_of[external_id]}: each event once")
        else:
            first_row_of[external_id] = row.number
    used = set(ChronologyEntry.objects.filter(agency_id=agency_id, external_id__in=list(first_row_of)).values_list("external_id", flat=True))
    identifiers = {row.number: row.identifiers() for row in rows}
    children = _VisibleChildren(user, [each for each in identifiers.values() if each is not None])
    for row in rows:
        external_id = row.text("external_id")
        if external_id in used and first_row_of.get(external_id) == row.number:
            plan.already_imported.append((row.number, external_id))
            continue
        content = _content(row)
        child = _child(row, identifiers[row.number], children)
        if not row.errors:
            entry = ChronologyEntry(child=child, external_id=external_id, **content)
            _check_entry(row, entry)
        if row.errors:
            plan.errors.extend(row.errors)
            continue
        plan.planned.append(PlannedEntry(row=row.number, entry=entry))
    return plan


def _child(row: _Row, identifiers: ChildIdentifiers | None, children: _VisibleChildren):
    if identifiers is None:
        return None
    matches = children.match(identifiers)
    if not matches or (len(matches) == 1 and identifiers.contradicts(matches[0])):
        row.error("child identifiers", NO_VISIBLE_CHILD)
        return None
    if len(matches) > 1:
        row.error("child identifiers", SEVERAL_CHILDREN)
        return None
    return matches[0]
