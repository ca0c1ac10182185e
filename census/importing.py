"""Import a DfE Children in Need census return (XML) as records of children's social care.

Order of work, each step stopping what it cannot trust:

1. The file is parsed without resolving entities, without the network, without huge-tree mode,
   and a file declaring a DOCTYPE is refused outright (XXE and entity-expansion attacks).
2. It is validated against the shipped XSD; schema errors (with line numbers) stop the import and
   nothing is written.
3. Each Child, then each of its elements, is checked and written. An element that cannot be
   recorded is rejected with the child's LAchildID, its path (/Message/Children/Child[3]/CINdetails[1]/
   Assessments[2]) and the reason; the rest of the file still goes in.

Matching: a child by the LAchildID an earlier import stored, then by the portal's own number (the
LAchildID of our exports) when the date of birth agrees, then by UPN. A CIN episode by its child and
referral date; assessments and section 47 enquiries by their start date within the episode; plans
by child, kind and start date.

Ownership: records of the case model (child, referral, case, plan) made by an import are marked and
a later import may update them. Records made in the portal (by a partner agency or by social care
itself) are never overwritten: where the return says something else, that element is rejected with
"not overwritten". The census's own records (census.models) are always brought up to date.
Importing the same file twice changes nothing: the second run counts everything unchanged.

Events get their chronology entries through the chronology sync services, one chain per record:
referral, plan start and end, assessment start and authorisation (its factors in words), section 47
enquiry (start and outcome), initial conference and each child protection review. The same file
again writes none; a changed date or outcome adds an amendment (chronology entries are never
updated). A dry run does all of this in a transaction that is rolled back.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from lxml import etree

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus, Child, TeamMembership, Threshold
from cases.validators import validate_upn
from chronologies import services as chronology
from plans.models import CIN_CATEGORY_CODES, Plan, PlanKind
from referrals.models import Referral, ReferralOutcome

from . import codes, selectors
from .export import schema_path
from .models import CensusAssessment, CensusReview, CensusSection47, ChildCensus, PlanCensus, ReferralCensus

KINDS = ("children", "episodes", "assessments", "section47s", "cin_plans", "cp_plans")
KIND_LABELS = {
    "children": "Children",
    "episodes": "CIN episodes (referrals)",
    "assessments": "Assessments",
    "section47s": "Section 47 enquiries",
    "cin_plans": "Child in need plans",
    "cp_plans": "Child protection plans",
}
OUTCOMES = ("new", "updated", "unchanged", "rejected")
CATEGORY_FOR_CODE = {code: category for category, code in CIN_CATEGORY_CODES.items()}
# Assessment factors naming abuse or neglect: an assessment that found one is a significant event.
HARM_FACTORS = frozenset(code for code, label in codes.ASSESSMENT_FACTORS.items() if label.startswith("Abuse or neglect"))
NOT_OVERWRITTEN = "recorded differently in the portal ({portal}); the portal's record is kept, not overwritten"
IMPORT_REASONS = "Recorded from the Children in Need census return (import)."
IMPORT_END_REASON = "Ended (Children in Need census return)"
MAX_BYTES = 20 * 1024 * 1024


class CensusImportError(Exception):
    """The file as a whole cannot be imported (not XML, a DOCTYPE, no children's social care agency)."""


@dataclass(frozen=True)
class Rejection:
    child_id: str
    path: str
    reason: str

    def __str__(self):
        return f"LAchildID {self.child_id or '?'}: {self.path}: {self.reason}"


@dataclass
class ImportResult:
    dry_run: bool
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    rejections: list = field(default_factory=list)
    schema_errors: list = field(default_factory=list)

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    @property
    def totals(self):
        return {outcome: sum(self.counts[kind][outcome] for kind in KINDS) for outcome in OUTCOMES}

    @property
    def changes(self):
        return self.totals["new"] + self.totals["updated"]

    def summary(self):
        totals = self.totals
        if self.schema_errors:
            return f"not imported: {len(self.schema_errors)} schema errors"
        return ", ".join(f"{totals[o]} {o}" for o in OUTCOMES)

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "totals": self.totals,
            "schema_errors": self.schema_errors,
            "counts": {kind: {o: self.counts[kind][o] for o in OUTCOMES} for kind in KINDS},
            "rejections": [{"child_id": r.child_id, "path": r.path, "reason": r.reason} for r in self.rejections],
        }


# --- Parsing -----------------------------------------------------------------------------------


def parse_return(content: bytes):
    """The XML tree of an uploaded return, parsed safely; CensusImportError when it is not one."""
    if len(content) > MAX_BYTES:
        raise CensusImportError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )
    try:
        tree = etree.parse(io.BytesIO(content), parser)
    except etree.XMLSyntaxError as error:
        raise CensusImportError(f"Not well-formed XML: line {error.lineno}: {error.msg}") from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CensusImportError("The file declares a DOCTYPE (a DTD or entities): census returns never do, so it is refused")
    return tree


def schema_errors_of(tree) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(schema_path())))
    schema.validate(tree)
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def _text(element, tag):
    value = element.findtext(tag)
    return value.strip() if value is not None and value.strip() else None


def _date(element, tag):
    value = _text(element, tag)
    return date.fromisoformat(value[:10]) if value else None


def _all_texts(element, path):
    return [e.text.strip() for e in element.iterfind(path) if e.text and e.text.strip()]


def _indexed(parent, tag):
    return [(index, child) for index, child in enumerate(parent.findall(tag), 1)]


# --- Importing ---------------------------------------------------------------------------------


def childrens_social_care():
    agencies = selectors.childrens_social_care_agencies()
    if not agencies:
        raise CensusImportError("No active agency of kind children's social care: add it before importing the census, whose records are its records")
    return agencies[0]


def import_cin_census(content: bytes, *, actor, dry_run: bool, audit_user=None, audit_username="", request=None) -> ImportResult:
    """Check (dry run) or apply a return. One audit row either way, with the counts.

    `actor` is the person the new records are recorded by (a referral needs one); `audit_user`
    is who ran it (None for the management command, named by `audit_username`)."""
    tree = parse_return(content)
    result = ImportResult(dry_run=dry_run)
    result.schema_errors = schema_errors_of(tree)
    if not result.schema_errors:
        agency = childrens_social_care()
        with transaction.atomic():
            _Importer(actor=actor, agency=agency, result=result).run(tree.getroot())
            if dry_run:
                transaction.set_rollback(True)
    audit_record(
        user=audit_user,
        username=audit_username,
        action=AuditAction.VIEW if dry_run else AuditAction.CREATE,
        object_type="cin_census_import",
        request=request,
        detail=f"{'dry run' if dry_run else 'applied'}: {result.summary()}; {len(result.rejections)} rejected elements"
        + (f"; records by {actor.get_username()}" if actor is not None else ""),
    )
    return result


class _Rejected(Exception):
    def __init__(self, path, reason):
        super().__init__(reason)
        self.path, self.reason = path, reason


class _Importer:
    def __init__(self, *, actor, agency, result):
        self.actor, self.agency, self.result = actor, agency, result

    def reject(self, kind, la_id, path, reason):
        self.result.count(kind, "rejected")
        self.result.rejections.append(Rejection(child_id=la_id, path=path, reason=reason))

    def run(self, root):
        for index, element in _indexed(root.find("Children"), "Child"):
            path = f"/Message/Children/Child[{index}]"
            la_id = _text(element, "ChildIdentifiers/LAchildID") or ""
            try:
                with transaction.atomic():
                    child = self.child(element, la_id, path)
            except _Rejected as rejected:
                self.reject("children", la_id, rejected.path, rejected.reason)
                continue
            except IntegrityError as error:
                self.reject("children", la_id, path, f"could not be recorded: {error}")
                continue
            for number, details in _indexed(element, "CINdetails"):
                self.episode(child, details, la_id, f"{path}/CINdetails[{number}]")

    # --- the child ---

    def _match(self, identifiers, la_id, upn, born, path):
        child = selectors.child_with_la_child_id(la_id)
        if child is None and la_id.isdigit():
            candidate = selectors.child_with_portal_number(int(la_id))
            extra = getattr(candidate, "census", None) if candidate else None
            if candidate is not None and candidate.date_of_birth == born and not (extra and extra.la_child_id):
                child = candidate
        by_upn = selectors.child_with_upn(upn)
        if child is None:
            return by_upn
        if by_upn is not None and by_upn.pk != child.pk:
            raise _Rejected(f"{path}/ChildIdentifiers/UPN", f"UPN {upn} belongs to another child in the portal than LAchildID {la_id}")
        return child

    def child(self, element, la_id, path):
        ids = element.find("ChildIdentifiers")
        upn = _text(ids, "UPN") or ""
        born, expected = _date(ids, "PersonBirthDate"), _date(ids, "ExpectedPersonBirthDate")
        if born is None and expected is None:
            raise _Rejected(f"{path}/ChildIdentifiers", "no PersonBirthDate or ExpectedPersonBirthDate: a child record needs one")
        if upn:
            try:
                validate_upn(upn)
            except Exception as error:  # ValidationError: its message is the reason
                raise _Rejected(f"{path}/ChildIdentifiers/UPN", f"UPN {upn} is not valid: {' '.join(getattr(error, 'messages', [str(error)]))}") from error
        disabilities = _all_texts(element, "ChildCharacteristics/Disabilities/Disability")
        if len(set(disabilities)) != len(disabilities) or ("NONE" in disabilities and len(disabilities) > 1):
            raise _Rejected(f"{path}/ChildCharacteristics/Disabilities", "disability codes repeat, or NONE comes with other codes")
        wanted = {
            "date_of_birth": born or expected,
            "is_unborn": born is None,
            "sex": _text(ids, "Sex"),
            "ethnicity": _text(element, "ChildCharacteristics/Ethnicity"),
            "upn": upn,
            "disability": any(code != "NONE" for code in disabilities),
        }
        extra_wanted = {
            "former_upn": _text(ids, "FormerUPN") or "",
            "upn_unknown": _text(ids, "UPNunknown") or "",
            "death_date": _date(ids, "PersonDeathDate"),
            "disabilities": disabilities,
        }
        child = self._match(ids, la_id, upn, wanted["date_of_birth"], path)
        if child is None:
            child = Child.objects.create(given_name="Not known", family_name=f"(census LAchildID {la_id})", **wanted)
            ChildCensus.objects.create(child=child, la_child_id=la_id, created_by_import=True, **extra_wanted)
            self.result.count("children", "new")
            return child
        extra = ChildCensus.objects.filter(child=child).first()
        changed = False
        differing = {name: value for name, value in wanted.items() if getattr(child, name) != value}
        if differing and extra is not None and extra.created_by_import:
            for name, value in differing.items():
                setattr(child, name, value)
            child.save(update_fields=list(differing))
            changed = True
        elif differing:
            # A partner's record: what it says stands; the census fields of our own are still updated.
            self.result.rejections.append(
                Rejection(
                    la_id,
                    f"{path}/ChildIdentifiers",
                    NOT_OVERWRITTEN.format(portal=", ".join(f"{k} {getattr(child, k)}" for k in differing)),
                )
            )
        if extra is None:
            extra = ChildCensus(child=child, la_child_id="" if la_id == str(child.pk) else la_id)
            changed = changed or any(extra_wanted.values()) or bool(extra.la_child_id)
            for name, value in extra_wanted.items():
                setattr(extra, name, value)
            if changed:
                extra.save()
        else:
            fields = [name for name, value in extra_wanted.items() if getattr(extra, name) != value]
            if not extra.la_child_id and la_id != str(child.pk):
                extra.la_child_id = la_id
                fields.append("la_child_id")
            for name in fields:
                setattr(extra, name, extra_wanted.get(name, getattr(extra, name)))
            if fields:
                extra.save(update_fields=fields)
                changed = True
        self.result.count("children", "updated" if changed else "unchanged")
        return child

    # --- one CIN episode ---

    def episode(self, child, details, la_id, path):
        referred_on = _date(details, "CINreferralDate")
        closed_on = _date(details, "CINclosureDate")
        nfa = _text(details, "ReferralNFA") == "1"
        if closed_on and closed_on < referred_on:
            return self.reject("episodes", la_id, f"{path}/CINclosureDate", f"closure {closed_on} is before the referral {referred_on}")
        if nfa and closed_on is None:
            return self.reject("episodes", la_id, f"{path}/ReferralNFA", "ReferralNFA is 1 (no further action) but there is no CINclosureDate")
        if details.find("DateOfInitialCPC") is not None:
            self.result.rejections.append(
                Rejection(la_id, f"{path}/DateOfInitialCPC", "the 2026 census records the initial conference inside Section47; this copy is not imported")
            )
        assessments = self._checked(details, "Assessments", la_id, path, referred_on, self._check_assessment, "assessments")
        section47s = self._checked(details, "Section47", la_id, path, referred_on, self._check_section47, "section47s")
        try:
            with transaction.atomic():
                referral, status = self._referral(child, details, referred_on, closed_on, nfa, assessments, section47s, la_id, path)
        except (_Rejected, IntegrityError) as error:
            rejected = error if isinstance(error, _Rejected) else _Rejected(path, f"could not be recorded: {error}")
            for kind, items in (("assessments", assessments), ("section47s", section47s)):
                for item_path, _ in items:
                    self.reject(kind, la_id, item_path, "its CIN episode was not recorded")
            return self.reject("episodes", la_id, rejected.path, rejected.reason)
        self.result.count("episodes", status)
        recorded_assessments = [self._upsert(CensusAssessment, "assessments", referral, values) for _, values in assessments]
        recorded_section47s = [self._upsert(CensusSection47, "section47s", referral, values) for _, values in section47s]
        for number, element in _indexed(details, "CINPlanDates"):
            self._plan(child, referral, nfa, PlanKind.CHILD_IN_NEED, element, la_id, f"{path}/CINPlanDates[{number}]", "cin_plans")
        for number, element in _indexed(details, "ChildProtectionPlans"):
            self._plan(child, referral, nfa, PlanKind.CHILD_PROTECTION, element, la_id, f"{path}/ChildProtectionPlans[{number}]", "cp_plans")
        # After the plans: an initial conference's outcome is the plan that started at it.
        self._chronology(child, recorded_assessments, recorded_section47s)

    def _chronology(self, child, assessments, section47s):
        for assessment in assessments:
            chronology.chronology_entries_from_census_assessment(
                assessment=assessment,
                child=child,
                agency=self.agency,
                factors_in_words=[codes.ASSESSMENT_FACTORS.get(code, code) for code in assessment.factors],
                found_harm=bool(HARM_FACTORS & set(assessment.factors)),
            )
        for section47 in section47s:
            plan = selectors.plan_of(child, PlanKind.CHILD_PROTECTION, section47.icpc_on) if section47.icpc_on else None
            chronology.chronology_entries_from_census_section47(section47=section47, child=child, agency=self.agency, plan=plan)

    def _checked(self, details, tag, la_id, path, referred_on, check, kind):
        kept, starts = [], set()
        for number, element in _indexed(details, tag):
            item_path = f"{path}/{tag}[{number}]"
            try:
                values = check(element, referred_on, item_path)
                if values["started_on"] in starts:
                    raise _Rejected(item_path, f"a second {tag} starting on {values['started_on']} in the same episode")
            except _Rejected as rejected:
                self.reject(kind, la_id, rejected.path, rejected.reason)
                continue
            starts.add(values["started_on"])
            kept.append((item_path, values))
        return kept

    def _check_assessment(self, element, referred_on, path):
        started = _date(element, "AssessmentActualStartDate")
        authorised = _date(element, "AssessmentAuthorisationDate")
        review = _date(element, "AssessmentInternalReviewDate")
        if started < referred_on:
            raise _Rejected(f"{path}/AssessmentActualStartDate", f"assessment start {started} is before the referral {referred_on}")
        if authorised and authorised < started:
            raise _Rejected(f"{path}/AssessmentAuthorisationDate", f"authorised {authorised}, before the assessment started {started}")
        factors = _all_texts(element, "FactorsIdentifiedAtAssessment/AssessmentFactors")
        if len(set(factors)) != len(factors):
            raise _Rejected(f"{path}/FactorsIdentifiedAtAssessment", "a factor is listed twice")
        return {"started_on": started, "internal_review_on": review, "authorised_on": authorised, "factors": factors}

    def _check_section47(self, element, referred_on, path):
        started = _date(element, "S47ActualStartDate")
        held = _date(element, "DateOfInitialCPC")
        if started < referred_on:
            raise _Rejected(f"{path}/S47ActualStartDate", f"section 47 start {started} is before the referral {referred_on}")
        if held and held < started:
            raise _Rejected(f"{path}/DateOfInitialCPC", f"initial conference {held} is before the enquiry started {started}")
        return {
            "started_on": started,
            "icpc_target_on": _date(element, "InitialCPCtarget"),
            "icpc_on": held,
            "icpc_not_required": _text(element, "ICPCnotRequired") == "1",
        }

    def _upsert(self, model, kind, referral, values):
        existing = model.objects.filter(referral=referral, started_on=values["started_on"]).first()
        if existing is None:
            self.result.count(kind, "new")
            return model.objects.create(referral=referral, **values)
        fields = [name for name, value in values.items() if getattr(existing, name) != value]
        for name in fields:
            setattr(existing, name, values[name])
        if fields:
            existing.save(update_fields=fields)
        self.result.count(kind, "updated" if fields else "unchanged")
        return existing

    def _referral(self, child, details, referred_on, closed_on, nfa, assessments, section47s, la_id, path):
        source = _text(details, "ReferralSource")
        census_wanted = {
            "primary_need": _text(details, "PrimaryNeedCode") or "",
            "referral_source": "" if codes.REFERRAL_SOURCE_FOR_AGENCY_KIND.get(self.agency.kind) == source else source,
            "closure_reason": _text(details, "ReasonForClosure") or "",
        }
        if nfa:
            outcome, outcome_on = ReferralOutcome.NO_FURTHER_ACTION, closed_on
        elif assessments:
            outcome, outcome_on = ReferralOutcome.STATUTORY_ASSESSMENT, min(v["started_on"] for _, v in assessments)
        elif section47s:
            outcome, outcome_on = ReferralOutcome.STRATEGY_DISCUSSION_S47, min(v["started_on"] for _, v in section47s)
        else:
            outcome, outcome_on = "", None
        referral = selectors.referral_of(child, referred_on)
        if referral is None:
            return self._new_referral(child, referred_on, closed_on, nfa, outcome, outcome_on, census_wanted, details), "new"
        census = ReferralCensus.objects.filter(referral=referral).first()
        changed = False
        portal_closed = referral.outcome_on if referral.outcome == ReferralOutcome.NO_FURTHER_ACTION else (referral.case.closed_on if referral.case else None)
        portal_nfa = referral.outcome in (ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.EARLY_HELP)
        if census is not None and census.created_by_import:
            if (referral.outcome, referral.outcome_on) != (outcome, outcome_on):
                referral.outcome, referral.outcome_on = outcome, outcome_on
                referral.save(update_fields=["outcome", "outcome_on"])
                changed = True
            case = referral.case
            if case is not None and case.closed_on != (None if nfa else closed_on):
                case.closed_on = closed_on
                case.status = CaseStatus.CLOSED if closed_on else CaseStatus.OPEN
                case.closure_reason = f"Closed (census: {census_wanted['closure_reason']})" if closed_on else ""
                case.save(update_fields=["closed_on", "status", "closure_reason"])
                changed = True
        elif (portal_closed, portal_nfa) != (closed_on, nfa) and (portal_closed or closed_on):
            self.result.rejections.append(
                Rejection(
                    la_id,
                    f"{path}/CINclosureDate",
                    NOT_OVERWRITTEN.format(portal=f"closed {portal_closed or 'not yet'}{', no further action' if portal_nfa else ''}"),
                )
            )
        if census is None:
            if any(census_wanted.values()):
                ReferralCensus.objects.create(referral=referral, **census_wanted)
                changed = True
        else:
            fields = [name for name, value in census_wanted.items() if getattr(census, name) != value]
            for name in fields:
                setattr(census, name, census_wanted[name])
            if fields:
                census.save(update_fields=fields)
                changed = True
        if changed:
            chronology.chronology_entry_from_referral(referral=referral)
        return referral, "updated" if changed else "unchanged"

    def _new_referral(self, child, referred_on, closed_on, nfa, outcome, outcome_on, census_wanted, details):
        case = None
        if not nfa:
            case = selectors.open_case_of(child) if closed_on is None else None
            if case is None:
                case = Case.objects.create(
                    child=child,
                    lead_agency=self.agency,
                    threshold=Threshold.SPECIALIST,
                    opened_on=referred_on,
                    status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
                    closed_on=closed_on,
                    closure_reason=f"Closed (census: {census_wanted['closure_reason']})" if closed_on else "",
                )
                TeamMembership.objects.create(case=case, agency=self.agency, reason="Lead agency (census import)", added_by=self.actor)
        neglect = "16A" in _all_texts(details, "Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") or "NEG" in (
            _all_texts(details, "ChildProtectionPlans/InitialCategoryOfAbuse") + _all_texts(details, "ChildProtectionPlans/LatestCategoryOfAbuse")
        )
        referral = Referral.objects.create(
            child=child,
            case=case,
            referred_on=referred_on,
            referring_agency=self.agency,
            is_neglect=neglect,
            reasons=IMPORT_REASONS,
            outcome=outcome,
            outcome_on=outcome_on,
            recorded_by=self.actor,
        )
        ReferralCensus.objects.create(referral=referral, created_by_import=True, **census_wanted)
        chronology.chronology_entry_from_referral(referral=referral)
        return referral

    # --- plans ---

    def _plan(self, child, referral, nfa, kind, element, la_id, path, count_kind):
        cp = kind == PlanKind.CHILD_PROTECTION
        started = _date(element, "CPPstartDate" if cp else "CINPlanStartDate")
        ended = _date(element, "CPPendDate" if cp else "CINPlanEndDate")
        try:
            if nfa:
                raise _Rejected(path, "a plan in an episode closed at the front door (ReferralNFA 1)")
            if started < referral.referred_on:
                raise _Rejected(path, f"plan start {started} is before the referral {referral.referred_on}")
            if ended and ended < started:
                raise _Rejected(path, f"plan end {ended} is before its start {started}")
            census_wanted = {"created_by_import": True}
            category, review_dates = "", []
            if cp:
                reviews = _all_texts(element, "Reviews/CPPreviewDate")
                if any(date.fromisoformat(r[:10]) <= started for r in reviews):
                    raise _Rejected(f"{path}/Reviews", "a review on or before the plan's start")
                census_wanted = {
                    "initial_category": _text(element, "InitialCategoryOfAbuse"),
                    "latest_category": _text(element, "LatestCategoryOfAbuse"),
                    "previous_plans": int(_text(element, "NumberOfPreviousCPP")),
                    "created_by_import": True,
                }
                review_dates = sorted({date.fromisoformat(r[:10]) for r in reviews})
                category = CATEGORY_FOR_CODE[census_wanted["latest_category"]]
            with transaction.atomic():
                status = self._save_plan(child, referral, kind, started, ended, category, census_wanted, review_dates, la_id, path)
        except _Rejected as rejected:
            return self.reject(count_kind, la_id, rejected.path, rejected.reason)
        except IntegrityError as error:
            return self.reject(count_kind, la_id, path, f"could not be recorded: {error}")
        self.result.count(count_kind, status)

    def _save_plan(self, child, referral, kind, started, ended, category, census_wanted, review_dates, la_id, path):
        plan = selectors.plan_of(child, kind, started)
        if plan is None:
            case = referral.case
            if case is None:
                raise _Rejected(path, "its episode has no case to hold the plan")
            if ended is None and selectors.open_plan_on(case, kind) is not None:
                raise _Rejected(path, f"the case already has an open {PlanKind(kind).label.lower()} plan")
            plan = Plan.objects.create(
                case=case, kind=kind, cp_category=category, started_on=started, ended_on=ended, end_reason=IMPORT_END_REASON if ended else ""
            )
            census = PlanCensus.objects.create(plan=plan, **census_wanted)
            chronology.chronology_entry_from_plan_start(plan=plan, actor=None)
            if ended:
                chronology.chronology_entry_from_plan_end(plan=plan, actor=None)
            self._reviews(plan, census, review_dates)
            return "new"
        census = PlanCensus.objects.filter(plan=plan).first()
        changed = False
        if census is not None and census.created_by_import:
            if (plan.ended_on, plan.cp_category) != (ended, category):
                was_open = plan.ended_on is None
                plan.ended_on, plan.cp_category = ended, category
                plan.end_reason = IMPORT_END_REASON if ended else ""
                plan.save(update_fields=["ended_on", "cp_category", "end_reason"])
                if ended and was_open:
                    chronology.chronology_entry_from_plan_end(plan=plan, actor=None)
                changed = True
        elif (plan.ended_on, plan.cp_category) != (ended, category):
            self.result.rejections.append(
                Rejection(
                    la_id,
                    path,
                    NOT_OVERWRITTEN.format(portal=f"ended {plan.ended_on or 'not yet'}{', category ' + plan.cp_category if plan.cp_category else ''}"),
                )
            )
        if census is None:
            census = PlanCensus(plan=plan, created_by_import=False)
            census_wanted = {**census_wanted, "created_by_import": False}
            if kind == PlanKind.CHILD_PROTECTION:
                for name, value in census_wanted.items():
                    setattr(census, name, value)
                census.save()
                changed = True
        else:
            census_wanted = {**census_wanted, "created_by_import": census.created_by_import}
            fields = [name for name, value in census_wanted.items() if getattr(census, name) != value]
            for name in fields:
                setattr(census, name, census_wanted[name])
            if fields:
                census.save(update_fields=fields)
                changed = True
        if census.pk is not None and self._reviews(plan, census, review_dates):
            changed = True
        return "updated" if changed else "unchanged"

    def _reviews(self, plan, census, review_dates) -> bool:
        """Bring the plan's reviews to the return's dates (review n = the nth date), each with its
        chronology entry; True when a review was added, re-dated or dropped. A review the return no
        longer lists is deleted here; its chronology entry stays (entries are never deleted), amended
        to say the return no longer lists it."""
        existing = {review.number: review for review in census.reviews.all()}
        changed = False
        for number, held_on in enumerate(review_dates, 1):
            review = existing.pop(number, None)
            if review is None:
                review = CensusReview.objects.create(plan_census=census, number=number, held_on=held_on)
                changed = True
            elif review.held_on != held_on:
                review.held_on = held_on
                review.save(update_fields=["held_on"])
                changed = True
            chronology.chronology_entry_from_census_review(review=review, plan=plan, agency=self.agency)
        if existing:
            for review in existing.values():
                chronology.chronology_entry_from_census_review(review=review, plan=plan, agency=self.agency, withdrawn=True)
            CensusReview.objects.filter(pk__in=[review.pk for review in existing.values()]).delete()
            changed = True
        return changed
