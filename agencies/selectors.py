"""Reads for partnership administration (no child data)."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from .models import Agency, Membership, Role


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


def partnership_admins():
    """Active partnership admins of active agencies: who hears about unusual access."""
    memberships = Membership.objects.filter(role=Role.PARTNERSHIP_ADMIN, user__is_active=True, agency__is_active=True).select_related("user")
    return [membership.user for membership in memberships]
