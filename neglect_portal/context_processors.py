from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from agencies import access
from partnership.selectors import partnership_name


def partnership(request):
    """The header shows the partnership, the user's agency and role, and the menu their role may use."""
    user = getattr(request, "user", None)
    nav_items = []
    if access.can_see_case_work(user):
        nav_items += [
            {"label": "Find a child", "url": reverse("cases:find_child")},
            {"label": "Record a concern", "url": reverse("cases:concern_new")},
            {"label": "Concern about a household", "url": reverse("frontdoor:household_concern_new")},
            {"label": "Import chronology", "url": reverse("chronologies:import_upload")},
        ]
    if access.is_front_door(user):
        nav_items.append({"label": "Front door", "url": reverse("frontdoor:queue")})
    if access.is_overseer(user):
        nav_items.append({"label": "Cases to oversee", "url": reverse("cases:manager_cases")})
        nav_items.append({"label": "Drift and delay", "url": reverse("drift:queue")})
        nav_items.append({"label": "Red flags on partner cases", "url": reverse("drift:partner_red_flags")})
    if access.can_see_upcoming_page(user):  # children's social care: every conference; other agencies: their invitations
        nav_items.append({"label": "Upcoming conferences", "url": reverse("conferences:upcoming")})
    if access.can_see_attendance_report(user):
        nav_items.append({"label": "Conference attendance", "url": reverse("conferences:attendance_report")})
    if access.can_manage_partnership(user):  # one item: the areas are listed on the settings page (partnership/views.py)
        nav_items.append({"label": "Partnership settings", "url": reverse("partnership:settings")})
    if access.can_exchange_statutory_returns(user):
        nav_items.append({"label": "Census returns", "url": reverse("census:home")})
    if access.can_see_dashboard(user):
        nav_items.append({"label": "Neglect dashboard", "url": reverse("dashboard:index")})
    if access.can_read_action_plans(user):
        nav_items.append({"label": "Action plans", "url": reverse("partnership:plan_list")})
    if access.can_run_case_audits(user):
        nav_items.append({"label": "Case audits", "url": reverse("quality:round_list")})
    if access.is_auditing(user):  # one EXISTS query, for case workers only
        nav_items.append({"label": "Your case audits", "url": reverse("quality:my_audits")})
    if access.can_read_audit(user):
        nav_items.append({"label": "Audit log", "url": reverse("audit:event_list")})
    return {
        # Lazy: the profile is read only when a template shows the name (HTML pages, not API calls),
        # and once however many times the page shows it.
        "partnership_name": SimpleLazyObject(partnership_name),
        "current_membership": access.membership_of(user),
        "nav_items": nav_items,
    }
