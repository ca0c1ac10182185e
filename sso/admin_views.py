"""The partnership admin's pages for an agency's single sign-on providers: list, add from the discovery address, edit, deactivate.

Every view asks the access layer (`access.can_manage_identity_providers`): anyone else gets 403 and one
audit row. Writes go through sso/services.py, audited there. No page shows or takes a client secret:
only the name of the variable holding it, and whether the server has it set.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.models import Agency
from neglect_portal.govuk_forms import add_service_errors
from sso import services
from sso.forms import ProviderCreateForm, ProviderEditForm
from sso.logout import post_logout_redirect_uri
from sso.models import OidcProvider


def _addresses_to_register():
    """What the agency's IT registers at the provider for the portal: the sign-in return and the signed-out page."""
    return {"site_url": settings.SITE_URL, "redirect_uri": settings.SITE_URL + reverse("sso_callback"), "post_logout_redirect_uri": post_logout_redirect_uri()}


@access.role_required(access.can_manage_identity_providers)
def provider_list(request, agency_id):
    agency = get_object_or_404(Agency, pk=agency_id)
    providers = agency.oidc_providers.annotate(people_linked=Count("identities")).order_by("-is_active", "display_name")
    rows = [{"provider": provider, "secret_set": provider.client_secret_is_set()} for provider in providers]
    return render(request, "sso/provider_list.html", {"agency": agency, "rows": rows, **_addresses_to_register()})


@access.role_required(access.can_manage_identity_providers)
@require_http_methods(["GET", "POST"])
def provider_create(request, agency_id):
    agency = get_object_or_404(Agency, pk=agency_id)
    form = ProviderCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider, _ = services.oidc_provider_register(agency=agency, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{provider.display_name} added. People of {agency.name} can now sign in with it.")
            return redirect("sso:provider_list", agency_id=agency.pk)
    return render(request, "sso/provider_form.html", {"form": form, "agency": agency, "creating": True, **_addresses_to_register()})


@access.role_required(access.can_manage_identity_providers)
@require_http_methods(["GET", "POST"])
def provider_edit(request, provider_id):
    provider = get_object_or_404(OidcProvider.objects.select_related("agency"), pk=provider_id)
    initial = {"display_name": provider.display_name, "is_active": provider.is_active, "email_verified_by_provider": provider.email_verified_by_provider}
    form = ProviderEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.oidc_provider_update(provider=provider, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{provider.display_name} saved.")
            return redirect("sso:provider_list", agency_id=provider.agency_id)
    context = {"form": form, "agency": provider.agency, "provider": provider, "secret_set": provider.client_secret_is_set(), **_addresses_to_register()}
    return render(request, "sso/provider_form.html", context)


@access.role_required(access.can_manage_identity_providers)
@require_http_methods(["POST"])
def provider_deactivate(request, provider_id):
    provider = get_object_or_404(OidcProvider.objects.select_related("agency"), pk=provider_id)
    services.oidc_provider_deactivate(provider=provider, actor=request.user, request=request)
    messages.success(request, f"{provider.display_name} deactivated. Nobody can sign in with it until it is made active again.")
    return redirect("sso:provider_list", agency_id=provider.agency_id)
