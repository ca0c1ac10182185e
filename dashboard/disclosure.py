"""Publication without disclosing a child: the one rule the published page, PDF and CSV apply.

A count of children from 1 to the threshold (`DASHBOARD_SUPPRESS_UP_TO`, 4 unless the partnership
sets another) is printed as "fewer than 5" (primary suppression), and every figure from which it
could be worked out is withheld as "not shown" (secondary suppression):

* a rate per 10,000 is published only with its count (rate x population gives the count back);
* a percentage is published only when its numerator, its denominator and their difference (the
  complement) are each 0 or above the threshold, and when the counts of other measures it is made
  of are published (a share and its whole give the part back);
* a mean or a median is published only over more children than the threshold;
* a count that holds another (children on plans, of whom those for neglect) is withheld when the
  difference of the two is small: both printed would give it;
* in an additive group (the breakdowns of a count by locality, age band, ethnicity and disability,
  and an agency's tool counts with their total) a suppressed cell must not be worked out from the
  total and the other cells: cells are withheld, smallest first, until no suppressed one can be
  (`recoverable`, which reasons as a reader would: a suppressed cell is 1 to the threshold, a
  withheld one above it). A breakdown whose total is not printed is not printed at all;
* a table of counts by question (audit grades by question, family answers by question) is an
  additive group row by row: each question's cells add up to its total, so a row is protected like
  a breakdown (its percentage printed only when every cell and the total are), and a row that cannot
  be protected prints its total alone. An audit count that adds up rows of that table (cases graded
  on the plan's impact, across the rounds closed in the quarter) is withheld when it would give a
  suppressed row total away, and its percentage good or better is printed only when every row it is
  made of is printed in full (else the percentage and the count give back a suppressed cell). In a
  row of grades the number good or better (outstanding plus good) and the number below good are
  guarded like cells: the total less one of them must not give a small other away;
* the trend shows each quarter as that quarter's own publication shows it, and the change since
  last quarter is printed only when both quarters' figures are; charts draw published points only,
  on a scale worked out from them alone (dashboard/charts.py).

Counts that are not children (action-plan rows by RAG) are not suppressed. The rule works on the
values `dashboard.selectors.compute_measures` returns (`basis` holds each percentage's numerator
and denominator); snapshots made before it kept no basis, so their percentages are withheld.
tests/dashboard/test_disclosure.py attacks every publication as a reader would (docs/dashboard.md,
"Disclosure control").
"""

from django.conf import settings

from quality.models import GOOD_OR_BETTER, Grade

from .measures import GRADES_BY_QUESTION

SMALL = "fewer than 5"  # the words at the default threshold; `small_words()` follows the setting
WITHHELD = "not shown"
UNBOUNDED = 10**12  # "above the threshold", as far as a reader can tell


def threshold():
    """The largest count of children that is suppressed (`DASHBOARD_SUPPRESS_UP_TO`, default 4)."""
    return getattr(settings, "DASHBOARD_SUPPRESS_UP_TO", 4)


def small_words():
    return f"fewer than {threshold() + 1}"


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_small(value):
    """A count of children from 1 to the threshold."""
    return _is_count(value) and 0 < value <= threshold()


def _safe(count):
    """A count that may be worked out by anyone: none, or more than the threshold."""
    return count == 0 or count > threshold()


def suppressed(value, *, for_publication):
    """Counts from 1 to the threshold print as "fewer than 5" in a published report, so no child can be recognised."""
    if for_publication and is_small(value):
        return small_words()
    return value


# --- Additive groups: parts that add up to a total --------------------------------------------------


def _range(value):
    """What a reader knows of a printed cell: the number, 1 to the threshold, or above the threshold."""
    if is_number(value):
        return value, value
    if value == WITHHELD:
        return threshold() + 1, UNBOUNDED
    return 1, threshold()


def recoverable(parts, total):
    """Whether a reader can work out a suppressed part (or total) exactly from the printed group.

    `parts` maps each part to what is printed for it, `total` likewise. With one equation
    (the parts add up to the total) and each cell's range as the reader knows it, the values a cell
    can take are exactly the whole numbers between its own bounds narrowed by the others'; a
    suppressed cell whose range narrows to one number is recovered.
    """
    small = small_words()
    ranges = {name: _range(value) for name, value in parts.items()}
    total_low, total_high = _range(total)
    low_sum = sum(low for low, _ in ranges.values())
    high_sum = sum(high for _, high in ranges.values())
    for name, (low, high) in ranges.items():
        if parts[name] != small:
            continue
        others_low, others_high = low_sum - low, high_sum - high
        if max(low, total_low - others_high) >= min(high, total_high - others_low):
            return True
    return total == small and max(total_low, low_sum) >= min(total_high, high_sum)


def subtotal_recoverable(printed, total, *, subtotal, parts):
    """Whether a reader can work out a small sum of some cells (cases graded good or better: outstanding plus good) from the rest.

    The sum is not printed, but it is the total less the other cells: when those are printed closely
    enough, it narrows to one number even though each of its own cells stays hidden. Only a sum of
    1 to the threshold needs protecting (a larger one could have been printed).
    """
    if not is_small(sum(parts[name] for name in subtotal)):
        return False
    inside = [_range(printed[name]) for name in subtotal]
    outside = [_range(value) for name, value in printed.items() if name not in subtotal]
    low, high = sum(lo for lo, _ in inside), sum(hi for _, hi in inside)
    total_low, total_high = _range(total)
    others_low, others_high = sum(lo for lo, _ in outside), sum(hi for _, hi in outside)
    return max(low, total_low - others_high) >= min(high, total_high - others_low)


def protect_group(parts, total, *, prefer=(), subtotals=()):
    """The group as printed: small parts suppressed, then the smallest others withheld until none can be recovered.

    `parts` maps names to counts and `total` is what is printed for their sum. Returns the printed
    parts, or None when no choice of cells protects them (the caller leaves the group out).
    `prefer` lists cells to withhold last on a tie of values; each of `subtotals` names cells whose
    sum a reader must not work out either when it is small (`subtotal_recoverable`).
    """
    printed = {name: suppressed(value, for_publication=True) for name, value in parts.items()}
    while recoverable(printed, total) or any(subtotal_recoverable(printed, total, subtotal=cells, parts=parts) for cells in subtotals):
        shown = [name for name, value in printed.items() if _is_count(value) and value > 0]
        if not shown:
            return None
        order = list(parts)
        smallest = min(shown, key=lambda name: (printed[name], name in prefer, order.index(name)))
        printed[smallest] = WITHHELD
    return printed


def published_agency_row(row):
    """One agency's row as printed for publication: small counts suppressed, and nothing left to recover them.

    Primary suppression turns counts of 1 to 4 into "fewer than 5". In an additive group (the
    tool counts and their `total`) a suppressed cell could be worked out from the others, so the
    next-smallest shown cell is withheld too (a part before the total on a tie, so the chart keeps
    its bar), and so on until none can (`recoverable`; as a last resort the total). A percentage
    (`*_pct`) is derived from the row's counts, so it is withheld whenever any of them is hidden.
    """
    counts = [key for key in row if key != "agency" and not key.endswith("_pct")]
    published = {key: (value if key == "agency" or key.endswith("_pct") else suppressed(value, for_publication=True)) for key, value in row.items()}
    if "total" in row:
        parts = [key for key in counts if key != "total"]
        group = {key: published[key] for key in parts}
        while recoverable(group, published["total"]):
            shown = [key for key in counts if _is_count(published[key]) and published[key] > 0]
            if not shown:
                break
            smallest = min(shown, key=lambda key: (published[key], key == "total"))
            published[smallest] = WITHHELD
            group = {key: published[key] for key in parts}
    if any(isinstance(published[key], str) for key in counts):
        published.update({key: WITHHELD for key in row if key.endswith("_pct") and row[key] is not None})
    return published


# --- Tables of counts by question ------------------------------------------------------------------


# An audit row's cells of "good or better": a reader knows their sum is the total less the other grades.
GOOD_OR_BETTER_LABELS = tuple(str(Grade(grade).label) for grade in GOOD_OR_BETTER)


def published_question_row(row):
    """One row of a `by_question` table as printed: the total suppressed, the cells protected as an additive group.

    `counts` becomes None when no choice of cells protects them (the total is printed alone); the
    row's percentage is printed only when every cell and the total are numbers (it then tells a
    reader nothing the cells do not). In a row of audit grades the count good or better (outstanding
    plus good) and the count below it are protected too: the total less one gives the other.
    """
    total = suppressed(row["total"], for_publication=True)
    parts = dict(row["counts"])
    subtotals = ()
    if all(label in parts for label in GOOD_OR_BETTER_LABELS):
        subtotals = (GOOD_OR_BETTER_LABELS, tuple(label for label in parts if label not in GOOD_OR_BETTER_LABELS))
    printed = protect_group(parts, total, subtotals=subtotals) if parts else {}
    counts = None if printed is None else [[label, printed[label]] for label, _ in row["counts"]]
    complete = counts is not None and is_number(total) and all(is_number(n) for _, n in counts)
    pct = row.get("pct")
    return {
        "group": row["group"],
        "question": row["question"],
        "tag": row.get("tag", ""),
        "counts": counts,
        "total": total,
        "pct": pct if pct is None or complete else WITHHELD,
    }


def _tagged_rows(published, tag):
    return [row for row in published.get(GRADES_BY_QUESTION) or [] if row.get("tag") == tag]


def _rows_complete(rows):
    return all(row["counts"] is not None and is_number(row["total"]) and all(is_number(n) for _, n in row["counts"]) for row in rows)


# --- A quarter's figures ---------------------------------------------------------------------------


def published_breakdown(dimensions, total):
    """A count's breakdowns as printed: None for a dimension that cannot be printed safely (or whose total is not)."""
    if not dimensions:
        return {}
    if not is_number(total):
        return dict.fromkeys(dimensions)
    return {dimension: protect_group(cells, total) for dimension, cells in dimensions.items()}


def published_values(values, measures):
    """A quarter's values as they may be published: the same keys, hidden figures as words, no `basis`.

    `measures` is the catalogue (every measure, shown or not: a rate needs its count's answer even
    when the count itself is not on the dashboard).
    """
    basis = values.get("basis") or {}
    published = {}
    counts = [m for m in measures if m.kind == "count"]
    for measure in measures:
        value = values.get(measure.key)
        if measure.kind == "count":
            published[measure.key] = suppressed(value, for_publication=True)
        elif measure.kind == "agency":
            published[measure.key] = [published_agency_row(row) for row in value or []]
        elif measure.kind == "none":
            published[measure.key] = value
        elif measure.kind == "question":
            published[measure.key] = [published_question_row(row) for row in value or []]
    for measure in counts:
        # An audit count adds up rows of the grades table: withheld when it would give a suppressed row total away.
        if measure.tag and is_number(published.get(measure.key)):
            rows = _tagged_rows(published, measure.tag)
            if rows and recoverable({index: row["total"] for index, row in enumerate(rows)}, published[measure.key]):
                published[measure.key] = WITHHELD
    for measure in counts:
        part, whole = values.get(measure.key), values.get(measure.within) if measure.within else None
        if (
            _is_count(part)
            and _is_count(whole)
            and is_number(published.get(measure.within))
            and is_number(published.get(measure.key))
            and not _safe(whole - part)
        ):
            published[measure.within] = WITHHELD
    for measure in measures:
        value = values.get(measure.key)
        if measure.kind == "rate":
            published[measure.key] = value if value is None or is_number(published.get(measure.of)) else WITHHELD
        elif measure.kind == "ratio":
            published[measure.key] = _published_ratio(measure, value, basis.get(measure.key), published)
        elif measure.kind == "average":
            base = (basis.get(measure.key) or {}).get("base")
            published[measure.key] = value if value is None or (_is_count(base) and base > threshold()) else WITHHELD
    published["breakdowns"] = {key: published_breakdown(dimensions, published.get(key)) for key, dimensions in (values.get("breakdowns") or {}).items()}
    return published


def _published_ratio(measure, value, basis, published):
    """A percentage, or WITHHELD when its numerator, denominator or complement is small, or a count it is made of is hidden."""
    if value is None:
        return None
    if not basis or not _is_count(basis.get("n")) or not _is_count(basis.get("d")):
        return WITHHELD
    numerator, denominator = basis["n"], basis["d"]
    if not (_safe(numerator) and _safe(denominator) and _safe(denominator - numerator)):
        return WITHHELD
    for linked in (measure.numerator, measure.denominator):
        if linked and not is_number(published.get(linked)):
            return WITHHELD
    if measure.tag and not _rows_complete(_tagged_rows(published, measure.tag)):
        return WITHHELD
    return value


def published_history(history, measures):
    """Each quarter's values as its own publication shows them (the trend never shows more than a quarter's report did)."""
    return {name: published_values(values, measures) for name, values in history.items()}
