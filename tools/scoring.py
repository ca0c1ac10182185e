"""Scores computed from a run's answers and its definition, on the server only.

A definition states its rules as data (tools/definitions.py, "scoring"), per area and overall,
each either a rule's name or an object naming it with its settings; every rule says in words what
it does (`Rule.describe`), and pages and printouts show that beside the score:

* `none` – not scored (free-text tools such as the Early Help Assessment, the checklist).
* `mean` – the mean, to `places` decimal places (default 1), halves rounded up (2.25 -> 2.3).
  `rounded_mean` (version 1 definitions) is the mean to a whole number, halves up (2.5 -> 3).
  Python's `round()` would round 2.5 to 2 (banker's rounding); a grade is read by people who
  expect school rounding, and on a "higher is worse" tool rounding up is the cautious reading.
* `worst` – the worst score: the highest when higher is worse, the lowest when higher is better.
* `sum` – the total.
* `count_at_or_above` – how many scores are at or above `grade` (for example the sub-areas graded
  4 or 5). A count, not a grade: it is never drawn on a grade axis.
* `lookup` – a rule above (`of`) read against a table: the last row whose `at_least` the value
  reaches gives the score and its label (for example a total of 0-5 "low", 6-10 "medium").

An area's rule reads the scores of its answered, applicable items on scored scales; answers
with no score (not known, not applicable) are not counted. The overall rule reads the area
scores, or every item's score when it says `"over": "items"`. An area with nothing to count has
no score (None), and is left out of the overall.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal("1")
TENTH = Decimal("0.1")

RULE_KINDS = ("rounded_mean", "mean", "worst", "sum", "none", "count_at_or_above", "lookup")
# Rules whose result is on the items' own scale (a grade stays a grade): only these share an axis
# with the grades on a chart. A count, a total or a looked-up band is shown as a number beside it.
ON_SCALE = ("mean", "rounded_mean", "worst")


@dataclass(frozen=True)
class LookupRow:
    at_least: Decimal
    score: Decimal
    label: str


@dataclass(frozen=True, eq=False)
class Rule:
    """A scoring rule as a definition states it (see the module docstring).

    A rule compares equal to its name (`rule == "worst"`), so code and definitions written when
    rules were plain names keep reading the same.
    """

    kind: str
    places: int = 1
    grade: Decimal | None = None
    of: "Rule | None" = None
    table: tuple = ()
    over: str = "areas"
    explain: str = ""

    def __eq__(self, other):
        if isinstance(other, str):
            return self.kind == other
        if isinstance(other, Rule):
            return (self.kind, self.places, self.grade, self.of, self.table, self.over, self.explain) == (
                other.kind,
                other.places,
                other.grade,
                other.of,
                other.table,
                other.over,
                other.explain,
            )
        return NotImplemented

    def __hash__(self):
        return hash(self.kind)

    def __str__(self):
        return self.kind

    @property
    def is_scored(self):
        return self.kind != "none"

    @property
    def on_scale(self):
        """True when the result is on the scale of what it reads (a grade of grades)."""
        return self.kind in ON_SCALE

    def row_for(self, score):
        """The lookup row a score came from (for its label), or None."""
        if self.kind != "lookup" or score is None:
            return None
        score = Decimal(str(score))
        return next((row for row in self.table if row.score == score), None)

    def describe(self, *, reads="the answers' scores", higher_is="worse"):
        """The rule in words, for the page beside the score: the definition's own words when it gave some."""
        if self.explain:
            return self.explain
        return self._describe(reads, higher_is)

    def _describe(self, reads, higher_is):
        if self.kind == "none":
            return "Not scored."
        if self.kind == "rounded_mean":
            return f"The mean of {reads}, rounded to a whole number (halves up)."
        if self.kind == "mean":
            places = "a whole number" if self.places == 0 else ("one decimal place" if self.places == 1 else f"{self.places} decimal places")
            return f"The mean of {reads}, to {places} (halves up)."
        if self.kind == "worst":
            which = "highest" if higher_is == "worse" else "lowest"
            return f"The worst of {reads} (the {which}); nothing is averaged away."
        if self.kind == "sum":
            return f"The total of {reads}."
        if self.kind == "count_at_or_above":
            return f"How many of {reads} are {_number(self.grade)} or more. A count, not a grade."
        basis = self.of._describe(reads, higher_is).rstrip(".") if self.of else reads
        bands = "; ".join(f"{_number(row.at_least)} or more: {_number(row.score)}" + (f" ({row.label})" if row.label else "") for row in self.table)
        return f"{basis}, read against the table: {bands}."


def _number(value):
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def as_rule(rule):
    """A Rule from a Rule or a bare name (tests and version 1 definitions name rules)."""
    return rule if isinstance(rule, Rule) else Rule(kind=rule, places=0 if rule == "rounded_mean" else 1)


def _mean(values):
    return sum(values, Decimal(0)) / Decimal(len(values))


def apply_rule(rule, values, *, higher_is):
    """One rule applied to a list of Decimal scores; None when there is nothing to score."""
    rule = as_rule(rule)
    values = [Decimal(value) for value in values if value is not None]
    if rule.kind == "none" or not values:
        return None
    if rule.kind in ("rounded_mean", "mean"):
        places = 0 if rule.kind == "rounded_mean" else rule.places
        return _mean(values).quantize(ONE if places == 0 else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rule.kind == "worst":
        return max(values) if higher_is == "worse" else min(values)
    if rule.kind == "sum":
        return sum(values, Decimal(0))
    if rule.kind == "count_at_or_above":
        return Decimal(sum(1 for value in values if value >= rule.grade))
    if rule.kind == "lookup":
        basis = apply_rule(rule.of, values, higher_is=higher_is)
        reached = [row for row in rule.table if basis >= row.at_least]
        return reached[-1].score if reached else None
    raise ValueError(f"Unknown scoring rule {rule.kind!r}")


def item_score(item, answers):
    """The score of one answered item, or None (unanswered, free text, or a point without a score)."""
    answer = answers.get(item.id) or {}
    point = item.scale.point(answer.get("value"))
    return point.score if point else None


def score_run(structure, answers, *, age_band=""):
    """{"areas": {area id: score or None}, "overall": score or None}, scores as Decimals.

    `answers` is the run's stored answers: {area id: {item id: {"value": ..., "evidence": ...}}}.
    """
    area_scores, item_scores = {}, []
    for area in structure.areas:
        given = answers.get(area.id) or {}
        scores = [item_score(item, given) for item in area.items_for(age_band) if item.scale.is_scored]
        item_scores += scores
        area_scores[area.id] = apply_rule(area.rule, scores, higher_is=structure.higher_is)
    overall_rule = as_rule(structure.overall_rule)
    read = item_scores if overall_rule.over == "items" else list(area_scores.values())
    overall = apply_rule(overall_rule, read, higher_is=structure.higher_is)
    return {"areas": area_scores, "overall": overall}


def to_json_number(value):
    """A Decimal score as JSON stores it: a whole number when it is one, else a float (one decimal)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def scores_for_storage(scores):
    return {
        "areas": {area_id: to_json_number(score) for area_id, score in scores["areas"].items()},
        "overall": to_json_number(scores["overall"]),
    }


def change(previous, latest, *, higher_is):
    """'better', 'worse' or 'same' from one score to the next; None when either is missing."""
    if previous is None or latest is None:
        return None
    if previous == latest:
        return "same"
    rose = Decimal(str(latest)) > Decimal(str(previous))
    return "worse" if rose == (higher_is == "worse") else "better"
