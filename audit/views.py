import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies import access

from .forms import EventSearchForm
from .models import AuditAction
from .selectors import event_search
from .services import audit_record

CSV_COLUMNS = ["at", "username", "agency_name", "role", "action", "object_type", "object_id", "child_id", "detail", "path", "ip_address", "user_agent"]


def _search(request):
    form = EventSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, event_search(**form.search_arguments())
    if form.is_bound:
        return form, None
    return form, event_search()


@access.role_required(access.can_read_audit)
def event_list(request):
    form, events = _search(request)
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value):
    """Cells starting with = + - @ are prefixed so spreadsheet programs do not run them as formulas."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@access.role_required(access.can_read_audit)
def event_export(request):
    """CSV of the filtered events; the export itself is audited."""
    form, events = _search(request)
    if events is None:
        return render(request, "audit/event_list.html", {"form": form, "page": None, "query": ""}, status=400)
    audit_record(user=request.user, action=AuditAction.EXPORT, object_type="audit_log", detail=f"filters: {request.GET.urlencode()}", request=request)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([_csv_safe(getattr(event, column)) for column in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
