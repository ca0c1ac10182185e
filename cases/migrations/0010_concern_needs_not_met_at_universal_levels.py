"""A concern at a universal level may carry no type of neglect: it is recorded as "needs not met".

The database held every concern (and amendment) to at least one type of neglect; now a concern whose
recorder suggests the Universal or Universal Plus level may name none (cases/models.py,
`NEEDS_NOT_MET_LEVELS`). Existing rows all name a type, so they satisfy the new check as they are.
"""
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_notifications_move_to_their_own_app'),
        ('cases', '0009_case_grants_record_reason_and_end_date'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='concern',
            name='cases_concern_has_a_neglect_type',
        ),
        migrations.RemoveConstraint(
            model_name='concernamendment',
            name='cases_concernamendment_has_a_neglect_type',
        ),
        migrations.AddConstraint(
            model_name='concern',
            constraint=models.CheckConstraint(condition=models.Q(('neglect_physical', True), ('neglect_nutritional', True), ('neglect_medical', True), ('neglect_emotional', True), ('neglect_educational', True), ('neglect_supervision', True), ('suggested_threshold__in', ('universal', 'universal_plus')), _connector='OR'), name='cases_concern_neglect_type_or_needs_not_met', violation_error_message='Choose at least one type of neglect'),
        ),
        migrations.AddConstraint(
            model_name='concernamendment',
            constraint=models.CheckConstraint(condition=models.Q(('neglect_physical', True), ('neglect_nutritional', True), ('neglect_medical', True), ('neglect_emotional', True), ('neglect_educational', True), ('neglect_supervision', True), ('suggested_threshold__in', ('universal', 'universal_plus')), _connector='OR'), name='cases_concernamendment_neglect_type_or_needs_not_met', violation_error_message='Choose at least one type of neglect'),
        ),
    ]
