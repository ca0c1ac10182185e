"""Fill `Agency.name_key` (the name compared ignoring case and spacing) for the agencies made before.

Duplicates already in the database must not stop the migration: the oldest agency of each name
gets the key, and each later one keeps a blank (NULL) key, which the unique index lets through.
Those are the agencies a partnership admin merges (agencies.services.agency_merge; the agency list
marks them "Possible duplicate"). The rule is copied here rather than imported (docs/conventions.md,
"Migrations").
"""

import re

from django.db import migrations


def _key(name):
    return re.sub(r"\s+", " ", name or "").strip().casefold()


def forwards(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    seen = set()
    for agency in Agency.objects.order_by("pk"):
        key = _key(agency.name)
        if key in seen:
            continue
        seen.add(key)
        Agency.objects.filter(pk=agency.pk).update(name_key=key)


def backwards(apps, schema_editor):
    apps.get_model("agencies", "Agency").objects.update(name_key=None)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_agency_identifiers_and_name_key")]

    operations = [migrations.RunPython(forwards, backwards)]
