"""Reads for partnership administration (no child data)."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q

from .models import Agency, Membership, Role


def agency_list():
    """Agencies not merged away, with their user counts; `possible_duplicate` marks one made before names were compared."""
    return (
        Agency.objects.filter(merged_into__isnull=True).annotate(user_count=Count("memberships"), possible_duplicate=Q(name_key__isnull=True)).order_by("name")
    )


def agency_reference_summary(agency):
    """What a merge would move, in words: [(what, how many)] (no child data: counts only)."""
    summary = []
    for label, field, count in agency_references(agency):
        if label == "auth.User_groups":
            continue  # the same people as the memberships, through the agency's group
        what = str(apps.get_model(label)._meta.verbose_name_plural).capitalize()
        summary.append((what if field in ("agency", "group") else f"{what} ({field.replace('_', ' ')})", count))
    return summary


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


def agency_references(agency):
    """Every row that points at `agency` or its group, found through the app registry: [(model label, field, count)].

    The relations are read from `Agency._meta` and `Group._meta`, so a model added later is covered
    without editing this list. The agency's own group and agencies merged before are not references.
    """
    found = []
    for target, relation in agency_relations():
        obj = agency if target is Agency else agency.group
        model, field = relation_table(relation)
        count = model._default_manager.filter(**{field: obj}).count()
        if count:
            found.append((model._meta.label, field, count))
    return found


def agency_relations():
    for target in (Agency, Group):
        for relation in target._meta.related_objects:
            if relation.related_model is Agency:
                continue  # the agency's own group (Agency.group), and `merged_into`: kept as the merge's record
            if relation.many_to_many and not relation.through._meta.auto_created:
                continue  # a through model with its own foreign key is moved as that foreign key
            yield target, relation


def relation_table(relation):
    """(model holding the foreign key, its field name) for a reverse relation; for a plain many-to-many, its through table."""
    if relation.many_to_many:
        through = relation.through
        field = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is relation.model)
        return through, field
    return relation.related_model, relation.field.name
