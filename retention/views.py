"""Retention pages for partnership admins: reviews to decide on, their outcomes, and the deletion log.

What is shown of a child is their initials, ids and dates (no content); every page read is audited once.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .models import RetentionDeletionLog, RetentionReview
from .rules import RECORD_TYPE_LABELS, rules
from .selectors import review_rows
from .services import retention_review_create, retention_review_decide


@access.role_required(access.can_review_retention)
@require_GET
def review_list(request):
    audit_record(user=request.user, action=AuditAction.VIEW, object_type="retention_review_list", request=request)
    return render(
        request,
        "retention/list.html",
        {"reviews": RetentionReview.objects.all()[:100], "rules": [(RECORD_TYPE_LABELS[name], rule) for name, rule in rules().items()]},
    )


@access.role_required(access.can_review_retention)
@require_POST
def scan_now(request):
    """Run the scheduled scan now (it also runs every Monday)."""
    review = retention_review_create(today=timezone.localdate())
    audit_record(
        user=request.user,
        action=AuditAction.CREATE,
        object_type="retention_scan",
        object_id=review.pk if review else "",
        detail="scan run by hand",
        request=request,
    )
    if review is None:
        messages.success(request, "No records are past their retention date.")
        return redirect("retention:list")
    return redirect("retention:detail", review_id=review.pk)


def _held_back(post, rows):
    """Item id -> reason for every item ticked to hold back (a ticked item with no reason keeps '')."""
    return {row.item.pk: post.get(f"reason_{row.item.pk}", "") for row in rows if post.get(f"hold_{row.item.pk}")}


@access.role_required(access.can_review_retention)
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id):
    review = access.access_retention_review(request.user, review_id, request=request)
    rows = review_rows(review=review)
    errors, held = {}, {}
    if request.method == "POST":
        held = _held_back(request.POST, rows)
        try:
            retention_review_decide(actor=request.user, review=review, excluded=held, request=request)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            deleting = len(rows) - len(held)
            messages.success(request, f"Approved: {deleting} record{'s' if deleting != 1 else ''} to delete, {len(held)} held back.")
            return redirect("retention:detail", review_id=review.pk)
    context = {"review": review, "rows": rows, "errors": {str(k): v for k, v in errors.items()}, "held": {str(k): v for k, v in held.items()}}
    return render(request, "retention/detail.html", context, status=400 if errors else 200)


@access.role_required(access.can_review_retention)
@require_GET
def deletion_log(request):
    audit_record(user=request.user, action=AuditAction.VIEW, object_type="retention_deletion_log", request=request)
    return render(request, "retention/log.html", {"entries": RetentionDeletionLog.objects.all()[:500]})
