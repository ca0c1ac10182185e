"""Nothing reads child data outside the access layer, except from its scoped querysets (docs/security.md, "The one door").

Every model that holds a child's data is covered (CHILD_DATA_MODELS), and selectors files are read
too. A read is any use of the model's manager except `create`, `bulk_create` and `none`
(`Concern.objects.filter(...)`, `Plan.objects.select_related(...)`, `get_object_or_404(Case, ...)`).
It passes when the same statement starts from the access layer: a call to one of its scoped
querysets (`cases_visible_to(user)`, `records_visible_to(...)`, any `..._visible_to(...)`), as in
`Plan.objects.filter(case__in=cases_visible_to(user))`. Anything else must be on the allow-list
below, one (file, model) pair with the reason it is safe; an entry nothing uses any more fails too.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD_DATA_MODELS = frozenset(
    {
        # cases/
        "Case",
        "Child",
        "Family",
        "Adult",
        "AdultChildRelationship",
        "TeamMembership",
        "Concern",
        "ConcernAmendment",
        "Plan",
        "PlanAction",
        "Referral",
        "Oversight",
        "ChildVoice",
        "SharingDecision",
        "CaseUserObjectPermission",
        "CaseGroupObjectPermission",
        # chronologies/, tools/, conferences/, drift/
        "ChronologyEntry",
        "AssessmentRun",
        "Conference",
        "ConferenceChild",
        "Invitation",
        "AbsenceFeedback",
        "DriftAcknowledgement",
        "DriftFlag",
        "DriftCaseState",
        "ChronologyExport",
        # subject_access/, census/, retention/
        "SubjectAccessRequest",
        "ChildCensus",
        "CensusAssessment",
        "CensusSection47",
        "PlanCensus",
        "ReferralCensus",
        "CensusUpload",
        "RetentionReview",
        # quality/ (issue 17): sampled cases with their moderation, auditors' grades and evidence, family feedback and its links
        "SampledCase",
        "AuditorGrade",
        "ModeratedGrade",
        "FeedbackRequest",
        "FeedbackResponse",
        # issue 14: households and the front door
        "HouseholdMember",
        "FrontDoorItem",
        "FrontDoorDecision",
        "HouseholdConcern",
        "HouseholdConcernLink",
    }
)
WRITES = frozenset({"create", "bulk_create", "none"})
MANAGERS = frozenset({"objects", "_default_manager"})
# `case_visible(user)` / `child_visible(user)`: the same scope as a condition on the row (agencies/access.py).
SCOPED = re.compile(r"_visible_to$|^(case|child)_visible$")
THE_ACCESS_LAYER = "agencies/access.py"

# (file, model) -> why its reads outside a scoped queryset are safe. Keep it short: a new entry needs a reason a reviewer accepts.
ALLOWED = {
    # --- Reads of a record the access layer already returned, re-fetched to lock or to join in what it needs.
    ("plans/services.py", "Plan"): "plan_end re-reads, under its version check, the plan the view got through access_case",
    ("plans/services.py", "PlanAction"): "plan_action_update re-reads the action the view got through access_case",
    ("cases/services.py", "TeamMembership"): "team_add, the one way into a team, asks access.require_team_add first",
    ("conferences/services.py", "Conference"): "marks the conference the view got through access_conference as recorded",
    ("conferences/services.py", "Invitation"): "locks the invitation the view got through access_invitation",
    ("conferences/services.py", "AbsenceFeedback"): "the once-only feedback row of a conference (agencies, no child detail), claimed by id",
    ("chronologies/services.py", "ChronologyEntry"): "the entry chain and sync keys of a child whose record the caller already holds",
    ("tools/services.py", "AssessmentRun"): "locks the run the view got through access_case_record",
    ("drift/rules.py", "Plan"): "drift rules over case ids the caller took from cases_visible_to (drift_flags_for_cases)",
    ("drift/rules.py", "PlanAction"): "drift rules over case ids the caller took from cases_visible_to",
    ("drift/rules.py", "DriftAcknowledgement"): "acknowledgements of case ids the caller took from cases_visible_to",
    # --- Drift's stored flags (issue 18): written from the whole record, read only through cases_visible_to (drift/selectors.py).
    ("drift/refresh.py", "Case"): "ids of open cases to refresh (events, the nightly sweep); nothing read is shown, drift/selectors.py narrows per reader",
    ("drift/refresh.py", "DriftFlag"): "replaces the stored flags of the cases being refreshed",
    ("drift/refresh.py", "DriftCaseState"): "locks and records the state of the cases being refreshed",
    # --- Partner agencies' own views of a case (issue 18): keyed by what the reader sees, computed through the access layer.
    ("drift/own_view.py", "Case"): (
        "a view's key: the household's cases of case ids the caller took from cases_visible_to, each marked with whether the reader sees it; "
        "warming: ids of open cases just refreshed, read as each agency through cases_visible_to"
    ),
    ("drift/own_view.py", "Child"): "a view's key: the children of the households of case ids the caller took from cases_visible_to (their ids only)",
    ("drift/own_view.py", "ChronologyEntry"): "a view's key: how many entries each household child has and the newest id (numbers only, never shown)",
    ("drift/own_view.py", "DriftCaseState"): "the drift versions of those cases, inside a view's key",
    ("drift/own_view.py", "TeamMembership"): "which partner agencies have a place in the teams of the cases just refreshed (whose views to warm)",
    ("drift/refresh.py", "DriftAcknowledgement"): "live acknowledgements of case ids the caller took from cases_visible_to (stored flags read back)",
    ("drift/selectors.py", "DriftFlag"): "stored flags of a cases queryset that starts from cases_visible_to (agency_cases, drift_flags_for_reader)",
    (
        "conferences/selectors.py",
        "AbsenceFeedback",
    ): "prefetch of feedback rows of a conference already read through conferences_visible_to (conference_for_page)",
    (
        "conferences/selectors.py",
        "Conference",
    ): "the attendance report's conferences decided without quorum: reference, date and kind only, no child and no free text",
    ("oversight/selectors.py", "Oversight"): "cases_to_oversee: the last oversight date of each case of agency_cases, which starts from cases_visible_to",
    # --- Chronology pages at a cost that does not grow with the record (issue 18).
    ("chronologies/selectors.py", "ChronologyEntry"): "current_versions: NOT EXISTS a later version, a condition on entries the caller scoped",
    (
        "chronologies/pattern_aggregates.py",
        "ChronologyEntry",
    ): "re-reads by id the entries of patterns found among a queryset from chronology_entries_visible_to",
    ("chronologies/tasks.py", "ChronologyEntry"): "which ids of a page's theme matches still exist, before storing them (no content read)",
    (
        "chronologies/pdf_exports.py",
        "ChronologyExport",
    ): "the export job claims, stores and fails its own row by id; the requester is checked again (access_chronology_export, child_for_export)",
    # --- The case page and family page: rows of a case or household reached through access_case / access_family.
    ("cases/selectors.py", "Adult"): "a household's adults, reached through a visible child; their child links are narrowed to visible children",
    ("concerns/selectors.py", "ConcernAmendment"): "prefetch of the amendments of concerns on a case the view got through access_case",
    ("plans/selectors.py", "PlanAction"): "prefetch of the actions of plans already narrowed to visible cases",
    ("cases/selectors.py", "SharingDecision"): "the disclosure log of one case the view got through access_case",
    (
        "cases/selectors.py",
        "Child",
    ): "ChildIdentifiers.first_matches: the exact-identifier lookup, only for identifier_lookup, whose answer is the same whatever it finds",
    ("referrals/selectors.py", "Referral"): "the repeat-referral flag looks among all of a child's referrals and says only that one exists",
    (
        "plans/history.py",
        "Plan",
    ): "repeat-plan and plan-history rules shared by drift, the dashboard and the census: callers pass visible or partnership-wide sets",
    ("referrals/history.py", "Referral"): "repeat-referral rules shared by drift, the dashboard and the census",
    (
        "conferences/selectors.py",
        "Invitation",
    ): "prefetch of invitations of conferences already narrowed by conferences_visible_to; attendance figures hold no child",
    ("conferences/selectors.py", "ConferenceChild"): "prefetch of one case's links, for a case the view got through access_case",
    ("conferences/selectors.py", "Case"): "Case.objects.none() and the like for users with no case",
    ("conferences/selectors.py", "TeamMembership"): "the agencies in the team of cases the view got through access_case (suggested invitations)",
    # --- Partnership-wide functions for roles that see no case content, each behind its own access check.
    ("dashboard/selectors.py", "AssessmentRun"): "quarterly aggregates (counts only) for strategy members and admins (can_see_dashboard)",
    ("dashboard/selectors.py", "Case"): "quarterly aggregates (counts only)",
    ("tools/requirements.py", "Plan"): "conditions (OuterRef subqueries) applied to case querysets the caller has already scoped",
    ("tools/requirements.py", "AssessmentRun"): "conditions (OuterRef subqueries) applied to case querysets the caller has already scoped",
    ("dashboard/selectors.py", "Child"): "quarterly aggregates (counts only)",
    ("dashboard/selectors.py", "ChronologyEntry"): "quarterly aggregates (counts only)",
    ("dashboard/selectors.py", "Plan"): "quarterly aggregates (counts only)",
    ("dashboard/selectors.py", "Referral"): "quarterly aggregates (counts only)",
    ("dashboard/selectors.py", "Concern"): "quarterly aggregates (counts only): a concern of neglect before a plan, as a subquery",
    ("census/annex_a.py", "Concern"): "Ofsted Annex A lists: statutory returns for partnership admins (can_exchange_statutory_returns)",
    ("census/annex_a.py", "ConferenceChild"): "Ofsted Annex A lists (can_exchange_statutory_returns)",
    ("census/annex_a.py", "Plan"): "Ofsted Annex A lists (can_exchange_statutory_returns)",
    ("census/annex_a.py", "Referral"): "Ofsted Annex A lists (can_exchange_statutory_returns)",
    ("census/export.py", "ConferenceChild"): "the DfE CIN census return (can_exchange_statutory_returns)",
    ("census/export.py", "Plan"): "the DfE CIN census return (can_exchange_statutory_returns)",
    ("census/export.py", "Referral"): "the DfE CIN census return (can_exchange_statutory_returns)",
    ("census/selectors.py", "Case"): "the census return's children (can_exchange_statutory_returns)",
    ("census/selectors.py", "Child"): "the census return's children (can_exchange_statutory_returns)",
    ("census/selectors.py", "ChildCensus"): "the census return's children (can_exchange_statutory_returns)",
    ("census/selectors.py", "Plan"): "the census return's plans (can_exchange_statutory_returns)",
    ("census/selectors.py", "Referral"): "the census return's referrals (can_exchange_statutory_returns)",
    ("census/importing.py", "ChildCensus"): "the import matches the return's own children to update them (admins, audited)",
    ("census/importing.py", "PlanCensus"): "the import matches the return's own plans (admins, audited)",
    ("census/importing.py", "ReferralCensus"): "the import matches the return's own referrals (admins, audited)",
    ("census/services.py", "CensusUpload"): "expired uploads are deleted by a job; the uploader's own upload is read through access_census_upload",
    ("subject_access/selectors.py", "Adult"): "the subject's whole record for a subject access request (admins, each export audited)",
    ("subject_access/selectors.py", "AdultChildRelationship"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "AssessmentRun"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Case"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Child"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "ChildVoice"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "ChronologyEntry"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Concern"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "ConferenceChild"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Oversight"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Plan"): "the subject's whole record for a subject access request",
    ("subject_access/selectors.py", "Referral"): "the subject's whole record for a subject access request",
    ("subject_access/services.py", "SubjectAccessRequest"): "the export job claims its request by id (a task re-fetches; admins only)",
    ("subject_access/views.py", "SubjectAccessRequest"): "the admins' list of requests (can_run_subject_access on the view)",
    ("retention/selectors.py", "Case"): "the weekly retention scan over every child (admins approve; no content shown)",
    ("retention/selectors.py", "Child"): "the weekly retention scan over every child",
    ("retention/selectors.py", "Conference"): "the weekly retention scan over every child",
    ("retention/selectors.py", "ConferenceChild"): "the weekly retention scan over every child",
    ("retention/selectors.py", "Plan"): "the weekly retention scan over every child",
    ("retention/services.py", "RetentionReview"): "the scan's and the approval's own review rows (admins, audited)",
    ("retention/views.py", "RetentionReview"): "the admins' list of reviews (can_review_retention on the view)",
    ("chronologies/importing.py", "ChronologyEntry"): "the CSV import checks its own rows for the child the view got through access_child",
    ("chronologies/management/commands/chronology_sync_case_records.py", "ChildVoice"): "an operator's command re-syncing every chronology",
    ("chronologies/management/commands/chronology_sync_case_records.py", "ChronologyEntry"): "an operator's command re-syncing every chronology",
    ("chronologies/management/commands/chronology_sync_case_records.py", "Concern"): "an operator's command re-syncing every chronology",
    ("chronologies/management/commands/chronology_sync_case_records.py", "Oversight"): "an operator's command re-syncing every chronology",
    ("chronologies/management/commands/chronology_sync_case_records.py", "Plan"): "an operator's command re-syncing every chronology",
    ("chronologies/management/commands/chronology_sync_case_records.py", "Referral"): "an operator's command re-syncing every chronology",
    ("demo/management/commands/seed_demo.py", "Case"): "the demo seed checks whether it has run already",
    ("demo/management/commands/seed_demo.py", "Family"): "the demo seed checks whether it has run already",
    ("demo/management/commands/seed_demo.py", "Referral"): "the demo seed codes its own synthetic county's referrals for the census",
    ("demo/management/commands/seed_demo.py", "Plan"): "the demo seed gives its own synthetic county's open plans their actions",
    ("demo/quality.py", "Case"): "the demo's audit round samples the demo's own named families' cases",
    ("demo/quality.py", "FeedbackRequest"): "the demo dates its own feedback links into the last complete quarter",
    ("demo/quality.py", "FeedbackResponse"): "the demo dates its own families' answers into the last complete quarter",
    # --- quality/ (issue 17): rounds are run by partnership admins and strategy members (can_run_case_audits) and show numbers and
    # grades only; auditors reach a case through access_sampled_case; measures are counts for the dashboard.
    (
        "quality/services.py",
        "SampledCase",
    ): "the round's own sample, numbered and locked by its runner's services, or the case the view got through access_sampled_case",
    ("quality/services.py", "AuditorGrade"): "writes the auditor's own grades on the case the view got through access_sampled_case",
    ("quality/services.py", "ModeratedGrade"): "writes the moderator's agreed grades on the case the view got through access_sampled_case",
    ("quality/services.py", "FeedbackRequest"): "the send job claims its link by id; a family's link is claimed once access_feedback_link has found it",
    ("quality/selectors.py", "Case"): "a random sample is drawn over every case for those who run audits; only case numbers come back",
    ("quality/selectors.py", "SampledCase"): "a round's sample by number and reference for those who run audits, never the moderator's summary",
    ("quality/selectors.py", "AuditorGrade"): "counts of grades by question and agency for those who run audits, never the evidence",
    (
        "quality/selectors.py",
        "ModeratedGrade",
    ): "agreed grades as counts (rounds, dashboard), and the notes of the case the view got through access_sampled_case",
    ("quality/selectors.py", "FeedbackRequest"): "quarterly counts of feedback links sent and answered (the dashboard's measures)",
    ("quality/selectors.py", "FeedbackResponse"): "quarterly counts of answers by question (the dashboard's measures); free text is counted, never read",
    # --- Households and the front door (issue 14).
    ("households/services.py", "Family"): "locks or updates the household the view got through access_family(edit=True), asked again here",
    ("households/services.py", "Child"): "keeps Child.family in step with a membership row the service just wrote for a child the actor sees",
    ("households/services.py", "Adult"): "keeps Adult.family in step with a membership row the service just wrote",
    ("households/services.py", "HouseholdMember"): "locks the membership rows of households the view got through access_family(edit=True)",
    ("cases/selectors.py", "HouseholdMember"): "subqueries on a visible household's adults: whether each still lives there",
    ("chronologies/household_entries.py", "Child"): "the children living in a household whose membership changed, to put the change on their chronologies",
    (
        "frontdoor/services.py",
        "FrontDoorItem",
    ): "finds an item already waiting before queueing another, and updates the item the view got through access_front_door_item",
}


def _checked_files():
    # Walk the project's own folders only: virtual environments and node_modules hold thousands of files.
    skipped = {"tests", "bench", "node_modules", "static", "var"}
    folders = [p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in skipped]
    paths = [*ROOT.glob("*.py"), *(path for folder in folders for path in folder.rglob("*.py"))]
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative == THE_ACCESS_LAYER:
            continue
        yield relative, path


def _model_read(node):
    """The model a node reads through its manager (`Model.objects.<method>`, `get_object_or_404(Model, ...)`), or None."""
    if isinstance(node, ast.Attribute) and node.attr not in WRITES and isinstance(node.value, ast.Attribute) and node.value.attr in MANAGERS:
        owner = node.value.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        return name if name in CHILD_DATA_MODELS else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("get_object_or_404", "get_list_or_404") and node.args:
        first = node.args[0]
        return first.id if isinstance(first, ast.Name) and first.id in CHILD_DATA_MODELS else None
    return None


def _starts_from_the_access_layer(expression):
    for node in ast.walk(expression):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if SCOPED.search(name):
                return True
    return False


def _expressions(tree):
    """Each statement's own expressions (a nested block's statements are visited on their own)."""
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.stmt):
            continue
        for value in ast.iter_child_nodes(statement):
            if isinstance(value, (ast.stmt, ast.arguments, ast.excepthandler)) or type(value).__name__ == "match_case":
                continue
            yield value


def reads(source):
    """(line, model, scoped) for each read of child data in `source`."""
    found = []
    for expression in _expressions(ast.parse(source)):
        scoped = None
        for node in ast.walk(expression):
            model = _model_read(node)
            if model is not None:
                scoped = _starts_from_the_access_layer(expression) if scoped is None else scoped
                found.append((node.lineno, model, scoped))
    return found


def _offences_and_uses():
    offences, used = [], set()
    for relative, path in _checked_files():
        lines = path.read_text().splitlines()
        for line, model, scoped in reads(path.read_text()):
            if scoped:
                continue
            if (relative, model) in ALLOWED:
                used.add((relative, model))
                continue
            offences.append(f"{relative}:{line}: {model}: {lines[line - 1].strip()}")
    return offences, used


def test_no_child_data_is_read_outside_the_access_layer():
    offences, _ = _offences_and_uses()
    assert offences == [], "Start from agencies/access.py's scoped querysets, or add an ALLOWED entry with its reason:\n" + "\n".join(offences)


def test_every_allowed_read_is_still_there_and_has_a_reason():
    _, used = _offences_and_uses()
    assert sorted(set(ALLOWED) - used) == [], "ALLOWED entries nothing uses any more: remove them"
    assert all(len(reason) > 20 for reason in ALLOWED.values())


def test_the_lint_reads_every_app_and_selectors():
    checked = {relative for relative, _ in _checked_files()}
    assert {"cases/views.py", "cases/selectors.py", "conferences/selectors.py", "census/views.py", "dashboard/views.py", "manage.py"} <= checked
    assert not any(relative.startswith((".venv", "tests/")) for relative in checked)
    assert THE_ACCESS_LAYER not in checked


def test_the_lint_catches_a_lookup():
    def offending(source):
        return [(model, scoped) for _, model, scoped in reads(source)]

    assert offending("case = Case.objects.get(pk=case_id)") == [("Case", False)]
    assert offending("get_object_or_404(Child, pk=1)") == [("Child", False)]
    assert offending("rows = Concern.objects.select_related('case').filter(pk=1)") == [("Concern", False)]
    assert offending("runs = AssessmentRun._default_manager.all()") == [("AssessmentRun", False)]
    assert offending("x = Plan.objects.filter(case__in=cases_visible_to(user))") == [("Plan", True)]
    assert offending("x = Plan.objects.filter(case_visible(user))") == [("Plan", True)]
    assert offending("x = Invitation.objects.filter(\n    conference__in=access.conferences_visible_to(user),\n)") == [("Invitation", True)]
    assert offending("Case.objects.create(child=child)") == []
    assert offending("Agency.objects.get(pk=1)") == []
