"""Scores computed from a run's answers and its definition, on the server only.

Rules (named in the definition, per area and overall):

* `rounded_mean` – the mean, rounded to a whole number, halves rounded up (2.5 -> 3). Python's
  `round()` would round 2.5 to 2 (banker's rounding); a grade is read by people who expect
  school rounding, and on a "higher is worse" tool rounding up is the cautious reading.
* `mean` – the mean to one decimal place, halves rounded up (2.25 -> 2.3).
* `worst` – the worst score: the highest when higher is worse, the lowest when higher is better.
* `sum` – the total.
* `none` – not scored (free-text tools such as the Early Help Assessment).

An area's rule reads the scores of its answered, applicable items on scored scales; answers
with no score (not known, not applicable) are not counted. The overall rule reads the area
scores. An area with nothing to count has no score (None), and is left out of the overall.
"""
from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal("1")
TENTH = Decimal("0.1")


def _mean(values):
    return sum(values, Decimal(0)) / Decimal(len(values))


def apply_rule(rule, values, *, higher_is):
    """One rule applied to a list of Decimal scores; None when there is nothing to score."""
    values = [Decimal(value) for value in values if value is not None]
    if rule == "none" or not values:
        return None
    if rule == "rounded_mean":
        return _mean(values).quantize(ONE, rounding=ROUND_HALF_UP)
    if rule == "mean":
        return _mean(values).quantize(TENTH, rounding=ROUND_HALF_UP)
    if rule == "worst":
        return max(values) if higher_is == "worse" else min(values)
    if rule == "sum":
        return sum(values, Decimal(0))
    raise ValueError(f"Unknown scoring rule {rule!r}")


def item_score(item, answers):
    """The score of one answered item, or None (unanswered, free text, or a point without a score)."""
    answer = answers.get(item.id) or {}
    point = item.scale.point(answer.get("value"))
    return point.score if point else None


def score_run(structure, answers, *, age_band=""):
    """{"areas": {area id: score or None}, "overall": score or None}, scores as Decimals.

    `answers` is the run's stored answers: {area id: {item id: {"value": ..., "evidence": ...}}}.
    """
    area_scores = {}
    for area in structure.areas:
        given = answers.get(area.id) or {}
        scores = [item_score(item, given) for item in area.items_for(age_band) if item.scale.is_scored]
        area_scores[area.id] = apply_rule(area.rule, scores, higher_is=structure.higher_is)
    overall = apply_rule(structure.overall_rule, list(area_scores.values()), higher_is=structure.higher_is)
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
