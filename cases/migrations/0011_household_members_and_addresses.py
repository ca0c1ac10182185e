"""Households keep their members (who joined or left, when, who decided and why), their addresses and a UPRN (issue 14)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0004_membership_front_door'),
        ('cases', '0010_concern_needs_not_met_at_universal_levels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='family',
            name='created_by_agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
        ),
        migrations.AddField(
            model_name='family',
            name='merged_into',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_from', to='cases.family'),
        ),
        migrations.AddField(
            model_name='family',
            name='uprn',
            field=models.CharField(blank=True, db_index=True, help_text='Unique Property Reference Number, if known.', max_length=12, verbose_name='UPRN'),
        ),
        migrations.CreateModel(
            name='HouseholdAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.TextField(verbose_name='address lines')),
                ('postcode', models.CharField(blank=True, max_length=10)),
                ('uprn', models.CharField(blank=True, db_index=True, max_length=12, verbose_name='UPRN')),
                ('moved_in_on', models.DateField(blank=True, null=True)),
                ('moved_out_on', models.DateField(blank=True, null=True)),
                ('reason', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('family', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addresses', to='cases.family')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-moved_out_on', '-pk'],
                'indexes': [models.Index(fields=['postcode'], name='cases_house_postcod_6a8fd1_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('moved_out_on__isnull', True)), fields=('family',), name='one_current_address_per_household')],
            },
        ),
        migrations.CreateModel(
            name='HouseholdMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('relationship', models.CharField(choices=[('child', 'Child of the household'), ('parent', 'Parent'), ('step_parent', 'Step-parent'), ('partner', 'Partner of a parent'), ('sibling', 'Sibling'), ('other', 'Other')], max_length=20)),
                ('joined_on', models.DateField()),
                ('left_on', models.DateField(blank=True, null=True)),
                ('reason', models.TextField(error_messages={'blank': 'Say why they are being added to the household'})),
                ('removal_reason', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('adult', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='household_memberships', to='cases.adult')),
                ('child', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='household_memberships', to='cases.child')),
                ('family', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='cases.family')),
                ('removed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['joined_on', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('adult__isnull', True), ('child__isnull', False)), models.Q(('adult__isnull', False), ('child__isnull', True)), _connector='OR'), name='household_member_is_a_child_or_an_adult'), models.UniqueConstraint(condition=models.Q(('child__isnull', False), ('left_on__isnull', True)), fields=('child',), name='one_current_household_per_child', violation_error_message='This child already lives in a household: remove them from it first'), models.UniqueConstraint(condition=models.Q(('adult__isnull', False), ('left_on__isnull', True)), fields=('adult',), name='one_current_household_per_adult', violation_error_message='This adult already lives in a household: remove them from it first'), models.CheckConstraint(condition=models.Q(('left_on__isnull', True), ('left_on__gte', models.F('joined_on')), _connector='OR'), name='household_member_leaves_after_joining')],
            },
        ),
    ]
