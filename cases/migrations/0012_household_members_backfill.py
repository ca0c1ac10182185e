"""Backfill: everyone already in a household gets a current membership row, and every address a history row.

Children and adults recorded before issue 14 have only `Child.family` / `Adult.family`. They join on
the day they (or the household) were recorded, with a reason that says so; no person decided it, so
`added_by` stays empty. A household with an address gets it as its current address. The reverse
removes only the rows this migration wrote (identified by its reason).
"""
from django.db import migrations

REASON = "On the household's record before membership was kept"
# The adult's relationship to the household's children (cases.Relationship) as a household relationship.
AS_MEMBER = {"mother": "parent", "father": "parent", "step_parent": "step_parent", "mothers_partner": "partner", "fathers_partner": "partner"}
ADDRESS_REASON = "The household's address before address history was kept"


def backfill(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    Adult = apps.get_model("cases", "Adult")
    Family = apps.get_model("cases", "Family")
    HouseholdMember = apps.get_model("cases", "HouseholdMember")
    HouseholdAddress = apps.get_model("cases", "HouseholdAddress")
    current_children = set(HouseholdMember.objects.filter(child__isnull=False, left_on__isnull=True).values_list("child_id", flat=True))
    current_adults = set(HouseholdMember.objects.filter(adult__isnull=False, left_on__isnull=True).values_list("adult_id", flat=True))
    rows = [
        HouseholdMember(family_id=child.family_id, child_id=child.pk, relationship="child", joined_on=child.created_at.date(), reason=REASON)
        for child in Child.objects.filter(family__isnull=False).exclude(pk__in=current_children).iterator()
    ]
    AdultChildRelationship = apps.get_model("cases", "AdultChildRelationship")
    relationship = {}
    for adult_id, kind in AdultChildRelationship.objects.order_by("pk").values_list("adult_id", "relationship"):
        relationship.setdefault(adult_id, AS_MEMBER.get(kind, "other"))
    rows += [
        HouseholdMember(family_id=adult.family_id, adult_id=adult.pk, relationship=relationship.get(adult.pk, "other"),
                        joined_on=adult.created_at.date(), reason=REASON)
        for adult in Adult.objects.exclude(pk__in=current_adults).iterator()
    ]
    HouseholdMember.objects.bulk_create(rows, batch_size=1000)
    with_address = Family.objects.exclude(address="", postcode="").exclude(addresses__moved_out_on__isnull=True)
    HouseholdAddress.objects.bulk_create(
        [HouseholdAddress(family_id=family.pk, address=family.address, postcode=family.postcode, uprn=family.uprn, reason=ADDRESS_REASON)
         for family in with_address.iterator()],
        batch_size=1000,
    )


def unbackfill(apps, schema_editor):
    apps.get_model("cases", "HouseholdMember").objects.filter(reason=REASON, added_by__isnull=True).delete()
    apps.get_model("cases", "HouseholdAddress").objects.filter(reason=ADDRESS_REASON).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0011_household_members_and_addresses"),
    ]

    operations = [migrations.RunPython(backfill, unbackfill)]
