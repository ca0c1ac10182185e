"""Review conferences of a child protection plan become rows (CensusReview) instead of a list of
dates on PlanCensus, so each review has an identity its chronology entry is kept against. The
dates already stored are copied across, numbered in date order, before the list is dropped."""
import django.db.models.deletion
from django.db import migrations, models


def copy_review_dates(apps, schema_editor):
    PlanCensus = apps.get_model("census", "PlanCensus")
    CensusReview = apps.get_model("census", "CensusReview")
    CensusReview.objects.bulk_create(
        CensusReview(plan_census=census, number=number, held_on=held_on)
        for census in PlanCensus.objects.exclude(review_dates=[])
        for number, held_on in enumerate(sorted({value[:10] for value in census.review_dates}), 1)
    )


def copy_back(apps, schema_editor):
    PlanCensus = apps.get_model("census", "PlanCensus")
    for census in PlanCensus.objects.all():
        census.review_dates = [review.held_on.isoformat() for review in census.reviews.order_by("number")]
        census.save(update_fields=["review_dates"])


class Migration(migrations.Migration):

    dependencies = [
        ('census', '0002_statutory_records'),
    ]

    operations = [
        migrations.CreateModel(
            name='CensusReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField()),
                ('held_on', models.DateField()),
                ('plan_census', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='census.plancensus')),
            ],
            options={
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('plan_census', 'number'), name='one_census_review_per_number')],
            },
        ),
        migrations.RunPython(copy_review_dates, copy_back),
        migrations.RemoveField(
            model_name='plancensus',
            name='review_dates',
        ),
    ]
