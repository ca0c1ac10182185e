"""Reads for partnership administration (no child data)."""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from .models import Agency, Notification


def agency_list():
    return Agency.objects.annotate(user_count=Count("memberships")).order_by("name")


def user_list(*, search=""):
    users = get_user_model().objects.select_related("membership__agency").filter(membership__isnull=False)
    if search:
        users = users.filter(Q(username__icontains=search) | Q(last_name__icontains=search) | Q(membership__agency__name__icontains=search))
    return users.order_by("membership__agency__name", "last_name", "username")


def user_for_admin(user_id):
    """A user with a membership, for the admin edit page (users are not child data)."""
    return get_user_model().objects.select_related("membership__agency").filter(pk=user_id, membership__isnull=False).first()


def unread_notifications(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
