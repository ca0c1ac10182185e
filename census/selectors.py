"""Reads for the census import: finding the child, referral, case and plans a return's element
is about. The import is partnership-wide by design (a statutory return covers every child in need),
so who may run it is decided before (agencies.access.can_exchange_statutory_returns)."""

from agencies.models import Agency, AgencyKind
from cases.models import Case, CaseStatus, Child
from plans.models import Plan
from referrals.models import Referral

from .models import ChildCensus


def childrens_social_care_agencies():
    return list(Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_active=True).order_by("pk"))


def child_with_la_child_id(la_child_id):
    found = ChildCensus.objects.filter(la_child_id=la_child_id).select_related("child").first()
    return found.child if found else None


def child_with_portal_number(number):
    return Child.objects.filter(pk=number).first()


def child_with_upn(upn):
    return Child.objects.filter(upn=upn).first() if upn else None


def open_case_of(child):
    return Case.objects.filter(child=child, status=CaseStatus.OPEN).first()


def referral_of(child, referred_on):
    return Referral.objects.filter(child=child, referred_on=referred_on).select_related("case").order_by("pk").first()


def plan_of(child, kind, started_on):
    return Plan.objects.filter(case__child=child, kind=kind, started_on=started_on).select_related("case").order_by("pk").first()


def open_plan_on(case, kind):
    return Plan.objects.filter(case=case, kind=kind, ended_on__isnull=True).first()
