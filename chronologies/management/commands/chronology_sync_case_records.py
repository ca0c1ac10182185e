"""Give case records made before the chronology existed their automatic entries (safe to run again).

Every case service now writes its record's chronology entry as it saves the record; this command
brings older records to the same state through the same adapters. The sync is idempotent on the
record, so a second run writes nothing. A concern without an entry has its original and then its
amendments replayed in order, so that its entry ends as the latest amendment reads with the earlier
versions beneath it; a concern that has one is synced from its latest version only (replaying the
original again would read as a correction back to it).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from chronologies import services
from chronologies.models import ChronologyEntry, SourceType
from concerns.models import Concern
from oversight.models import Oversight
from plans.models import Plan
from referrals.models import Referral
from voice.models import ChildVoice


class Command(BaseCommand):
    help = "Make the automatic chronology entries of concerns, plans, referrals, oversight and the child's voice recorded before the chronology existed."

    def handle(self, *args, **options):
        before = ChronologyEntry.objects.count()
        with transaction.atomic():
            synced = set(ChronologyEntry.objects.filter(source_type=SourceType.CONCERN).values_list("source_id", flat=True))
            for concern in Concern.objects.select_related("child", "agency", "recorded_by").prefetch_related("amendments").order_by("pk"):
                amendments = list(concern.amendments.all())
                if concern.pk not in synced:
                    services.chronology_entry_from_concern(concern=concern)
                for amendment in amendments if concern.pk not in synced else amendments[-1:]:
                    services.chronology_entry_from_concern_amendment(amendment=amendment)
            for plan in Plan.objects.select_related("case__child", "case__lead_agency").order_by("pk"):
                services.chronology_entry_from_plan_start(plan=plan, actor=None)
                if plan.ended_on:
                    services.chronology_entry_from_plan_end(plan=plan, actor=None)
            for referral in Referral.objects.select_related("child", "referring_agency", "recorded_by").order_by("pk"):
                services.chronology_entry_from_referral(referral=referral)
            for oversight in Oversight.objects.select_related("case__child", "case__lead_agency", "manager").order_by("pk"):
                services.chronology_entry_from_oversight(oversight=oversight)
            for voice in ChildVoice.objects.select_related("case__child", "agency", "recorded_by").order_by("pk"):
                services.chronology_entry_from_child_voice(voice=voice)
        self.stdout.write(f"{ChronologyEntry.objects.count() - before} chronology entries written.")
