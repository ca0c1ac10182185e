"""The project's template filters, loaded as `{% load govuk %}` (registered in settings.TEMPLATES)."""

from django import template

from .govuk_forms import error_links as form_error_links

register = template.Library()


@register.filter
def error_links(form):
    """(anchor id, message) pairs for the GOV.UK error summary of any form (neglect_portal.govuk_forms.error_links)."""
    return form_error_links(form)
