"""A membership may work the front door of children's social care (issue 14; agencies/access.py, `is_front_door`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0003_api_tokens_expiring_and_revocable"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="front_door",
            field=models.BooleanField(default=False),
        ),
    ]
