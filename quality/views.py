"""Pages for case audits, question sets and family feedback.

Thin: parse, ask `agencies.access`, call a service or selector, render.
* A round's pages are for those who run audits (`can_run_case_audits`: partnership admins and
  strategy members); they name cases by number and reference and show grades, never case content.
* The auditors' pages get their sampled case from `access_sampled_case` (404 outside the round and
  its dates; the moderation page 403 for an auditor who is not the moderator).
* Question sets are for partnership admins (`can_manage_question_sets`).
* Feedback on a case needs the case (`access_case`: 404 when it is not visible).
* The family's own page (`family_feedback`) needs no account: see the function.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from neglect_portal.concurrency import EditConflict
from neglect_portal.govuk_forms import add_service_errors, form_after_conflict
from neglect_portal.quarters import BadQuarter, parse_quarter, quarter_of
from partnership.selectors import partnership_name

from . import forms, links, report, selectors, services
from .models import QuestionSetLockedError, Respondent

runners_only = access.role_required(access.can_run_case_audits)
set_admins_only = access.role_required(access.can_manage_question_sets)


# --- Rounds (partnership admins and strategy members) ------------------------------------------------


@runners_only
def round_list(request):
    return render(
        request,
        "quality/round_list.html",
        {"rounds": selectors.rounds_overview(user=request.user), "can_manage_sets": access.can_manage_question_sets(request.user)},
    )


@runners_only
@require_http_methods(["GET", "POST"])
def round_new(request):
    today = timezone.localdate()
    form = forms.RoundForm(request.POST or None, initial={"starts_on": today, "ends_on": today + timedelta(days=42)})
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = services.audit_round_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Round “{audit_round.title}” set up. Choose its sample and auditors.")
            return redirect("quality:round_detail", audit_round.pk)
    return render(request, "quality/round_form.html", {"form": form})


def _round_page(request, audit_round, *, errors=(), moderator_form=None, status=200):
    auditors = selectors.round_auditors(audit_round=audit_round)
    context = {
        "audit_round": audit_round,
        "sample": selectors.round_sample(audit_round=audit_round),
        "auditors": auditors,
        "questions": audit_round.questions,
        "question_count": len(audit_round.questions),
        "start_problems": services.round_start_problems(audit_round) if audit_round.is_setup else [],
        "errors": list(errors),
        "moderator_form": moderator_form or forms.ModeratorForm(auditors=auditors, initial={"moderator": audit_round.moderator_id}),
        **report.report_context(audit_round=audit_round),
    }
    return render(request, "quality/round_detail.html", context, status=status)


@runners_only
def round_detail(request, round_id):
    return _round_page(request, access.access_audit_round(request.user, round_id, request=request))


def _round_action(request, round_id, action, success):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    try:
        action(actor=request.user, audit_round=audit_round, request=request)
    except ValidationError as error:
        audit_round.refresh_from_db()
        return _round_page(request, audit_round, errors=error.messages, status=400)
    messages.success(request, success)
    return redirect("quality:round_detail", audit_round.pk)


@runners_only
@require_POST
def round_start(request, round_id):
    return _round_action(
        request, round_id, services.audit_round_start, "Round started. Each auditor can now read and grade the sampled cases until the round's last day."
    )


@runners_only
@require_POST
def round_close(request, round_id):
    return _round_action(request, round_id, services.audit_round_close, "Round closed. The auditors' access to the sampled cases has ended.")


@runners_only
@require_http_methods(["GET", "POST"])
def round_sample(request, round_id):
    """Draw cases at random by criteria (POST here), or add a chosen case by number (`round_sample_add`)."""
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    draw = forms.SampleDrawForm(request.POST or None, initial={"size": 6, "plan": "cp_neglect", "status": "open"})
    add = forms.SampleAddForm()
    if request.method == "POST" and draw.is_valid():
        data = draw.cleaned_data
        criteria = services.SampleCriteria(
            threshold=data["threshold"], plan=data["plan"], status=data["status"], opened_since=data["opened_since"], lead_agency=data["lead_agency"]
        )
        try:
            added = services.sample_draw(actor=request.user, audit_round=audit_round, criteria=criteria, size=data["size"], request=request)
        except ValidationError as error:
            add_service_errors(draw, error)
        else:
            messages.success(request, f"{added} case{'s' if added != 1 else ''} drawn at random and added to the sample.")
            return redirect("quality:round_sample", audit_round.pk)
    return _sample_page(request, audit_round, draw, add)


def _sample_page(request, audit_round, draw, add):
    return render(
        request, "quality/round_sample.html", {"audit_round": audit_round, "draw": draw, "add": add, "sample": selectors.round_sample(audit_round=audit_round)}
    )


@runners_only
@require_POST
def round_sample_add(request, round_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    add = forms.SampleAddForm(request.POST)
    if add.is_valid():
        try:
            sampled = services.sample_add(actor=request.user, audit_round=audit_round, case_number=add.cleaned_data["case_number"], request=request)
        except ValidationError as error:
            add_service_errors(add, error)
        else:
            messages.success(request, f"Case number {sampled.case_id} added to the sample as {sampled.label}.")
            return redirect("quality:round_sample", audit_round.pk)
    return _sample_page(request, audit_round, forms.SampleDrawForm(initial={"size": 6}), add)


def _sampled_of(audit_round, sampled_id):
    sampled = audit_round.sample.select_related("case").filter(pk=sampled_id).first()
    if sampled is None:
        raise Http404("No such case in this round's sample.")
    return sampled


@runners_only
@require_POST
def round_sample_remove(request, round_id, sampled_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    sampled = _sampled_of(audit_round, sampled_id)
    try:
        services.sample_remove(actor=request.user, sampled_case=sampled, request=request)
    except ValidationError as error:
        return _round_page(request, audit_round, errors=error.messages, status=400)
    messages.success(request, f"{sampled.label} removed from the sample.")
    return redirect("quality:round_sample", audit_round.pk)


@runners_only
@require_http_methods(["GET", "POST"])
def round_auditors(request, round_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    form = forms.AuditorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auditor = services.auditor_add(actor=request.user, audit_round=audit_round, user=form.cleaned_data["user"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{auditor.user.get_full_name() or auditor.user.username} added as {auditor.agency}'s auditor.")
            return redirect("quality:round_auditors", audit_round.pk)
    return render(
        request, "quality/round_auditors.html", {"audit_round": audit_round, "form": form, "auditors": selectors.round_auditors(audit_round=audit_round)}
    )


@runners_only
@require_POST
def round_auditor_remove(request, round_id, auditor_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    auditor = audit_round.auditors.select_related("user", "agency").filter(pk=auditor_id).first()
    if auditor is None:
        raise Http404("No such auditor in this round.")
    try:
        services.auditor_remove(actor=request.user, auditor=auditor, request=request)
    except ValidationError as error:
        return _round_page(request, audit_round, errors=error.messages, status=400)
    messages.success(request, f"{auditor.agency}'s auditor removed.")
    return redirect("quality:round_auditors", audit_round.pk)


@runners_only
@require_POST
def round_moderator(request, round_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    form = forms.ModeratorForm(request.POST, auditors=selectors.round_auditors(audit_round=audit_round))
    if form.is_valid():
        try:
            services.moderator_set(actor=request.user, audit_round=audit_round, user=form.cleaned_data["moderator"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Moderator chosen.")
            return redirect("quality:round_detail", audit_round.pk)
    return _round_page(request, audit_round, moderator_form=form, status=400)


@runners_only
def round_report_pdf(request, round_id):
    """The round's report as a PDF: one EXPORT audit row once the file is made (the round names no child)."""
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    pdf = report.report_pdf(audit_round=audit_round)
    audit_record(user=request.user, action=AuditAction.EXPORT, object_type="audit_round", object_id=audit_round.pk, detail="round report PDF", request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-audit-round-{audit_round.pk}.pdf"'
    return response


# --- Learning and actions -----------------------------------------------------------------------------------


@runners_only
@require_http_methods(["GET", "POST"])
def learning_new(request, round_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    form = forms.LearningPointForm(request.POST or None, questions=audit_round.questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_point_add(actor=request.user, audit_round=audit_round, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Learning point recorded.")
            return redirect(f"{redirect('quality:round_detail', audit_round.pk).url}#learning")
    return render(request, "quality/learning_form.html", {"audit_round": audit_round, "form": form})


@runners_only
@require_http_methods(["GET", "POST"])
def action_new(request, round_id):
    audit_round = access.access_audit_round(request.user, round_id, request=request)
    form = forms.LearningActionForm(request.POST or None, learning_points=selectors.round_learning(audit_round=audit_round))
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_action_add(actor=request.user, audit_round=audit_round, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action recorded.")
            return redirect(f"{redirect('quality:round_detail', audit_round.pk).url}#actions")
    return render(request, "quality/action_form.html", {"audit_round": audit_round, "form": form})


def _action(request, action_id):
    action = selectors.learning_action(user=request.user, action_id=action_id)
    if action is None:
        raise Http404("No such action.")
    return action


@runners_only
@require_http_methods(["GET", "POST"])
def action_update(request, action_id):
    action = _action(request, action_id)
    initial = {"status": action.status, "progress": action.progress, "evidence": action.evidence, "version": action.version}
    form = forms.ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.learning_action_update(
                actor=request.user,
                action=action,
                version=data["version"],
                status=data["status"],
                progress=data["progress"],
                evidence=data["evidence"],
                request=request,
            )
        except EditConflict as conflict:
            action.refresh_from_db()
            form = form_after_conflict(forms.ActionUpdateForm, request.POST, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action updated.")
            return redirect(f"{redirect('quality:round_detail', action.audit_round_id).url}#actions")
    return _action_page(request, action, form)


def _action_page(request, action, form, *, errors=(), status=200):
    return render(
        request,
        "quality/action_update.html",
        {
            "action": action,
            "form": form,
            "errors": list(errors),
            "today": timezone.localdate(),
            "can_copy": action.action_plan_row_id is None and access.can_edit_action_plan_of(request.user, action.owner_agency_id),
        },
        status=status,
    )


@runners_only
@require_POST
def action_to_plan(request, action_id):
    """Copy the action into its owner agency's action plan (who may is the action plan's own rule: 403 otherwise)."""
    action = _action(request, action_id)
    try:
        services.learning_action_to_action_plan(actor=request.user, action=action, request=request)
    except ValidationError as error:
        form = forms.ActionUpdateForm(initial={"status": action.status, "progress": action.progress, "evidence": action.evidence, "version": action.version})
        return _action_page(request, action, form, errors=error.messages, status=400)
    messages.success(request, f"Action added to {action.owner_agency}'s neglect action plan.")
    return redirect("quality:action_update", action.pk)


# --- The auditors' pages ----------------------------------------------------------------------------------


@login_required
def my_audits(request):
    """The cases the user audits now (any signed-in user: the list is empty for everyone who is not an auditor in a live round)."""
    audits = selectors.my_audits(user=request.user)
    # The list names children: one child_listed row per child shown (docs/security.md, "Hardening").
    audit_record_children_listed(user=request.user, child_ids=[sampled.case.child_id for sampled in audits], detail="case audits", request=request)
    rounds = {}
    for sampled in audits:
        rounds.setdefault(sampled.audit_round, []).append(sampled)
    return render(request, "quality/my_audits.html", {"rounds": rounds.items()})


def _case_links(request, sampled):
    return {
        "case_url": redirect("cases:case_detail", sampled.case_id).url,
        "chronology_url": redirect("chronologies:child_chronology", sampled.case.child_id).url,
    }


@login_required
@require_http_methods(["GET", "POST"])
def audit_case(request, sampled_id):
    sampled = access.access_sampled_case(request.user, sampled_id, request=request)
    questions = sampled.audit_round.questions
    own = selectors.own_grades(user=request.user, sampled_case=sampled)
    initial = {f"grade_{qid}": grade.grade for qid, grade in own.items()} | {f"evidence_{qid}": grade.evidence for qid, grade in own.items()}
    form = forms.GradeForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.grades_save(actor=request.user, sampled_case=sampled, grades=form.grades(), request=request)
        except ValidationError as error:
            add_service_errors(form, error, field_for=forms.GradeForm.field_for)
        else:
            messages.success(request, f"{saved} grade{'s' if saved != 1 else ''} saved for {sampled.label}.")
            return redirect("quality:audit_case", sampled.pk)
    return render(
        request,
        "quality/audit_case.html",
        {
            "sampled": sampled,
            "audit_round": sampled.audit_round,
            "form": form,
            "rows": form.rows(),
            "graded": len(own),
            "question_count": len(questions),
            "moderated": selectors.moderated_grades(sampled_case=sampled) if sampled.is_moderated else {},
            "is_moderator": sampled.audit_round.moderator_id == request.user.pk,
            **_case_links(request, sampled),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_moderate(request, sampled_id):
    sampled = access.access_sampled_case(request.user, sampled_id, moderate=True, request=request)
    questions = sampled.audit_round.questions
    agreed = selectors.moderated_grades(sampled_case=sampled)
    initial = {f"grade_{qid}": grade.grade for qid, grade in agreed.items()} | {f"note_{qid}": grade.note for qid, grade in agreed.items()}
    initial |= {"overall_grade": sampled.overall_grade, "summary": sampled.moderation_summary}
    form = forms.ModerationForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_record(
                actor=request.user,
                sampled_case=sampled,
                grades=form.grades(),
                overall_grade=form.cleaned_data["overall_grade"],
                summary=form.cleaned_data["summary"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error, field_for=forms.ModerationForm.field_for)
        else:
            messages.success(request, f"Agreed grades recorded for {sampled.label}.")
            return redirect("quality:my_audits")
    by_question = selectors.grades_for_moderation(user=request.user, sampled_case=sampled)
    rows = [(question, grade_field, note_field, by_question.get(question.id, [])) for question, grade_field, note_field in form.rows()]
    return render(
        request,
        "quality/audit_moderate.html",
        {
            "sampled": sampled,
            "audit_round": sampled.audit_round,
            "form": form,
            "rows": rows,
            "auditor_count": selectors.auditor_count(sampled_case=sampled),
            **_case_links(request, sampled),
        },
    )


# --- Question sets (partnership admins) -------------------------------------------------------------------


@set_admins_only
def question_set_list(request):
    return render(request, "quality/question_set_list.html", {"sets": selectors.question_sets_for_admin(user=request.user)})


def _admin_set(request, set_id):
    question_set = selectors.question_set_for_admin(user=request.user, set_id=set_id)
    if question_set is None:
        raise Http404("No such question set.")
    return question_set


@set_admins_only
def question_set_detail(request, set_id):
    question_set = _admin_set(request, set_id)
    return render(request, "quality/question_set_detail.html", {"question_set": question_set, "parsed": question_set.parsed})


@set_admins_only
@require_http_methods(["GET", "POST"])
def question_set_load(request):
    form = forms.QuestionSetLoadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_set = services.question_set_load(document=form.cleaned_data["document"], actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{question_set} loaded as a draft. Check it, then publish it.")
            return redirect("quality:question_set_detail", question_set.pk)
    return render(request, "quality/question_set_load.html", {"form": form})


@set_admins_only
@require_POST
def question_set_publish(request, set_id):
    question_set = _admin_set(request, set_id)
    try:
        question_set = services.question_set_publish(question_set=question_set, actor=request.user, request=request)
    except QuestionSetLockedError as error:
        return render(
            request, "quality/question_set_detail.html", {"question_set": question_set, "parsed": question_set.parsed, "refused": str(error)}, status=409
        )
    messages.success(request, f"{question_set} published. New rounds and new feedback use it.")
    return redirect("quality:question_set_detail", question_set.pk)


# --- Measures (those who run audits: aggregates only) ------------------------------------------------------


@runners_only
def measures(request):
    """The quarter's quality measures (`?quarter=2026-27-Q2`; the last complete quarter by default), before the dashboard shows them."""
    try:
        quarter = parse_quarter(request.GET["quarter"]) if request.GET.get("quarter") else quarter_of(timezone.localdate()).previous()
    except BadQuarter as error:
        raise Http404(str(error)) from error
    return render(
        request,
        "quality/measures.html",
        {"quarter": quarter, "values": selectors.quarter_measures(quarter=quarter), "previous": quarter.previous(), "next": quarter.next()},
    )


# --- Family feedback on a case (its team) --------------------------------------------------------------------


@login_required
def case_feedback(request, case_id):
    case = access.access_case(request.user, case_id, action="view", request=request)
    responses, sent = selectors.case_feedback(user=request.user, case=case)
    return render(
        request,
        "quality/case_feedback.html",
        {
            "case": case,
            "responses": responses,
            "sent": sent,
            "now": timezone.now(),
            "can_contribute": access.role_of(request.user) in access.CASE_ACTIONS["contribute"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_record(request, case_id):
    """Two steps: whose feedback and when (a GET form), then the questions for that person (a POST)."""
    case = access.access_case(request.user, case_id, action="contribute", request=request)
    who = forms.FeedbackWhoForm(request.POST if request.method == "POST" else (request.GET or None))
    if not who.is_bound or not who.is_valid():
        return render(request, "quality/feedback_who.html", {"case": case, "form": who})
    respondent, occasion = who.cleaned_data["respondent"], who.cleaned_data["occasion"]
    question_set = selectors.feedback_set_for(respondent=respondent)
    if question_set is None:
        who.add_error(None, "There is no published feedback question set for this person. Ask your partnership admin.")
        return render(request, "quality/feedback_who.html", {"case": case, "form": who})
    form = forms.FeedbackAnswersForm(request.POST if request.method == "POST" else None, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_record(actor=request.user, case=case, occasion=occasion, respondent=respondent, answers=form.answers(), request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Feedback recorded on the case.")
            return redirect("quality:case_feedback", case.pk)
    return render(
        request,
        "quality/feedback_record.html",
        {"case": case, "form": form, "who": who, "parsed": question_set.parsed, "is_child": respondent == Respondent.CHILD},
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_send(request, case_id):
    case = access.access_case(request.user, case_id, action="contribute", request=request)
    form = forms.FeedbackSendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_link_request(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The link is on its way. It works once, for {settings.FAMILY_FEEDBACK_LINK_DAYS} days.")
            return redirect("quality:case_feedback", case.pk)
    return render(request, "quality/feedback_send.html", {"case": case, "form": form, "days": settings.FAMILY_FEEDBACK_LINK_DAYS})


# --- The family's page (no account) -------------------------------------------------------------------------

THROTTLE_SECONDS = 3600


def _client(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def _failures_key(request):
    return f"quality:family-link-failures:{_client(request)}"


def _throttled(request):
    return cache.get(_failures_key(request), 0) >= settings.FAMILY_FEEDBACK_FAILURES_PER_HOUR


def _count_failure(request):
    key = _failures_key(request)
    if not cache.add(key, 1, THROTTLE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, THROTTLE_SECONDS)


def _family_context(**extra):
    return {"partnership_name": partnership_name(), "days": settings.FAMILY_FEEDBACK_LINK_DAYS, **extra}


def _unavailable(request):
    return render(request, "quality/family/unavailable.html", _family_context(), status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def family_feedback(request, token):
    """The page a family's link opens: no account, nothing about the case, the partnership's name only.

    The token's signature is checked first (quality/links.py), then the access layer finds the link by
    its hash (`access_feedback_link`: sent, unused, in date; one audit row either way). Every refusal
    answers the same page and status, whether the link was used, expired or made up, so it reveals
    nothing; after FAMILY_FEEDBACK_FAILURES_PER_HOUR refusals an address is turned away for the hour
    (429, audited), so links cannot be guessed at speed. Opening the page does not use the link up
    (mail scanners open links); sending the answers does, once.
    """
    if _throttled(request):
        access.refusal_record(None, what="family feedback link: too many failed attempts from this address", object_type="feedback_request", request=request)
        return render(request, "quality/family/too_many.html", _family_context(), status=429)
    try:
        link = access.access_feedback_link(links.hash_of_link_token(token), request=request)
    except Http404:
        _count_failure(request)
        return _unavailable(request)
    form = forms.FeedbackAnswersForm(request.POST or None, question_set=link.question_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_feedback_submit(link=link, answers=form.answers(), request=request)
        except services.LinkAlreadyUsed:
            return _unavailable(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("family:thanks")
    parsed = link.question_set.parsed
    return render(request, "quality/family/feedback.html", _family_context(form=form, parsed=parsed, is_child=parsed.audience == "child"))


@never_cache
def family_thanks(request):
    return render(request, "quality/family/thanks.html", _family_context())
