"""Partnership admins download the CIN census return and Annex A lists; each download is audited once."""
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .annex_a import annex_a_csv
from .export import cin_census_export
from .forms import AnnexAForm, CensusExportForm


@access.role_required(access.can_manage_partnership)
@require_GET
def census_home(request):
    return render(request, "census/home.html", {"census_form": CensusExportForm(), "annex_form": AnnexAForm()})


@access.role_required(access.can_manage_partnership)
@require_GET
def cin_census_download(request):
    """The return as XML, or (with ?check=1) the page listing its data-quality problems."""
    form = CensusExportForm(request.GET)
    if not form.is_valid():
        return render(request, "census/home.html", {"census_form": form, "annex_form": AnnexAForm()}, status=400)
    year, la_code = form.cleaned_data["year"], form.cleaned_data["la_code"]
    export = cin_census_export(year=year, la_code=la_code)
    if request.GET.get("check"):
        return render(request, "census/home.html", {"census_form": form, "annex_form": AnnexAForm(), "export": export})
    audit_record(
        user=request.user, action=AuditAction.EXPORT, object_type="cin_census",
        detail=f"year {year}, LA {la_code}: {export.children} children, {export.episodes} episodes, {len(export.problems)} data-quality problems",
        request=request,
    )
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{la_code}-{year}.xml"'
    return response


@access.role_required(access.can_manage_partnership)
@require_GET
def annex_a_download(request):
    form = AnnexAForm(request.GET)
    if not form.is_valid():
        return render(request, "census/home.html", {"census_form": CensusExportForm(), "annex_form": form}, status=400)
    number, as_of = form.cleaned_data["list_number"], form.cleaned_data["as_of"]
    content = annex_a_csv(number, as_of=as_of)
    audit_record(user=request.user, action=AuditAction.EXPORT, object_type="annex_a", detail=f"list {number} up to {as_of.isoformat()}, neglect cohort", request=request)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annex-a-list-{number}-{as_of:%Y-%m-%d}.csv"'
    return response
