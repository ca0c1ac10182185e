"""Everything held about one subject, as a document: the JSON export and the PDF are both made from it.

Reads here are not scoped by `cases_visible_to`: a subject access request covers every agency's
records about the subject, and is made for the partnership's data-protection function (access
decided by `agencies.access.can_run_subject_access` before a request can exist). The job that
calls this has re-checked the request, and each download is audited.

Nothing is silently dropped or silently included. Every item carries `redaction_review` and the
reasons for it when it may hold information a reviewer must consider before disclosure:

* a restricted chronology entry (police intelligence, health detail): the recording agency must be
  asked before it is disclosed;
* information about another person: another adult or child of the household, a sibling on the same
  conference, or free text that names one of them;
* for an adult subject, anything in a child's record (the child is a third party to the request).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from agencies.models import Role
from audit.models import AccessEvent
from cases.models import Adult, AdultChildRelationship, Case, Child
from chronologies.models import ChronologyEntry
from concerns.models import Concern
from conferences.models import ConferenceChild
from oversight.models import Oversight
from partnership.selectors import partnership_name
from plans.models import Plan
from referrals.models import Referral
from tools.models import AssessmentRun
from voice.models import ChildVoice

from .models import SubjectKind

RESTRICTED_REASON = "Restricted chronology entry: ask the recording agency ({agency}) before disclosing it"
NAMES_REASON = "Names another person ({names}): review before disclosure"
HOUSEHOLD_REASON = "About another person in the household ({who})"
THIRD_PARTY_CHILD_REASON = "In the record of a child ({who}), a third party to this request: disclose only what is about the requester"
OTHER_CHILDREN_REASON = "The conference also covered other children ({count})"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %B %Y %H:%M")
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _agency_of(user):
    """The user's agency now (oversight rows do not store the manager's agency)."""
    membership = getattr(user, "membership", None)
    return membership.agency if membership else ""


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass
class OtherPerson:
    """Someone other than the subject whose name may appear in free text."""

    name: str
    who: str

    @property
    def pattern(self):
        # The given name as a whole word (people are mostly named by first name in case notes).
        given = self.name.split()[0]
        return re.compile(rf"\b{re.escape(given)}\b", re.IGNORECASE)


@dataclass
class Item:
    type: str
    id: int
    title: str
    date: str = ""
    agency: str = ""
    fields: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    def as_dict(self):
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "agency": self.agency,
            "fields": [{"label": label, "value": value} for label, value in self.fields],
            "redaction_review": bool(self.reasons),
            "redaction_reasons": list(self.reasons),
        }


class _Builder:
    """Builds the sections of one child's record; `others` are the people whose names are flagged."""

    def __init__(self, child, *, others, extra_reason="", subject_adult_id=None):
        self.child = child
        self.others = others
        self.extra_reason = extra_reason
        # An adult's own request lists the adult once, in their own section, not again in each child's household.
        self.subject_adult_id = subject_adult_id

    def item(self, type_, id_, title, *, date_="", agency="", fields=(), reasons=(), scan=()):
        reasons = list(reasons)
        named = sorted({f"{person.name} ({person.who})" for person in self.others for text in scan if text and person.pattern.search(text)})
        if named:
            reasons.append(NAMES_REASON.format(names="; ".join(named)))
        if self.extra_reason:
            reasons.append(self.extra_reason)
        return Item(type_, id_, title, _text(date_), str(agency or ""), [(label, _text(value)) for label, value in fields], reasons)

    def sections(self):
        child = self.child
        cases = list(
            Case.objects.filter(child=child).select_related("lead_agency", "lead_professional").prefetch_related("team__agency").order_by("opened_on", "pk")
        )
        case_ids = [case.pk for case in cases]
        return [
            ("child", "The child's record", [self._child_item()]),
            ("household", "Household", self._household_items()),
            ("cases", "Cases and the agencies around the child", [self._case_item(case) for case in cases]),
            ("concerns", "Concerns and their amendments", self._concern_items(child)),
            ("plans", "Plans and their actions", self._plan_items(case_ids)),
            ("referrals", "Referrals", self._referral_items(child)),
            ("oversight", "Management oversight", self._oversight_items(case_ids)),
            ("voice", "The child's voice", self._voice_items(case_ids)),
            ("chronology", "Chronology entries (all agencies, restricted ones included and marked)", self._chronology_items(child)),
            ("assessments", "Assessment tool runs and scores", self._tool_items(case_ids)),
            ("conferences", "Conferences and decisions", self._conference_items(case_ids)),
            ("sharing", "Information-sharing decisions", self._sharing_items(child)),
        ]

    def _child_item(self):
        child = self.child
        return self.item(
            "child",
            child.pk,
            f"{child.given_name} {child.family_name}",
            fields=[
                ("Given name", child.given_name),
                ("Family name", child.family_name),
                ("Preferred name", child.preferred_name),
                ("Date of birth" + (" (expected)" if child.is_unborn else ""), child.date_of_birth),
                ("Sex", child.get_sex_display()),
                ("Gender", child.gender),
                ("Ethnicity", child.get_ethnicity_display()),
                ("Disability", child.disability),
                ("NHS number", child.nhs_number),
                ("Unique pupil number", child.upn),
                ("School", child.school or ""),
                ("Recorded", child.created_at),
            ],
        )

    def _household_items(self):
        family = self.child.family
        if family is None:
            return []
        items = [
            self.item(
                "family",
                family.pk,
                f"Household: {family.name}",
                fields=[
                    ("Name", family.name),
                    ("Address", family.address),
                    ("Postcode", family.postcode),
                    ("Locality", family.locality),
                    ("Language", family.language),
                    ("Interpreter needed", family.interpreter_needed),
                ],
            )
        ]
        links = {link.adult_id: link for link in AdultChildRelationship.objects.filter(child=self.child)}
        for adult in Adult.objects.filter(family=family).exclude(pk=self.subject_adult_id).order_by("pk"):
            link = links.get(adult.pk)
            items.append(
                self.item(
                    "adult",
                    adult.pk,
                    f"Adult: {adult}",
                    fields=[
                        ("Name", str(adult)),
                        ("Relationship to the child", link.get_relationship_display() if link else "Not recorded"),
                        ("Parental responsibility", link.parental_responsibility if link else ""),
                        ("Needs affecting parenting", ", ".join(adult.parenting_needs)),
                        ("Notes", adult.lived_experience_notes),
                    ],
                    reasons=[HOUSEHOLD_REASON.format(who="an adult")],
                )
            )
        for sibling in Child.objects.filter(family=family).exclude(pk=self.child.pk).order_by("pk"):
            items.append(
                self.item(
                    "sibling",
                    sibling.pk,
                    f"Other child in the household: {sibling.given_name} {sibling.family_name}",
                    fields=[("Name", f"{sibling.given_name} {sibling.family_name}"), ("Date of birth", sibling.date_of_birth)],
                    reasons=[HOUSEHOLD_REASON.format(who="another child")],
                )
            )
        return items

    def _case_item(self, case):
        return self.item(
            "case",
            case.pk,
            f"Case {case.pk}",
            date_=case.opened_on,
            agency=case.lead_agency,
            fields=[
                ("Threshold", case.get_threshold_display()),
                ("Status", case.get_status_display()),
                ("Opened", case.opened_on),
                ("Closed", case.closed_on),
                ("Closure reason", case.closure_reason),
                ("Lead agency", case.lead_agency),
                ("Lead professional", _person(case.lead_professional)),
                ("Team around the child", "; ".join(f"{row.agency} (since {_text(row.since)}: {row.reason})" for row in case.team.all())),
            ],
        )

    def _concern_items(self, child):
        items = []
        concerns = (
            Concern.objects.filter(child=child)
            .select_related("agency", "recorded_by")
            .prefetch_related("amendments__agency", "agencies_told")
            .order_by("observed_on", "pk")
        )
        for concern in concerns:
            told = ", ".join(str(agency) for agency in concern.agencies_told.all())
            items.append(self._concern_content("concern", concern, f"Concern {concern.pk}", [("Agencies told", told)]))
            for amendment in concern.amendments.all():
                title = f"Amendment {amendment.pk} of concern {concern.pk}"
                items.append(self._concern_content("concern_amendment", amendment, title, [("Reason for the amendment", amendment.reason)]))
        return items

    def _concern_content(self, type_, record, title, extra):
        return self.item(
            type_,
            record.pk,
            title,
            date_=record.observed_on,
            agency=record.agency,
            fields=[
                ("Date observed", record.observed_on),
                ("Types of neglect", ", ".join(record.neglect_type_labels)),
                ("What was seen, heard, smelt or told", record.description),
                ("Impact on the child", record.impact_on_child),
                ("Action taken", record.action_taken),
                ("Recorded by", _person(record.recorded_by)),
                ("Recorded at", record.created_at),
                *extra,
            ],
            scan=[record.description, record.impact_on_child, record.action_taken],
        )

    def _plan_items(self, case_ids):
        items = []
        for plan in Plan.objects.filter(case_id__in=case_ids).prefetch_related("actions__owner_agency").order_by("started_on", "pk"):
            items.append(
                self.item(
                    "plan",
                    plan.pk,
                    str(plan),
                    date_=plan.started_on,
                    fields=[
                        ("Kind", plan.get_kind_display()),
                        ("Category", plan.get_cp_category_display()),
                        ("Started", plan.started_on),
                        ("Ended", plan.ended_on),
                        ("End reason", plan.end_reason),
                    ],
                )
            )
            for action in plan.actions.all():
                items.append(
                    self.item(
                        "plan_action",
                        action.pk,
                        f"Action of plan {plan.pk}",
                        date_=action.due_on,
                        agency=action.owner_agency,
                        fields=[
                            ("What", action.what),
                            ("Outcome for the child", action.outcome_for_child),
                            ("Due", action.due_on),
                            ("Status", action.get_status_display()),
                            ("Evidence", action.evidence),
                        ],
                        scan=[action.what, action.outcome_for_child, action.evidence],
                    )
                )
        return items

    def _referral_items(self, child):
        return [
            self.item(
                "referral",
                referral.pk,
                f"Referral {referral.pk}",
                date_=referral.referred_on,
                agency=referral.referring_agency,
                fields=[
                    ("Referred", referral.referred_on),
                    ("For neglect", referral.is_neglect),
                    ("Reasons", referral.reasons),
                    ("Outcome", referral.get_outcome_display()),
                    ("Outcome date", referral.outcome_on),
                    ("Recorded by", _person(referral.recorded_by)),
                ],
                scan=[referral.reasons],
            )
            for referral in Referral.objects.filter(child=child).select_related("referring_agency", "recorded_by").order_by("referred_on", "pk")
        ]

    def _oversight_items(self, case_ids):
        return [
            self.item(
                "oversight",
                row.pk,
                f"Oversight of case {row.case_id}",
                date_=row.recorded_on,
                agency=_agency_of(row.manager),
                fields=[
                    ("Manager", _person(row.manager)),
                    ("Decision", row.decision),
                    ("Reasons", row.reasons),
                    ("Next review", row.next_review_on),
                ],
                scan=[row.decision, row.reasons],
            )
            for row in Oversight.objects.filter(case_id__in=case_ids).select_related("manager__membership__agency").order_by("recorded_on", "pk")
        ]

    def _voice_items(self, case_ids):
        return [
            self.item(
                "child_voice",
                row.pk,
                "The child's voice",
                date_=row.recorded_on,
                agency=row.agency,
                fields=[
                    ("Who spoke", row.get_speaker_display()),
                    ("How", row.get_method_display()),
                    ("What was said or shown", row.what_was_said),
                    ("How they feel", row.how_they_feel),
                    ("Recorded by", _person(row.recorded_by)),
                ],
                scan=[row.what_was_said, row.how_they_feel],
            )
            for row in ChildVoice.objects.filter(case_id__in=case_ids).select_related("agency", "recorded_by").order_by("recorded_on", "pk")
        ]

    def _chronology_items(self, child):
        items = []
        entries = ChronologyEntry.objects.filter(child=child).select_related("agency", "author").prefetch_related("shared_with").order_by("occurred_on", "pk")
        for entry in entries:
            reasons = [RESTRICTED_REASON.format(agency=entry.agency)] if entry.restricted else []
            items.append(
                self.item(
                    "chronology_entry",
                    entry.pk,
                    entry.get_kind_display(),
                    date_=entry.occurred_on,
                    agency=entry.agency,
                    fields=[
                        ("Date", entry.date_display),
                        ("What happened", entry.summary),
                        ("Impact on the child", entry.impact_on_child),
                        ("Action taken", entry.action_taken),
                        ("Significance", entry.get_significance_display()),
                        ("Restricted", entry.restricted),
                        ("Shared with", ", ".join(str(a) for a in entry.shared_with.all())),
                        ("Amends entry", entry.supersedes_id or ""),
                        ("Reason for the amendment", entry.amendment_reason),
                        ("Recorded by", entry.author_name),
                    ],
                    reasons=reasons,
                    scan=[entry.summary, entry.impact_on_child, entry.action_taken],
                )
            )
        return items

    def _tool_items(self, case_ids):
        items = []
        for run in AssessmentRun.objects.filter(case_id__in=case_ids).select_related("definition", "agency", "assessor").order_by("assessed_on", "pk"):
            answers = [
                f"{area}/{item}: {answer.get('value', '')}" + (f" – {answer['evidence']}" if answer.get("evidence") else "")
                for area, by_item in sorted(run.answers.items())
                for item, answer in sorted(by_item.items())
            ]
            items.append(
                self.item(
                    "assessment_run",
                    run.pk,
                    str(run.definition),
                    date_=run.assessed_on,
                    agency=run.agency,
                    fields=[
                        ("Tool", str(run.definition)),
                        ("Status", run.get_status_display()),
                        ("Assessor", _person(run.assessor)),
                        ("People present", run.people_present),
                        ("Age band", run.age_band),
                        ("The child's voice", run.child_voice),
                        (
                            "Scores",
                            ", ".join(f"{key}: {value}" for key, value in sorted(run.scores.items())) if isinstance(run.scores, dict) else str(run.scores),
                        ),
                        ("Answers", "\n".join(answers)),
                    ],
                    scan=[run.people_present, run.child_voice, *answers],
                )
            )
        return items

    def _conference_items(self, case_ids):
        items = []
        links = (
            ConferenceChild.objects.filter(case_id__in=case_ids)
            .select_related("conference__chair_agency", "conference__chair")
            .prefetch_related("conference__invitations__agency", "conference__links")
            .order_by("conference__held_on", "pk")
        )
        for link in links:
            conference = link.conference
            others = len([other for other in conference.links.all() if other.case_id not in case_ids])
            attendance = "; ".join(f"{inv.agency}: {inv.get_attendance_display() or 'not recorded'}" for inv in conference.invitations.all())
            items.append(
                self.item(
                    "conference",
                    conference.pk,
                    str(conference),
                    date_=conference.held_on,
                    agency=conference.chair_agency,
                    fields=[
                        ("Kind", conference.get_kind_display()),
                        ("Held", conference.held_on),
                        ("Chair", _person(conference.chair)),
                        ("Attendance", attendance),
                        ("Decision for the child", link.get_decision_display()),
                        ("Category", link.get_cp_category_display()),
                        ("Decision notes", link.decision_notes),
                    ],
                    reasons=[OTHER_CHILDREN_REASON.format(count=others)] if others else [],
                    scan=[link.decision_notes],
                )
            )
        return items

    def _sharing_items(self, child):
        """Information-sharing decisions (cases.SharingDecision), when that model is installed."""
        related = getattr(child, "sharing_decisions", None)
        if related is None:
            return []
        items = []
        for decision in related.select_related("decided_by", "decided_by_agency").prefetch_related("shared_with").order_by("decided_at", "pk"):
            items.append(
                self.item(
                    "sharing_decision",
                    decision.pk,
                    f"Sharing decision {decision.pk}",
                    date_=decision.decided_at,
                    agency=decision.decided_by_agency or "",
                    fields=[
                        ("What was shared", decision.get_shared_item_display()),
                        ("Shared with", ", ".join(str(a) for a in decision.shared_with.all())),
                        ("Why", decision.reason),
                        ("Lawful basis", decision.get_lawful_basis_display()),
                        ("Condition", decision.get_condition_display()),
                        ("Family informed", decision.get_family_informed_display()),
                        ("Why not", decision.not_informed_reason),
                        ("Decided by", _person(decision.decided_by)),
                    ],
                    scan=[decision.reason, decision.not_informed_reason],
                )
            )
        return items


def _others_for_child(child):
    """The adults and other children of the child's household: named in free text, they are third parties."""
    if child.family_id is None:
        return []
    others = [OtherPerson(str(adult), "adult in the household") for adult in Adult.objects.filter(family_id=child.family_id)]
    others += [OtherPerson(f"{c.given_name} {c.family_name}", "another child") for c in Child.objects.filter(family_id=child.family_id).exclude(pk=child.pk)]
    # A name the subject shares (a parent with the child's first name) would flag every text: leave it out.
    return [person for person in others if person.name.split()[0].lower() != child.given_name.lower()]


def _role_label(code):
    return Role(code).label if code in Role.values else code


def _disclosure_log(condition):
    return [
        {
            "at": timezone.localtime(event.at).isoformat(timespec="seconds"),
            "user": event.username,
            "agency": event.agency_name,
            "role": _role_label(event.role),
            "action": event.get_action_display(),
            "object_type": event.object_type,
            "object_id": event.object_id,
            "detail": event.detail,
        }
        for event in AccessEvent.objects.filter(condition).order_by("at", "id").iterator(chunk_size=2000)
    ]


def _sections_as_dicts(sections):
    return [{"key": key, "title": title, "items": [item.as_dict() for item in items]} for key, title, items in sections]


def subject_access_document(*, sar) -> dict:
    """The whole export for one request, as plain JSON-ready data (see the module docstring)."""
    if sar.subject_kind == SubjectKind.CHILD:
        child = sar.child
        sections = _sections_as_dicts(_Builder(child, others=_others_for_child(child)).sections())
        condition = Q(child_id=child.pk)
        if child.family_id:
            condition |= Q(object_type="family", object_id=str(child.family_id))
        subject = {"kind": "child", "id": child.pk, "name": f"{child.given_name} {child.family_name}", "date_of_birth": child.date_of_birth.isoformat()}
    else:
        adult = sar.adult
        sections = _adult_sections(adult)
        condition = Q(object_type="adult", object_id=str(adult.pk)) | Q(object_type="family", object_id=str(adult.family_id))
        subject = {"kind": "adult", "id": adult.pk, "name": str(adult), "household": adult.family.name}
    log = _disclosure_log(condition)
    items = [item for section in sections for item in section["items"]]
    return {
        "format": "neglect-portal-subject-access/1",
        "partnership": partnership_name(),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "request": {
            "id": sar.pk,
            "received_on": sar.received_on.isoformat(),
            "due_on": sar.due_on.isoformat(),
            "requester_name": sar.requester_name,
            "requester_relationship": sar.requester_relationship,
            "identity_checked": sar.identity_checked,
        },
        "subject": subject,
        "summary": {"items": len(items), "redaction_review_items": sum(1 for item in items if item["redaction_review"]), "disclosure_log_events": len(log)},
        "sections": sections,
        "disclosure_log": log,
    }


def _adult_sections(adult):
    """An adult's own record, their household, and every linked child's record flagged as third-party."""
    family = adult.family
    own = [
        Item(
            "adult",
            adult.pk,
            f"Adult: {adult}",
            fields=[
                ("Name", str(adult)),
                ("Father or male carer", _text(adult.is_father_or_male_carer)),
                ("Needs affecting parenting", ", ".join(adult.parenting_needs)),
                ("Notes", adult.lived_experience_notes),
                ("Recorded", _text(adult.created_at)),
            ],
        ),
        Item(
            "family", family.pk, f"Household: {family.name}", fields=[("Address", family.address), ("Postcode", family.postcode), ("Language", family.language)]
        ),
    ]
    for link in AdultChildRelationship.objects.filter(adult=adult).select_related("child"):
        own.append(
            Item(
                "relationship",
                link.pk,
                f"Relationship to {link.child.given_name} {link.child.family_name}",
                fields=[
                    ("Relationship", link.get_relationship_display()),
                    ("Parental responsibility", _text(link.parental_responsibility)),
                ],
                reasons=[HOUSEHOLD_REASON.format(who="a child")],
            )
        )
    sections = [("adult", "The adult's record", own)]
    for child in Child.objects.filter(adult_links__adult=adult).order_by("pk"):
        builder = _Builder(
            child, others=[], extra_reason=THIRD_PARTY_CHILD_REASON.format(who=f"{child.given_name} {child.family_name}"), subject_adult_id=adult.pk
        )
        for key, title, items in builder.sections():
            sections.append((f"child-{child.pk}-{key}", f"{child.given_name} {child.family_name}: {title}", items))
    return _sections_as_dicts(sections)
