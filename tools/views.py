"""Pages for assessment tools: definitions (partnership admins) and runs and progress (case workers).

Thin: parse, ask the access layer, call a service or selector, render. Case-level pages get their
case, run or child from `agencies.access` (404 when not visible, 403 when the role may not act;
an allowed GET is audited there, once). Definition pages need `can_manage_partnership`.

A final run or a locked definition is never changed: pages that would change one answer 409
with a page that says why and what to do instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.govuk_forms import add_service_errors
from partnership.selectors import partnership_name

from . import charts, printing, reading, selectors, services
from .forms import AreaForm, DefinitionDocumentForm, DefinitionLoadForm, RunDetailsForm, RunStartForm, RunVoiceForm
from .models import AreaStatus, AssessmentRun, DefinitionLockedError, FinalRunError
from .requirements import requirements_for_tool
from .scoring import score_run, scores_for_storage

admin_only = access.role_required(access.can_manage_partnership)


def _posted(request, *, files=False):
    """Form data for a POST (even an empty one: it must still be validated), nothing for a GET."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _refused(request, message, *, back_url, back_text):
    return render(request, "tools/refused.html", {"message": message, "back_url": back_url, "back_text": back_text}, status=409)


def _run_refused(request, run):
    return _refused(
        request,
        "This assessment is final and cannot be changed. Record a new assessment to show what has changed since.",
        back_url=reverse("tools:run_detail", args=[run.pk]),
        back_text="View the assessment",
    )


# --- Definitions (partnership admins) ----------------------------------------------------------


def _admin_definition(request, definition_id):
    definition = selectors.definition_for_admin(user=request.user, definition_id=definition_id)
    if definition is None:
        raise Http404("No such tool definition.")
    return definition


@admin_only
def definition_list(request):
    return render(request, "tools/definition_list.html", {"definitions": selectors.definitions_for_admin(user=request.user)})


@admin_only
@require_http_methods(["GET", "POST"])
def definition_load(request):
    form = DefinitionLoadForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.definition_load(document=form.cleaned_data["parsed"], actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error, field_for=lambda key: form.cleaned_data["source_field"])
        else:
            messages.success(request, f"{definition} loaded as a draft. Check it, then publish it.")
            return redirect("tools:definition_detail", definition.pk)
    return render(request, "tools/definition_load.html", {"form": form})


@admin_only
def definition_detail(request, definition_id):
    definition = _admin_definition(request, definition_id)
    structure = definition.parsed
    context = {
        "definition": definition,
        "structure": structure,
        "areas": [{"area": area, "rule": structure.area_rule_text(area)} for area in structure.areas],
        "overall_rule": structure.overall_rule_text(),
    }
    return render(request, "tools/definition_detail.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def definition_edit(request, definition_id):
    definition = _admin_definition(request, definition_id)
    if not definition.is_draft:
        return _refused(
            request,
            f"{definition} is {definition.get_status_display().lower()}, so it cannot be changed. Make a new version to change it.",
            back_url=_definition_url(definition),
            back_text="Back to the definition",
        )
    form = DefinitionDocumentForm(*_posted(request), initial={"document": DefinitionDocumentForm.initial_text(definition)})
    if request.method == "POST" and form.is_valid():
        try:
            services.definition_update(definition=definition, document=form.cleaned_data["document"], actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{definition} saved.")
            return redirect("tools:definition_detail", definition.pk)
    return render(request, "tools/definition_edit.html", {"form": form, "definition": definition})


def _definition_url(definition):
    return reverse("tools:definition_detail", args=[definition.pk])


def _definition_action(request, definition_id, action, success):
    definition = _admin_definition(request, definition_id)
    try:
        result = action(definition=definition, actor=request.user, request=request)
    except (DefinitionLockedError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _refused(request, message, back_url=_definition_url(definition), back_text="Back to the definition")
    messages.success(request, success(result))
    return redirect("tools:definition_detail", result.pk)


@admin_only
@require_POST
def definition_publish(request, definition_id):
    return _definition_action(request, definition_id, services.definition_publish, lambda d: f"{d} published. New assessments use it.")


@admin_only
@require_POST
def definition_retire(request, definition_id):
    return _definition_action(request, definition_id, services.definition_retire, lambda d: f"{d} retired. No new assessments can start on it.")


@admin_only
@require_POST
def definition_new_version(request, definition_id):
    return _definition_action(request, definition_id, services.definition_new_version, lambda d: f"{d} made as a draft. Edit it, then publish it.")


# --- Runs (case workers) -----------------------------------------------------------------------


@login_required
def case_runs(request, case_id):
    case = access.access_case(request.user, case_id, action="view", request=request)
    return render(request, "tools/case_runs.html", {"case": case, "runs": selectors.runs_for_case(user=request.user, case=case)})


@login_required
@require_http_methods(["GET", "POST"])
def run_start(request, case_id):
    case = access.access_case(request.user, case_id, action="contribute", request=request)
    form = RunStartForm(*_posted(request), definitions=selectors.published_definitions(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_start(case=case, definition=form.cleaned_data["definition"], actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{run.definition.name} started. It is saved as a draft: you can come back to it at any time.")
            return redirect("tools:run_detail", run.pk)
    return render(request, "tools/run_start.html", {"case": case, "form": form})


def _run(request, run_id, action):
    return access.access_case_record(request.user, AssessmentRun, run_id, action=action, request=request)


@login_required
def run_detail(request, run_id):
    """A draft shows its task list; a final run shows what was found and the scores."""
    run = _run(request, run_id, "view")
    if run.is_final:
        context = {"run": run, "summary": _summary(run), "score_rows": _score_rows(run, run.scores), **_about(run)}
        return render(request, "tools/run_final.html", context)
    return render(request, "tools/run_tasks.html", {"run": run, **_task_list(run)})


def _task_list(run):
    """The GOV.UK task list: details, each area, the child's voice, then check and finalise."""
    details = {
        "id": "details",
        "title": "Assessment details",
        "url": reverse("tools:run_details", args=[run.pk]),
        "status": run.details_status(),
    }
    areas = [
        {"id": f"area-{area.id}", "title": area.title, "url": reverse("tools:run_area", args=[run.pk, area.id]), "status": run.area_status(area)}
        for area in run.structure.areas
    ]
    voice = {
        "id": "voice",
        "title": "The child's voice",
        "url": reverse("tools:run_voice", args=[run.pk]),
        "status": run.voice_status(),
    }
    tasks = [details, *areas, voice]
    completed = sum(task["status"] == AreaStatus.COMPLETED for task in tasks)
    ready = run.is_ready_to_finalise
    finish = {
        "id": "finalise",
        "title": "Check and finalise",
        "url": reverse("tools:run_finalise", args=[run.pk]) if ready else None,
        "status": AreaStatus.NOT_STARTED if ready else "cannot_start",
    }
    sections = [
        {"heading": "About the assessment", "tasks": [details]},
        {"heading": "Areas", "tasks": areas},
        {"heading": "The child's voice", "tasks": [voice]},
        {"heading": "Finish", "tasks": [finish]},
    ]
    return {"sections": sections, "completed": completed, "total": len(tasks)}


def _about(run):
    band = run.structure.band(run.age_band)
    return {"age_band_label": band.label if band else ""}


def _score_rows(run, scores):
    """Scored areas, then the overall score, each with the rule that made it (tools/reading.py)."""
    return reading.score_lines(run, scores)


def _summary(run):
    """Each area's applicable items with their answers, and the area's score, for reading."""
    return reading.answer_summary(run)


def _draft_form_page(request, run, *, template, make_form, save, success, more_context=None):
    """The shared shape of a draft's form pages: refuse a final run, save, return to the task list."""
    if run.is_final:
        return _run_refused(request, run)
    form = make_form(run, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(run, form)
        except FinalRunError:
            return _run_refused(request, run)
        except ValidationError as error:
            add_service_errors(form, error, field_for=getattr(form, "field_for_service_key", None))
        else:
            messages.success(request, success(run))
            return redirect("tools:run_detail", run.pk)
    return render(request, template, {"run": run, "form": form, **(more_context or {})})


@login_required
@require_http_methods(["GET", "POST"])
def run_details(request, run_id):
    def make_form(run, data):
        initial = {"assessed_on": run.assessed_on, "age_band": run.age_band, "people_present": run.people_present}
        return RunDetailsForm(data, structure=run.structure, initial=initial)

    def save(run, form):
        services.run_save_draft(run=run, details=form.cleaned_data, actor=request.user, request=request)

    return _draft_form_page(
        request,
        _run(request, run_id, "contribute"),
        template="tools/run_details.html",
        make_form=make_form,
        save=save,
        success=lambda run: "Assessment details saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_voice(request, run_id):
    def save(run, form):
        services.run_save_draft(run=run, details=form.cleaned_data, actor=request.user, request=request)

    return _draft_form_page(
        request,
        _run(request, run_id, "contribute"),
        template="tools/run_voice.html",
        make_form=lambda run, data: RunVoiceForm(data, initial={"child_voice": run.child_voice}),
        save=save,
        success=lambda run: "The child's voice is saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_area(request, run_id, area_id):
    run = _run(request, run_id, "contribute")
    area = run.structure.area(area_id)
    if area is None:
        raise Http404("No such area in this assessment.")

    def save(run, form):
        services.run_save_draft(run=run, answers={area.id: form.answers()}, actor=request.user, request=request)

    return _draft_form_page(
        request,
        run,
        template="tools/run_area.html",
        make_form=lambda run, data: AreaForm.for_area(data, run=run, area=area),
        save=save,
        success=lambda run: f"{area.title} saved as a draft.",
        more_context={"area": area},
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_finalise(request, run_id):
    """Check the answers and the scores they give, then finalise (after which nothing changes)."""
    run = _run(request, run_id, "contribute")
    if run.is_final:
        return _run_refused(request, run)
    errors = []
    if request.method == "POST":
        try:
            services.run_finalise(run=run, actor=request.user, request=request)
        except FinalRunError:
            return _run_refused(request, run)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"{run.definition.name} finalised. It can no longer be changed.")
            return redirect("tools:run_detail", run.pk)
    preview = scores_for_storage(score_run(run.structure, run.answers, age_band=run.age_band))
    context = {
        "run": run,
        "summary": _summary(run),
        "preview_rows": _score_rows(run, preview),
        "problems": run.problems_before_finalising(),
        "errors": errors,
        **_about(run),
    }
    return render(request, "tools/run_finalise.html", context)


# --- Progress ----------------------------------------------------------------------------------


@login_required
def child_progress(request, child_id):
    """The child's final runs of each scored tool compared over time: a table and a chart per tool."""
    child = access.access_child(request.user, child_id, action="view", request=request)
    tools = [
        {
            "progress": progress,
            # Only scores on the items' own scale are drawn (a count or a total is in the table alone).
            "chart": charts.progress_chart_data_uri(progress) if progress.chart_rows else None,
            "alt": charts.progress_chart_alt(progress) if progress.chart_rows else "",
        }
        for progress in selectors.child_progress(user=request.user, child=child)
    ]
    return render(request, "tools/child_progress.html", {"child": child, "tools": tools})


# --- The printed assessment and the tool's page ----------------------------------------------------


@login_required
def run_pdf(request, run_id):
    """A final run as a PDF, for the conference (default) or the family (`?for=family`).

    Exactly one audit row: the EXPORT, written once the file is made (the access check writes none,
    `access.case_record_for_export`). A draft is not printed: it may still change.
    """
    run = access.case_record_for_export(user=request.user, model=AssessmentRun, record_id=run_id, request=request)
    if not run.is_final:
        return _refused(
            request,
            "Only a final assessment can be printed: a draft may still change. Finalise it first.",
            back_url=reverse("tools:run_detail", args=[run.pk]),
            back_text="Back to the assessment",
        )
    audience = request.GET.get("for", printing.DEFAULT_AUDIENCE)
    if audience not in printing.AUDIENCES:
        audience = printing.DEFAULT_AUDIENCE
    context = printing.run_print_context(
        run=run,
        audience=audience,
        partnership_name=partnership_name(),
        printed_at=timezone.localtime(),
        printed_by=request.user,
    )
    pdf = printing.run_pdf(context=context)
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="assessmentrun",
        object_id=run.pk,
        child_id=run.case.child_id,
        detail=f"PDF {audience}",
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{run.pk}-{run.definition.key}-{run.assessed_on:%Y-%m-%d}.pdf"'
    return response


@login_required
def tool_about(request, definition_id):
    """A tool's page for practitioners: aims, methodology, adaptations, guidance, how it is scored,
    when the partnership expects it, and each area's questions with what each answer means.

    Definitions hold no case content; who reads which version is the selectors' rule
    (`definitions_visible_to`): case workers read published and retired versions, admins all.
    """
    definition = selectors.definitions_visible_to(user=request.user).filter(pk=definition_id).first()
    if definition is None:
        raise Http404("No such tool definition.")
    structure = definition.parsed
    areas = [{"area": area, "rule": structure.area_rule_text(area)} for area in structure.areas]
    rules = {row["rule"] for row in areas if row["area"].rule.is_scored}
    context = {
        "definition": definition,
        "structure": structure,
        "areas": areas,
        "shared_area_rule": rules.pop() if len(rules) == 1 and len(areas) > 1 else "",
        "overall_rule": structure.overall_rule_text(),
        "requirements": [requirement.describe(definition.name) for requirement in requirements_for_tool(definition.key)],
        "questions": reading.tool_questions(structure),
    }
    return render(request, "tools/tool_about.html", context)
