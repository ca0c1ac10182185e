from django import template

from sso.models import OidcProvider

register = template.Library()


@register.inclusion_tag("sso/buttons.html")
def sso_buttons(next_url=""):
    return {"providers": OidcProvider.objects.filter(is_active=True, agency__is_active=True), "next": next_url}
