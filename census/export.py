"""The DfE Children in Need census return (2026 collection) built from the case record, with lxml.

One CIN episode (`CINdetails`) per referral to children's social care. Census year `year` runs from
1 April of `year - 1` to the reference date, 31 March of `year`; an episode is in the return when
it was referred on or before the reference date and was open on or after 1 April.

Where things come from (nothing is made up; a gap is a data-quality problem, listed, never filled):

* CINreferralDate, ReferralSource: the referral; the source from `codes.REFERRAL_SOURCE_FOR_AGENCY_KIND`
  unless `ReferralCensus.referral_source` overrides it.
* PrimaryNeedCode, ReasonForClosure: `ReferralCensus` only (the case record does not hold them).
* CINclosureDate: the outcome date of a referral closed at the front door (no further action or
  early help; ReferralNFA = 1 for both), else the closing date of the referral's case.
* Assessments: a referral whose outcome is a statutory assessment (start = outcome date); its
  authorisation date and factors from `ReferralCensus`.
* Section47: a referral whose outcome is a strategy discussion/s47 (start = outcome date), and each
  initial child protection conference (start = its strategy discussion) not already matched to one;
  DateOfInitialCPC and InitialCPCtarget from the conference, inside Section47.
* CINPlanDates, ChildProtectionPlans: the plans of the child's cases, given to the episode whose
  referral came last on or before the plan's start; categories from the initial conference's and
  the latest review's decisions (the plan's own category when there is no conference decision);
  Reviews: review conferences of the case held while the plan was open; NumberOfPreviousCPP
  counts the child's child protection plans of any category started on an earlier day
  (`plans.history.earlier_plan_count`, as Annex A list 7 counts them).

Statutory records the case model lacks live in census.models, mostly written by the census import,
and win over what is derived above: `ChildCensus` (LAchildID of the sending system, FormerUPN,
UPNunknown, PersonDeathDate, Disabilities), `CensusAssessment` and `CensusSection47` (when a referral
has any, they are its Assessments / Section47 elements), `PlanCensus` and its `CensusReview`s (both
categories, the number of previous plans and the review dates of an imported plan; reviews
recorded in the portal since are added).

A UPN whose characters 2-4 are not a local authority code (`codes.UPN_LA_CODES`, DfE rule 1530) is
exported as recorded and put on the data-quality list; another authority's code is not a problem.

Only what belongs to the census year is returned, as the DfE rules require: plans ended before
1 April (rules 4013, 8930), assessments authorised before it (8696), section 47 enquiries whose
initial conference was before it or which started before it and had none (8715, 8740) are left
out. They still count (NumberOfPreviousCPP counts every earlier plan).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from cases.models import Child
from conferences.models import ConferenceChild, ConferenceDecision, ConferenceKind
from plans.history import earlier_plan_count
from plans.models import Plan, PlanKind
from referrals.models import Referral, ReferralOutcome

from . import codes

SOFTWARE_CODE = "Neglect Portal"
RELEASE = "0.1.0"
NFA_OUTCOMES = (ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.EARLY_HELP)
SCHOOL_AGE = 5


SHIPPED_SCHEMA = Path(__file__).resolve().parent / "schema" / "CIN_schema_2026.xsd"


def schema_path():
    """The DfE schema shipped with the app (census/schema); a setting may point at a newer one."""
    return Path(getattr(settings, "CIN_CENSUS_SCHEMA", SHIPPED_SCHEMA))


def schema_errors(xml: bytes, path: Path | None = None) -> list[str]:
    """Every error the XSD reports for `xml` ([] when valid). Raises FileNotFoundError without the schema."""
    schema = etree.XMLSchema(etree.parse(str(path or schema_path())))
    schema.validate(etree.fromstring(xml))
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def census_period(year: int) -> tuple[date, date]:
    """(1 April of year - 1, 31 March of year): the census year and its reference date."""
    return date(year - 1, 4, 1), date(year, 3, 31)


@dataclass(frozen=True)
class Problem:
    """Something the return needs that the record does not say (or says inconsistently)."""

    child_id: int
    element: str
    message: str

    def __str__(self):
        return f"child {self.child_id}: {self.element}: {self.message}"


@dataclass
class CensusExport:
    year: int
    la_code: str
    xml: bytes
    problems: list = field(default_factory=list)
    children: int = 0
    episodes: int = 0


@dataclass
class _Episode:
    referral: Referral
    closed_on: date | None
    nfa: bool
    cin_plans: list = field(default_factory=list)
    cp_plans: list = field(default_factory=list)
    initial_conferences: list = field(default_factory=list)

    @property
    def path(self):
        return f"CINdetails[CINreferralDate={self.referral.referred_on.isoformat()}]"


def episode_closure(referral, on):
    """(closing date or None while open on `on`, closed at the front door?) for a referral's episode."""
    nfa = referral.outcome in NFA_OUTCOMES and referral.outcome_on is not None
    if nfa:
        closed_on = referral.outcome_on
    elif referral.case_id and referral.case.closed_on:
        closed_on = referral.case.closed_on
    else:
        closed_on = None
    if closed_on is not None and closed_on > on:
        closed_on = None
    return closed_on, nfa


def census_of(referral):
    try:
        return referral.census
    except Referral.census.RelatedObjectDoesNotExist:
        return None


def child_census_of(child):
    try:
        return child.census
    except Child.census.RelatedObjectDoesNotExist:
        return None


def plan_census_of(plan):
    try:
        return plan.census
    except Plan.census.RelatedObjectDoesNotExist:
        return None


def la_child_id(child):
    """LAchildID: the number the child came with in an imported return, else the portal's own."""
    extra = child_census_of(child)
    return extra.la_child_id if extra and extra.la_child_id else str(child.pk)


def authorised_before_year(census, start):
    """A coded assessment authorised before the census year is not in this year's return."""
    return bool(census and census.assessment_authorised_on and census.assessment_authorised_on < start)


def _sub(parent, tag, value=None):
    element = etree.SubElement(parent, tag)
    if value is not None:
        element.text = value.isoformat() if isinstance(value, date) else str(value)
    return element


def _yes_no(value):
    return "1" if value else "0"


class _Builder:
    def __init__(self, *, year, la_code):
        if not (isinstance(la_code, str) and len(la_code) == 3 and la_code.isdigit()):
            raise ValueError("The local authority code is three digits, e.g. 931")
        self.year = year
        self.la_code = la_code
        self.start, self.reference_date = census_period(year)
        self.problems = []
        self.episode_count = 0

    def problem(self, child, element, message):
        self.problems.append(Problem(child_id=child.pk, element=element, message=message))

    # --- reading ---------------------------------------------------------------------------

    def _episodes_by_child(self):
        referrals = (
            Referral.objects.filter(referred_on__lte=self.reference_date)
            .select_related("case", "referring_agency", "census", "child", "child__census")
            .prefetch_related("census_assessments", "census_section47s")
            .order_by("child_id", "referred_on", "pk")
        )
        by_child = defaultdict(list)
        for referral in referrals:
            closed_on, nfa = episode_closure(referral, self.reference_date)
            by_child[referral.child_id].append(_Episode(referral=referral, closed_on=closed_on, nfa=nfa))
        return by_child

    def _attach(self, child, episodes, on, item, bucket, what):
        """Give `item` to the episode whose referral came last on or before `on`."""
        owner = None
        for episode in episodes:
            if episode.referral.referred_on <= on:
                owner = episode
        if owner is None:
            self.problem(
                child,
                f"Child[LAchildID={child.pk}]",
                f"{what} on {on.isoformat()} has no referral to children's social care on or before it, so no CIN episode to report it in",
            )
            return
        getattr(owner, bucket).append(item)

    # --- writing ---------------------------------------------------------------------------

    def build(self, now=None):
        now = now or timezone.now()
        message = etree.Element("Message")
        header = _sub(message, "Header")
        collection = _sub(header, "CollectionDetails")
        _sub(collection, "Collection", "CIN")
        _sub(collection, "Year", self.year)
        _sub(collection, "ReferenceDate", self.reference_date)
        source = _sub(header, "Source")
        _sub(source, "SourceLevel", "L")
        _sub(source, "LEA", self.la_code)
        _sub(source, "SoftwareCode", SOFTWARE_CODE)
        _sub(source, "Release", RELEASE)
        _sub(source, "SerialNo", "001")
        _sub(source, "DateTime", now.replace(microsecond=0, tzinfo=None) if isinstance(now, datetime) else now)
        children_element = _sub(message, "Children")

        by_child = self._episodes_by_child()
        # The children come with their referrals: a return is partnership-wide by design, and the
        # view (partnership admins only) or the command (operators) has already decided who may run it.
        children = sorted((episodes[0].referral.child for episodes in by_child.values()), key=lambda c: c.pk)
        plans = defaultdict(list)
        for plan in (
            Plan.objects.filter(
                case__child_id__in=list(by_child), started_on__lte=self.reference_date, kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION]
            )
            .annotate(previous_plans=earlier_plan_count(any_category=True))
            .select_related("case", "census")
            .prefetch_related("census__reviews")
            .order_by("started_on", "pk")
        ):
            plans[plan.case.child_id].append(plan)
        links = defaultdict(list)
        for link in (
            ConferenceChild.objects.filter(
                case__child_id__in=list(by_child),
                conference__held_on__lte=self.reference_date,
                conference__kind__in=[ConferenceKind.INITIAL, ConferenceKind.REVIEW],
            )
            .select_related("conference", "case")
            .order_by("conference__held_on", "pk")
        ):
            links[link.case.child_id].append(link)

        count = 0
        for child in children:
            episodes = by_child[child.pk]
            child_links = links[child.pk]
            for plan in plans[child.pk]:
                bucket = "cp_plans" if plan.kind == PlanKind.CHILD_PROTECTION else "cin_plans"
                self._attach(child, episodes, plan.started_on, plan, bucket, plan.get_kind_display() + " plan")
            for link in child_links:
                if link.conference.kind == ConferenceKind.INITIAL:
                    self._attach(child, episodes, link.conference.held_on, link, "initial_conferences", "Initial child protection conference")
            in_year = [e for e in episodes if e.closed_on is None or e.closed_on >= self.start]
            if not in_year:
                continue
            self._check_overlaps(child, episodes)
            count += 1
            self._child(children_element, child, in_year, reviews=[l for l in child_links if l.conference.kind == ConferenceKind.REVIEW])
        if count == 0:
            self.problems.append(
                Problem(
                    child_id=0,
                    element="Children",
                    message=f"No child was in need between {self.start.isoformat()} and {self.reference_date.isoformat()}: the return needs at least one child",
                )
            )
        xml = etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return CensusExport(year=self.year, la_code=self.la_code, xml=xml, problems=self.problems, children=count, episodes=self.episode_count)

    def _check_overlaps(self, child, episodes):
        for earlier, later in pairwise(episodes):
            if earlier.closed_on is None or earlier.closed_on > later.referral.referred_on:
                self.problem(
                    child,
                    later.path,
                    f"Referred while the episode referred on {earlier.referral.referred_on.isoformat()} was still open: CIN episodes must not overlap",
                )

    def _child(self, parent, child, episodes, *, reviews):
        element = _sub(parent, "Child")
        identifiers = _sub(element, "ChildIdentifiers")
        extra = child_census_of(child)
        _sub(identifiers, "LAchildID", la_child_id(child))
        where = f"Child[LAchildID={child.pk}]"
        if child.upn:
            _sub(identifiers, "UPN", child.upn)
            if child.upn[1:4] not in codes.UPN_LA_CODES:
                # Another authority's code is normal (a child keeps the UPN when moving); an unknown one is a typo.
                self.problem(
                    child,
                    f"{where}/ChildIdentifiers/UPN",
                    f"Characters 2-4 of the UPN ({child.upn[1:4]}) are not a local authority code, so DfE rule 1530 rejects it; check the UPN",
                )
        if extra and extra.former_upn:
            _sub(identifiers, "FormerUPN", extra.former_upn)
        if not child.upn and extra and extra.upn_unknown:
            _sub(identifiers, "UPNunknown", extra.upn_unknown)
        elif not child.upn and not child.is_unborn and (child.age_on(self.reference_date) or 0) >= SCHOOL_AGE:
            self.problem(child, f"{where}/ChildIdentifiers/UPN", "School-age child with no unique pupil number and no recorded reason (UN1-UN7)")
        if child.is_unborn:
            _sub(identifiers, "ExpectedPersonBirthDate", child.date_of_birth)
        else:
            _sub(identifiers, "PersonBirthDate", child.date_of_birth)
        _sub(identifiers, "Sex", child.sex)
        if extra and extra.death_date:
            _sub(identifiers, "PersonDeathDate", extra.death_date)
        characteristics = _sub(element, "ChildCharacteristics")
        _sub(characteristics, "Ethnicity", child.ethnicity)
        if extra and extra.disabilities:
            wrapper = _sub(characteristics, "Disabilities")
            for code in extra.disabilities:
                _sub(wrapper, "Disability", code)
        elif child.disability:
            self.problem(child, f"{where}/ChildCharacteristics/Disabilities", "Disability recorded but not its census type (MOB, HAND, ... DDA): left out")
        else:
            _sub(_sub(characteristics, "Disabilities"), "Disability", "NONE")
        for episode in episodes:
            self._episode(element, child, episode, reviews=reviews)

    def _episode(self, parent, child, episode, *, reviews):
        self.episode_count += 1
        referral = episode.referral
        census = census_of(referral)
        where = f"Child[LAchildID={child.pk}]/{episode.path}"
        details = _sub(parent, "CINdetails")
        _sub(details, "CINreferralDate", referral.referred_on)
        source = (census.referral_source if census else "") or codes.REFERRAL_SOURCE_FOR_AGENCY_KIND.get(referral.referring_agency.kind)
        if not source:
            self.problem(child, f"{where}/ReferralSource", f"No referral source for agency kind {referral.referring_agency.kind}: reported as 10 (unknown)")
            source = "10"
        _sub(details, "ReferralSource", source)
        if census and census.primary_need:
            _sub(details, "PrimaryNeedCode", census.primary_need)
        elif not episode.nfa:
            self.problem(child, f"{where}/PrimaryNeedCode", "No primary need code recorded for this episode")
        if episode.closed_on:
            _sub(details, "CINclosureDate", episode.closed_on)
            if census and census.closure_reason:
                _sub(details, "ReasonForClosure", census.closure_reason)
            else:
                self.problem(child, f"{where}/ReasonForClosure", f"Episode closed on {episode.closed_on.isoformat()} with no reason for closure (RC1-RC9)")
        self._assessment(details, child, episode, census, where)
        for plan in episode.cin_plans:
            if plan.ended_on and plan.ended_on < self.start:
                continue  # ended before the census year: not in this return
            dates = _sub(details, "CINPlanDates")
            _sub(dates, "CINPlanStartDate", plan.started_on)
            if plan.ended_on and plan.ended_on <= self.reference_date:
                _sub(dates, "CINPlanEndDate", plan.ended_on)
        self._section47s(details, child, episode, census, where)
        _sub(details, "ReferralNFA", _yes_no(episode.nfa))
        for plan in episode.cp_plans:
            if plan.ended_on and plan.ended_on < self.start:
                continue  # ended before the census year; still counted in NumberOfPreviousCPP
            self._cp_plan(details, child, episode, plan, reviews=reviews, where=where)

    def _assessment(self, details, child, episode, census, where):
        referral = episode.referral
        recorded = list(referral.census_assessments.all())
        if recorded:
            for item in recorded:
                authorised = item.authorised_on if item.authorised_on and item.authorised_on <= self.reference_date else None
                if item.started_on > self.reference_date or (authorised and authorised < self.start):
                    continue  # not started yet, or completed before the census year
                if authorised is None and item.started_on < self.start:
                    self.problem(
                        child,
                        f"{where}/Assessments[AssessmentActualStartDate={item.started_on.isoformat()}]",
                        "Assessment started before the census year and still not authorised",
                    )
                assessment = _sub(details, "Assessments")
                _sub(assessment, "AssessmentActualStartDate", item.started_on)
                if item.internal_review_on:
                    _sub(assessment, "AssessmentInternalReviewDate", item.internal_review_on)
                if authorised:
                    _sub(assessment, "AssessmentAuthorisationDate", authorised)
                if item.factors:
                    wrapper = _sub(assessment, "FactorsIdentifiedAtAssessment")
                    for code in item.factors:
                        _sub(wrapper, "AssessmentFactors", code)
            return
        if authorised_before_year(census, self.start):
            return
        if referral.outcome != ReferralOutcome.STATUTORY_ASSESSMENT or referral.outcome_on is None:
            return
        assessment = _sub(details, "Assessments")
        _sub(assessment, "AssessmentActualStartDate", referral.outcome_on)
        authorised = census.assessment_authorised_on if census else None
        if authorised and authorised <= self.reference_date:
            _sub(assessment, "AssessmentAuthorisationDate", authorised)
            factors = list(census.assessment_factors or [])
            if factors:
                wrapper = _sub(assessment, "FactorsIdentifiedAtAssessment")
                for code in factors:
                    _sub(wrapper, "AssessmentFactors", code)
            else:
                self.problem(
                    child,
                    f"{where}/Assessments/FactorsIdentifiedAtAssessment",
                    "Assessment authorised with no factors identified (use 21 when there were none)",
                )

    def _section47s(self, details, child, episode, census, where):
        referral = episode.referral
        recorded = list(referral.census_section47s.all())
        if recorded:
            for item in recorded:
                icpc_on = item.icpc_on if item.icpc_on and item.icpc_on <= self.reference_date else None
                if icpc_on and icpc_on.weekday() >= 5:
                    self.problem(
                        child,
                        f"{where}/Section47[S47ActualStartDate={item.started_on.isoformat()}]/DateOfInitialCPC",
                        f"Initial conference recorded on a weekend ({icpc_on:%A %d %B %Y}): DfE rule 8875 rejects it; check the date",
                    )
                if item.started_on > self.reference_date or (icpc_on and icpc_on < self.start) or (icpc_on is None and item.started_on < self.start):
                    continue  # outside the census year (DfE rules 8715, 8740)
                s47 = _sub(details, "Section47")
                _sub(s47, "S47ActualStartDate", item.started_on)
                if item.icpc_target_on:
                    _sub(s47, "InitialCPCtarget", item.icpc_target_on)
                if icpc_on:
                    _sub(s47, "DateOfInitialCPC", icpc_on)
                _sub(s47, "ICPCnotRequired", _yes_no(item.icpc_not_required))
            return
        starts = []
        if referral.outcome == ReferralOutcome.STRATEGY_DISCUSSION_S47 and referral.outcome_on:
            starts.append([referral.outcome_on, None])
        for link in episode.initial_conferences:
            held = link.conference.held_on
            match = next((s for s in reversed(starts) if s[1] is None and s[0] <= held), None)
            if match is None:
                starts.append([link.conference.strategy_discussion_on, link])
            else:
                match[1] = link
        for _start, link in starts:
            if link is not None and link.conference.held_on.weekday() >= 5:
                self.problem(
                    child,
                    f"{where}/Section47[S47ActualStartDate={_start.isoformat()}]/DateOfInitialCPC",
                    f"Initial conference recorded on a weekend ({link.conference.held_on:%A %d %B %Y}): DfE rule 8875 rejects it; check the date",
                )
        for start, link in sorted(starts, key=lambda s: s[0]):
            held = link.conference.held_on if link is not None else None
            if (held and held < self.start) or (held is None and start < self.start):
                continue  # outside the census year (DfE rules 8715, 8740)
            s47 = _sub(details, "Section47")
            _sub(s47, "S47ActualStartDate", start)
            if link is not None:
                if link.conference.initial_due_on:
                    _sub(s47, "InitialCPCtarget", link.conference.initial_due_on)
                _sub(s47, "DateOfInitialCPC", link.conference.held_on)
                _sub(s47, "ICPCnotRequired", "0")
            else:
                not_required = bool(census and census.icpc_not_required)
                _sub(s47, "ICPCnotRequired", _yes_no(not_required))
                if not not_required and episode.closed_on:
                    self.problem(
                        child,
                        f"{where}/Section47[S47ActualStartDate={start.isoformat()}]",
                        "Section 47 enquiry with no initial conference, not recorded as not required, in a closed episode",
                    )

    def _cp_plan(self, details, child, episode, plan, *, reviews, where):
        path = f"{where}/ChildProtectionPlans[CPPstartDate={plan.started_on.isoformat()}]"
        ended_on = plan.ended_on if plan.ended_on and plan.ended_on <= self.reference_date else None
        initial = next(
            (
                l
                for l in episode.initial_conferences
                if l.case_id == plan.case_id and l.decision == ConferenceDecision.PLAN_STARTED and l.conference.held_on == plan.started_on
            ),
            None,
        )
        census_icpc = any(s.icpc_on == plan.started_on for s in episode.referral.census_section47s.all())
        if initial is None and not census_icpc:
            self.problem(
                child,
                path,
                "Child protection plan with no initial child protection conference deciding it on its start date: DfE rules reject it until the conference is recorded",
            )
        plan_reviews = [
            l for l in reviews if l.case_id == plan.case_id and l.decision and plan.started_on < l.conference.held_on <= (ended_on or self.reference_date)
        ]
        categorised = [l for l in plan_reviews if l.cp_category]
        initial_code = initial.cin_category_code if initial else plan.cin_category_code
        latest_code = categorised[-1].cin_category_code if categorised else plan.cin_category_code
        previous = plan.previous_plans
        review_dates = sorted({l.conference.held_on for l in plan_reviews})
        recorded = plan_census_of(plan)
        if recorded is not None:  # what the imported return said, plus reviews recorded here since
            initial_code = initial.cin_category_code if initial else recorded.initial_category
            latest_code = categorised[-1].cin_category_code if categorised else recorded.latest_category
            previous = recorded.previous_plans if recorded.previous_plans is not None else previous
            review_dates = sorted(set(review_dates) | {r.held_on for r in recorded.reviews.all() if r.held_on <= self.reference_date})
        cpp = _sub(details, "ChildProtectionPlans")
        _sub(cpp, "CPPstartDate", plan.started_on)
        if ended_on:
            _sub(cpp, "CPPendDate", ended_on)
        _sub(cpp, "InitialCategoryOfAbuse", initial_code)
        _sub(cpp, "LatestCategoryOfAbuse", latest_code)
        _sub(cpp, "NumberOfPreviousCPP", previous)
        if review_dates:
            wrapper = _sub(cpp, "Reviews")
            for held_on in review_dates:
                _sub(wrapper, "CPPreviewDate", held_on)


def cin_census_export(*, year: int, la_code: str, now=None) -> CensusExport:
    """The return for census year `year` (reference date 31 March `year`) and its data-quality problems."""
    return _Builder(year=year, la_code=la_code).build(now=now)
