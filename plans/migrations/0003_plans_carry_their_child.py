"""A plan carries its case's child (`Plan.child`), so the rules over a child's plans read one table.

Filled from each plan's case in one UPDATE, then required. On PostgreSQL a foreign key over
(case_id, child_id) to the case's (id, child_id) holds the two equal: a plan cannot name another
child than its case's, and a case's child cannot change under its plans. Deferred to the end of the
transaction, like Django's own foreign keys. SQLite (the demo's database) has no ALTER TABLE for it;
there `Plan.save` alone sets the child.
"""

import django.db.models.deletion
from django.db import migrations, models

CONSTRAINT = "plan_child_is_its_case_child"


def fill_from_the_case(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Case = apps.get_model("cases", "Case")
    Plan.objects.update(child_id=models.Subquery(Case.objects.filter(pk=models.OuterRef("case_id")).values("child_id")))


def add_the_pair_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE cases_plan ADD CONSTRAINT {CONSTRAINT} FOREIGN KEY (case_id, child_id) "
            "REFERENCES cases_case (id, child_id) DEFERRABLE INITIALLY DEFERRED"
        )


def drop_the_pair_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE cases_plan DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_case_with_its_child"),
        ("plans", "0002_content_types_follow_the_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="child",
            field=models.ForeignKey(
                blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="cases.child"
            ),
        ),
        migrations.RunPython(fill_from_the_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="child",
            field=models.ForeignKey(
                blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="cases.child"
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(fields=["child", "kind", "started_on"], name="plan_child_kind_started_on"),
        ),
        migrations.RunPython(add_the_pair_key, drop_the_pair_key),
    ]
