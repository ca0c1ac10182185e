"""Chronology entries for household changes, household concerns and front-door decisions; theme words a partnership adds (issue 14)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chronologies', '0003_census_sources'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='chronologyentry',
            name='kind',
            field=models.CharField(choices=[('concern', 'Concern'), ('home_visit', 'Home visit'), ('school_attendance', 'School attendance'), ('school_absence', 'School absence'), ('health_appointment_attended', 'Health appointment attended'), ('health_appointment_missed', 'Health appointment missed'), ('urgent_care', 'A&E or urgent care attendance'), ('police_call_out', 'Police call-out'), ('housing_visit', 'Housing visit'), ('referral', 'Referral'), ('assessment', 'Assessment'), ('plan_started', 'Plan started'), ('plan_ended', 'Plan ended'), ('conference', 'Conference'), ('family_group_conference', 'Family group conference'), ('childs_voice', "Child's voice"), ('management_oversight', 'Management oversight'), ('household_change', 'Household change'), ('front_door_decision', 'Front door decision'), ('other', 'Other')], max_length=40),
        ),
        migrations.AlterField(
            model_name='chronologyentry',
            name='source_type',
            field=models.CharField(blank=True, choices=[('concern', 'Concern'), ('plan_started', 'Plan started'), ('plan_ended', 'Plan ended'), ('referral', 'Referral'), ('oversight', 'Management oversight'), ('child_voice', "Child's voice"), ('conference', 'Conference'), ('assessment_run', 'Assessment'), ('census_assessment', 'Census assessment'), ('census_assessment_authorised', 'Census assessment authorisation'), ('census_section47', 'Census section 47 enquiry'), ('census_icpc', 'Census initial child protection conference'), ('census_cp_review', 'Census child protection review'), ('household_joined', 'Household membership'), ('household_left', 'Household membership ending'), ('household_concern', 'Household concern'), ('front_door_decision', 'Front door decision')], max_length=30),
        ),
        migrations.CreateModel(
            name='ThemeWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.CharField(error_messages={'blank': 'Enter the theme, for example Hygiene'}, max_length=60)),
                ('words', models.CharField(error_messages={'blank': 'Enter the word or phrase to look for'}, max_length=120)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['theme', 'words', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('theme', 'words'), name='one_theme_word_per_theme')],
            },
        ),
    ]
