"""The theme words page (issue 14): partnership admins add words and phrases to the chronology's recurring themes.

Themes are matched by word stems in any order (chronologies/themes.py); a partnership teaches the
portal its own words here (a local service's name for dirty homes, a dialect word for head lice)
without a deployment. Partnership-level: no child data, so reads are not audited; each change is.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.govuk_forms import GovukFormMixin, add_service_errors
from partnership.wording import stems

from .models import ThemeWord
from .patterns import theme_keywords


class ThemeWordForm(GovukFormMixin, forms.Form):
    theme = forms.CharField(
        label="Theme",
        max_length=60,
        help_text="An existing theme, for example Hygiene, or a new one.",
        error_messages={"required": "Enter the theme, for example Hygiene"},
    )
    words = forms.CharField(
        label="Word or phrase to look for",
        max_length=120,
        help_text='Word forms and word order do not matter: "dirty home" also finds "the home was dirty".',
        error_messages={"required": "Enter the word or phrase to look for"},
    )


@transaction.atomic
def theme_word_add(*, actor, theme: str, words: str, request=None) -> ThemeWord:
    """Add a word or phrase to a theme (a partnership admin; audited)."""
    access.require(actor, access.can_manage_partnership(actor), request=request, what="theme words")
    theme, words = " ".join(theme.split()), " ".join(words.split())
    if not stems(words):
        raise ValidationError({"words": "Enter at least one word"})
    existing = next((name for name in theme_keywords() if name.lower() == theme.lower()), theme)
    try:
        with transaction.atomic():
            word = ThemeWord.objects.create(theme=existing, words=words, added_by=actor)
    except IntegrityError as error:
        raise ValidationError({"words": "This theme already has these words"}) from error
    audit_record(user=actor, action=AuditAction.CREATE, object_type="theme_word", object_id=word.pk, detail=f"{existing}: {words}", request=request)
    return word


@login_required
@require_http_methods(["GET", "POST"])
def theme_words(request):
    access.require(request.user, access.can_manage_partnership(request.user), request=request, what="theme words")
    form = ThemeWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme_word_add(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added. Recurring themes look for it from now on.")
            return redirect("chronologies:theme_words")
    added = {(word.theme, word.words): word for word in ThemeWord.objects.select_related("added_by")}
    return render(request, "chronologies/theme_words.html", {"form": form, "themes": theme_keywords(), "added": added, "words": list(added.values())})


@login_required
@require_POST
def theme_word_remove(request, word_id):
    access.require(request.user, access.can_manage_partnership(request.user), request=request, what="theme words")
    word = ThemeWord.objects.filter(pk=word_id).first()
    if word is not None:
        word.delete()
        audit_record(
            user=request.user, action=AuditAction.DELETE, object_type="theme_word", object_id=word_id, detail=f"{word.theme}: {word.words}", request=request
        )
        messages.success(request, f'Removed "{word.words}" from {word.theme}.')
    return redirect("chronologies:theme_words")
