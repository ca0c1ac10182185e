"""A unique key over a case's id and child, what a plan's (case, child) refers to (plans/migrations/0003).

The id alone is unique already, so this refuses nothing; it lets PostgreSQL hold a plan's child
equal to its case's.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_referrals_oversight_and_voice_moved_to_their_own_apps"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(fields=("id", "child"), name="case_with_its_child"),
        ),
    ]
