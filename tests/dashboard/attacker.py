"""A reader who wants a suppressed count back (tests/dashboard/test_disclosure.py).

The attacker reads everything a publication prints for a quarter and its trend (each quarter's
figures, the change since last quarter, rates with the published population, percentages, the
breakdowns, the agency tables) and knows how each figure is defined: that breakdown cells add up
to their count, that children on plans for neglect are among the children on plans, that a
percentage is its numerator over its denominator (to one decimal place), that a rate is its count
per 10,000 of the population, that both repeat-plan percentages share one denominator, that the
persistent-absence percentage is over the children whose mean attendance is printed, that a
suppressed count is 1 to the threshold and a withheld one above it; that the cells of a table by
question (audit grades, family answers) add up to the row's total, that the cases audited on the
plan's impact (or the use of the Graded Care Profile) are the totals of that question's rows added
up over the quarter's rounds, and that the percentage good or better is the outstanding and good
cells of those rows over them.

Each figure is a whole-number variable with a range; each definition a constraint. Constraints are
propagated to a fixed point (bounds consistency), then every value a protected variable could
take is tried on its own ("probing"): a value that empties some range is impossible. A count of
children from 1 to the threshold whose possible values come down to one is recovered. This is
stronger than a reader with a spreadsheet and no weaker than one who knows the rule.

The variables the attacker must not recover are every count of children the publication hides or
implies: the suppressed counts and cells, each percentage's numerator, denominator and complement,
each mean's base, and the children on plans for other categories than neglect.
"""

import math
from dataclasses import dataclass, field

from dashboard.disclosure import WITHHELD, is_number
from dashboard.measures import CATALOGUE

INF = math.inf
EPSILON = 1e-9
BY_KEY = {m.key: m for m in CATALOGUE}


@dataclass
class Attack:
    threshold: int
    low: dict = field(default_factory=dict)
    high: dict = field(default_factory=dict)
    sums: list = field(default_factory=list)  # ({var: +1/-1}, constant): sum of coefficient x var == constant
    ratios: list = field(default_factory=list)  # (numerator, denominator, low %, high %)
    truth: dict = field(default_factory=dict)  # var -> the true value (to know which must stay hidden)

    # --- building -------------------------------------------------------------------------------

    def var(self, name, low=0, high=INF, truth=None):
        self.low[name] = max(self.low.get(name, 0), low)
        self.high[name] = min(self.high.get(name, INF), high)
        if truth is not None:
            self.truth[name] = truth
        return name

    def printed(self, name, shown, truth=None):
        """What the publication printed for a count: the number, "fewer than 5", "not shown", or nothing."""
        if is_number(shown):
            self.var(name, shown, shown, truth)
        elif shown == WITHHELD:
            self.var(name, self.threshold + 1, INF, truth)
        elif isinstance(shown, str) and shown.startswith("fewer than"):
            self.var(name, 1, self.threshold, truth)
        else:
            self.var(name, truth=truth)

    def equal(self, total, parts):
        self.sums.append(({total: 1, **dict.fromkeys(parts, -1)}, 0))

    def difference(self, later, earlier, change):
        self.sums.append(({later: 1, earlier: -1}, change))

    def percentage(self, numerator, denominator, shown):
        """n / d as printed to one decimal: (p - 0.05) d <= 100 n <= (p + 0.05) d; "No data" means d is 0."""
        if shown is None:
            self.var(denominator, 0, 0)
        elif is_number(shown):
            self.var(denominator, 1)
            self.ratios.append((numerator, denominator, max(shown - 0.05, 0), shown + 0.05))

    def rate(self, count, shown, population):
        if is_number(shown) and population:
            self.var(count, math.ceil((shown - 0.05) * population / 10_000 - EPSILON), math.floor((shown + 0.05) * population / 10_000 + EPSILON))

    # --- solving --------------------------------------------------------------------------------

    def _propagate(self, low, high):
        """Narrow every range to a fixed point; None when some range empties (the guess was impossible)."""
        for _ in range(200):
            changed = False
            for coefficients, constant in self.sums:
                for name, coefficient in coefficients.items():
                    rest_low = sum(low[o] if c > 0 else -high[o] for o, c in coefficients.items() if o != name)
                    rest_high = sum(high[o] if c > 0 else -low[o] for o, c in coefficients.items() if o != name)
                    if coefficient > 0:
                        new_low, new_high = constant - rest_high, constant - rest_low
                    else:
                        new_low, new_high = rest_low - constant, rest_high - constant
                    changed |= self._narrow(low, high, name, new_low, new_high)
            for numerator, denominator, p_low, p_high in self.ratios:
                changed |= self._narrow(low, high, numerator, p_low * low[denominator] / 100, p_high * high[denominator] / 100)
                changed |= self._narrow(low, high, denominator, 100 * low[numerator] / p_high if p_high else 0, 100 * high[numerator] / p_low if p_low else INF)
            if any(low[name] > high[name] for name in low):
                return None
            if not changed:
                return low, high
        return low, high

    @staticmethod
    def _narrow(low, high, name, new_low, new_high):
        new_low = math.ceil(new_low - EPSILON) if new_low not in (INF, -INF) else new_low
        new_high = math.floor(new_high + EPSILON) if new_high not in (INF, -INF) else new_high
        changed = False
        if new_low > low[name]:
            low[name], changed = new_low, True
        if new_high < high[name]:
            high[name], changed = new_high, True
        return changed

    def possible(self, name, *, probe_limit=60):
        """The values `name` could take given everything printed (all of them when the range is too wide to probe)."""
        base = self._propagate(dict(self.low), dict(self.high))
        assert base is not None, "the printed figures contradict the definitions the attacker holds"
        low, high = base
        if high[name] - low[name] > probe_limit:
            return None  # dozens of possible values: not recovered
        values = []
        for value in range(int(low[name]), int(high[name]) + 1):
            trial_low, trial_high = dict(low), dict(high)
            trial_low[name] = trial_high[name] = value
            if self._propagate(trial_low, trial_high) is not None:
                values.append(value)
        return values

    def recovered(self):
        """The protected variables (true value 1 to the threshold) whose value the attacker pins down, with it."""
        found = {}
        for name, truth in self.truth.items():
            if 0 < truth <= self.threshold:
                values = self.possible(name)
                if values is not None and len(values) == 1:
                    found[name] = values[0]
        return found


def attack_publication(*, threshold, quarter, published, truth, changes, population):
    """Build the attack on one publication.

    `published` maps quarter name -> the printed figures (the quarter's own and its trend: headline
    values; breakdowns and agency rows for `quarter` only); `truth` maps quarter name -> the true
    values with their `basis` and `breakdowns`; `changes` maps key -> the printed change since last
    quarter for `quarter`.
    """
    attack = Attack(threshold)
    for name, figures in published.items():
        true = truth[name]
        basis = true.get("basis") or {}
        v = lambda key: f"{name}:{key}"  # noqa: E731
        for measure in CATALOGUE:
            key = measure.key
            if key not in figures and measure.kind != "ratio":
                continue
            shown = figures.get(key)
            if measure.kind == "count":
                attack.printed(v(key), shown, truth=true.get(key))
            elif measure.kind == "rate":
                attack.var(v(measure.of), truth=true.get(measure.of))
                attack.rate(v(measure.of), shown, population)
            elif measure.kind == "ratio" and key in basis:
                n, d = basis[key]["n"], basis[key]["d"]
                numerator = v(measure.numerator) if measure.numerator else attack.var(f"{name}:{key}:n", truth=n)
                denominator = v(measure.denominator) if measure.denominator else attack.var(f"{name}:{key}:d", truth=d)
                attack.var(numerator, truth=n)
                attack.var(denominator, truth=d)
                complement = attack.var(f"{name}:{key}:complement", truth=d - n)
                attack.equal(denominator, [numerator, complement])
                if key in figures:
                    attack.percentage(numerator, denominator, shown)
            elif measure.kind == "average" and key in basis:
                base = attack.var(f"{name}:{key}:base", truth=basis[key]["base"])
                if is_number(shown):
                    attack.var(base, threshold + 1)
        # Children on plans for neglect are among the children on plans.
        if "cp_children" in true and "cp_neglect_children" in true:
            other = attack.var(v("cp_other_children"), truth=true["cp_children"] - true["cp_neglect_children"])
            attack.var(v("cp_children"), truth=true["cp_children"])
            attack.var(v("cp_neglect_children"), truth=true["cp_neglect_children"])
            attack.equal(v("cp_children"), [v("cp_neglect_children"), other])
        # What a reader can assume: both repeat percentages are over the plans started in the quarter; persistent
        # absence is over the children whose attendance is averaged; open neglect plans are the children on them.
        if "cp_neglect_repeat_pct" in basis and "cp_neglect_repeat_after_neglect_pct" in basis:
            attack.equal(v("cp_neglect_repeat_pct:d"), [v("cp_neglect_repeat_after_neglect_pct:d")])
        if "persistent_absence_neglect_pct" in basis and "school_attendance_neglect_pct" in basis:
            attack.equal(v("persistent_absence_neglect_pct:d"), [v("school_attendance_neglect_pct:base")])
        if "cp_neglect_12m_plus_pct" in basis and basis["cp_neglect_12m_plus_pct"]["d"] == true.get("cp_neglect_children"):
            attack.equal(v("cp_neglect_12m_plus_pct:d"), [v("cp_neglect_children")])
        if name == quarter:
            _breakdowns(attack, v, figures, true)
            _agency_rows(attack, v, figures, true)
            _question_rows(attack, v, figures, true)
    for key, change in changes.items():
        measure = BY_KEY.get(key)
        if measure is not None and measure.kind == "count":
            previous = [name for name in published if name != quarter][-1]
            attack.difference(f"{quarter}:{key}", f"{previous}:{key}", change)
    return attack


def _breakdowns(attack, v, figures, true):
    for key, dimensions in (figures.get("breakdowns") or {}).items():
        for dimension, cells in dimensions.items():
            real = true["breakdowns"][key][dimension]
            names = []
            for category, count in real.items():
                cell = f"{v(key)}:{dimension}:{category}"
                attack.printed(cell, None if cells is None else cells.get(category), truth=count)
                names.append(cell)
            attack.equal(v(key), names)


def _agency_rows(attack, v, figures, true):
    for key in ("tool_runs_by_agency", "conference_attendance_by_agency"):
        real = {row["agency"]: row for row in true.get(key) or []}
        for row in figures.get(key) or []:
            agency, original = row["agency"], real[row["agency"]]
            name = lambda figure: f"{v(key)}:{agency}:{figure}"  # noqa: E731
            for figure, shown in row.items():
                if figure != "agency" and not figure.endswith("_pct"):
                    attack.printed(name(figure), shown, truth=original[figure])
            if "total" in row:
                attack.equal(name("total"), [name(figure) for figure in row if figure not in ("agency", "total") and not figure.endswith("_pct")])
            if "invitations" in row:
                absent = attack.var(name("absent"))
                attack.equal(name("invitations"), [name("attended"), absent])
                if "attended_pct" in row:
                    attack.percentage(name("attended"), name("invitations"), row["attended_pct"])


GOOD_OR_BETTER = ("Outstanding", "Good")


def _question_rows(attack, v, figures, true):
    """Tables by question: the rows as printed (`counts` None: only the total printed), against the true rows in the same order."""
    tagged_totals, tagged_good = {}, {}
    for measure in CATALOGUE:
        if measure.kind != "question":
            continue
        key, real = measure.key, true.get(measure.key) or []
        for index, row in enumerate(figures.get(key) or []):
            original = real[index]
            name = lambda figure: f"{v(key)}:{index}:{figure}"  # noqa: E731
            attack.printed(name("total"), row["total"], truth=original["total"])
            shown = dict(row["counts"]) if row["counts"] is not None else {}
            cells = []
            for label, count in original["counts"]:
                attack.printed(name(label), shown.get(label), truth=count)
                cells.append(name(label))
            if cells:
                attack.equal(name("total"), cells)
            labels = [label for label, _ in original["counts"]]
            if all(label in labels for label in GOOD_OR_BETTER):
                good = attack.var(name("good_or_better"), truth=sum(n for label, n in original["counts"] if label in GOOD_OR_BETTER))
                attack.equal(good, [name(label) for label in GOOD_OR_BETTER])
                if is_number(row.get("pct")):
                    attack.percentage(good, name("total"), row["pct"])
                if original.get("tag"):
                    tagged_totals.setdefault(original["tag"], []).append(name("total"))
                    tagged_good.setdefault(original["tag"], []).append(good)
    for measure in CATALOGUE:
        if measure.tag and measure.kind == "count" and measure.tag in tagged_totals:
            attack.equal(attack.var(v(measure.key), truth=true.get(measure.key)), tagged_totals[measure.tag])
        elif measure.tag and measure.kind == "ratio" and measure.tag in tagged_good and f"{v(measure.key)}:n" in attack.low:
            attack.equal(f"{v(measure.key)}:n", tagged_good[measure.tag])
