"""The child's voice pages: record it on a case. Thin, like every form on a case (cases/views.py `case_form`)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from cases.views import case_form

from . import forms, services


@login_required
@require_http_methods(["GET", "POST"])
def voice_new(request, case_id):
    def save(case, record, form):
        data = form.cleaned_data
        services.child_voice_record(
            actor=request.user,
            case=case,
            recorded_on=data["recorded_on"],
            speaker=data["speaker"],
            what_was_said=data["what_was_said"],
            how_they_feel=data["how_they_feel"],
            method=data["method"],
            request=request,
        )

    return case_form(
        request, case_id, action="contribute", form_class=forms.ChildVoiceForm, title="Record the child's voice", save=save, success="Recorded.", anchor="voice"
    )
