from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agencies import access
from audit.models import AuditAction
from audit.selectors import event_search
from audit.services import audit_record, query_detail
from neglect_portal.csv_export import csv_response

from . import words
from .forms import EventSearchForm

CSV_COLUMNS = ["at", "username", "agency_name", "role", "action", "object_type", "object_id", "child_id", "detail", "path", "ip_address", "user_agent"]


def _search(request):
    form = EventSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, event_search(**form.search_arguments())
    if form.is_bound:
        return form, None
    return form, event_search()


@require_safe
@access.role_required(access.can_read_audit)
def event_list(request):
    form, events = _search(request)
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    rows = [_in_words(event) for event in page] if page is not None else []
    return render(request, "audit/event_list.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()})


def _in_words(event):
    return {
        "event": event,
        "who": words.who(event),
        "role": words.role_name(event.role),
        "record_type": words.record_type_name(event.object_type),
    }


@require_safe
@access.role_required(access.can_read_audit)
def event_export(request):
    """CSV of the filtered events; the export itself is audited."""
    form, events = _search(request)
    if events is None:
        return render(request, "audit/event_list.html", {"form": form, "page": None, "query": ""}, status=400)
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="audit_log",
        detail=f"filters: {query_detail(form.filters_for_audit(), keep=EventSearchForm.base_fields)}",
        request=request,
    )

    def rows():
        yield CSV_COLUMNS
        for event in events.iterator(chunk_size=2000):
            yield [getattr(event, column) for column in CSV_COLUMNS]

    return csv_response(rows(), filename=f"audit-log-{timezone.localdate():%Y-%m-%d}.csv")
