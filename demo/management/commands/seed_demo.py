"""Demo data: a county partnership's agencies, one user per role, a few named families and a small synthetic county.

The county (bench/county.py, the generator the benchmarks use, at demo size) gives three years of
referrals, plans, conferences with invitations and decisions, assessments, concerns and chronology
entries, so every dashboard measure, drift rule and conference page has something to show. On top
of it: census coding for most referrals (the dashboard reads the DfE codes), plan actions (some
overdue), two years of quarterly action-plan updates, and the strategy group's dashboard: its board,
targets with their reasons, a narrative and a signed-off quarter. Every step runs once: running the
command again changes nothing.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agencies.models import AgencyKind, Role
from agencies.services import agency_ensure, user_create
from bench.county import USERNAME_PREFIX, generate_county
from cases.models import Case, CaseStatus, Family, Threshold
from cases.services import case_open, child_create, family_create, team_add
from census.models import ReferralCensus
from dashboard import services as dashboard
from dashboard.models import DashboardSetup, MeasureTarget, QuarterReport
from demo.quality import seed_quality
from neglect_portal.quarters import last_complete_quarter
from partnership.models import ActionPlan, Rag
from partnership.selectors import profile_record
from partnership.services import action_plan_row_add, action_plan_start, action_plan_update_record, partnership_profile_update
from plans.models import ActionStatus, Plan, PlanAction, PlanKind
from referrals.models import Referral

DEMO_PASSWORD = "demo-Password-2026"
# The demo county: 3,000 children make about 500 cases, 200 plans, 400 referrals and 20,000 chronology entries
# (docs/domain.md's proportions); three years, so the dashboard's trend has eight full quarters of history.
COUNTY_CHILDREN = 3000
COUNTY_YEARS = 3
COUNTY_SEED = 2026

AGENCIES = [
    ("Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, ""),
    ("County Education Service", AgencyKind.EDUCATION_SERVICE, ""),
    ("Public Health", AgencyKind.PUBLIC_HEALTH, ""),
    ("Adult Social Care", AgencyKind.ADULT_SOCIAL_CARE, ""),
    ("Community Health Trust", AgencyKind.COMMUNITY_HEALTH, ""),
    ("University Hospitals Trust", AgencyKind.HOSPITAL, ""),
    ("Integrated Care Board", AgencyKind.GP_ICB, ""),
    ("County Police", AgencyKind.POLICE, ""),
    ("City Council Housing", AgencyKind.HOUSING, "central"),
    ("District Council Housing", AgencyKind.HOUSING, "north"),
    ("Probation Service", AgencyKind.PROBATION, ""),
    ("Riverside Secondary School", AgencyKind.SCHOOL, "south"),
    ("Meadow Primary School", AgencyKind.SCHOOL, "south"),
    ("Family Support Network", AgencyKind.VOLUNTARY_SECTOR, ""),
]

USERS = [
    # username, first, last, agency, role
    ("sw.practitioner", "Sam", "Okafor", "Children's Social Care", Role.PRACTITIONER),
    ("sw.manager", "Priya", "Shah", "Children's Social Care", Role.MANAGER),
    ("school.dsl", "Dan", "Hughes", "Riverside Secondary School", Role.DSL),
    ("health.visitor", "Leah", "Morgan", "Community Health Trust", Role.PRACTITIONER),
    ("police.officer", "Tom", "Baker", "County Police", Role.PRACTITIONER),
    ("strategy.member", "Grace", "Adeyemi", "Public Health", Role.STRATEGY_MEMBER),
    ("partnership.admin", "Alex", "Reid", "Children's Social Care", Role.PARTNERSHIP_ADMIN),
    ("auditor", "Jo", "Fraser", "Children's Social Care", Role.AUDITOR),
]


class Command(BaseCommand):
    help = "Create demo agencies, one user per role and a few synthetic families (all people are invented)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow seeding when DEBUG is off.")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with a published password; run it with DEBUG=true or --force.")
        with transaction.atomic():
            agencies = {name: agency_ensure(name=name, kind=kind, locality=locality)[0] for name, kind, locality in AGENCIES}
            users = {}
            User = get_user_model()
            for username, first, last, agency_name, role in USERS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = user_create(
                        username=username,
                        email=f"{username}@example.org",
                        agency=agencies[agency_name],
                        role=role,
                        password=DEMO_PASSWORD,
                        first_name=first,
                        last_name=last,
                    )
                users[username] = user
            if not Family.objects.filter(name="Brook household").exists():
                self._families(agencies, users)
            if not get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).exists():
                self._county()
            if not ActionPlan.objects.exists():
                self._action_plans(agencies, users)
            self._dashboard(users)
            seed_quality(users)
        self._drift_flags()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:"))
        for username, _, _, agency_name, role in USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label:<30} {agency_name}")
        self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")

    def _families(self, agencies, users):
        csc = agencies["Children's Social Care"]
        school = agencies["Riverside Secondary School"]
        health = agencies["Community Health Trust"]
        police = agencies["County Police"]
        worker = users["sw.practitioner"]

        brook = family_create(name="Brook household", address="12 Example Road, Southtown", postcode="ZZ1 1AA", locality="south")
        ellie = child_create(given_name="Ellie", family_name="Brook", date_of_birth=date(2012, 5, 14), family=brook)
        noah = child_create(given_name="Noah", family_name="Brook", date_of_birth=date(2023, 2, 2), family=brook)
        ellie_case = case_open(child=ellie, lead_agency=csc, lead_professional=worker, opened_on=date(2026, 3, 2), threshold=Threshold.SPECIALIST)
        team_add(case=ellie_case, agency=school, reason="Ellie attends the school")
        team_add(case=ellie_case, agency=police, reason="Police call-out to the address")
        noah_case = case_open(child=noah, lead_agency=csc, lead_professional=worker, opened_on=date(2026, 3, 2), threshold=Threshold.SPECIALIST)
        team_add(case=noah_case, agency=health, reason="Health visiting")

        hill = family_create(name="Hill household", address="4 Sample Close, Northbury", postcode="ZZ2 2BB", locality="north")
        ava = child_create(given_name="Ava", family_name="Hill", date_of_birth=date(2018, 9, 30), family=hill)
        ava_case = case_open(child=ava, lead_agency=health, opened_on=date(2026, 6, 15), threshold=Threshold.TARGETED_EARLY_HELP)
        team_add(case=ava_case, agency=agencies["Meadow Primary School"], reason="Ava attends the school")

    def _action_plans(self, agencies, users):
        """Public Health's plan (the demo strategy member's agency) and the strategy group's overarching plan."""
        admin = users["partnership.admin"]
        rows = [
            (
                agencies["Public Health"],
                "Health visitors and school nurses use GCP2 where neglect is suspected",
                "Train all 0-19 staff in GCP2",
                "Two GCP2 trainers",
                "Neglect recognised and assessed earlier",
                "Head of 0-19 Service",
                date(2027, 3, 31),
                Rag.AMBER,
                "Trainer appointed; 40 of 120 staff trained.",
            ),
            (
                agencies["Public Health"],
                "Dental neglect is recognised",
                "Add dental neglect to the universal health review",
                "Community dental service time",
                "Referrals for dental neglect made early",
                "Consultant in Dental Public Health",
                date(2026, 12, 31),
                Rag.GREEN,
                "Included in the review since September.",
            ),
            (
                None,
                "Key agencies attend every initial child protection conference",
                "Quarterly attendance report to each agency",
                "Business unit analyst",
                "Attendance of GPs and housing above 80%",
                "Partnership business manager",
                date(2027, 3, 31),
                Rag.RED,
                "GP attendance 41% this quarter; raised with the ICB.",
            ),
        ]
        # Two years of quarterly reviews: each row's status moves towards its status now.
        quarters = last_complete_quarter(timezone.localdate()).last(8)
        path = {
            Rag.GREEN: [Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN],
            Rag.AMBER: [Rag.RED, Rag.RED, Rag.AMBER, Rag.AMBER],
            Rag.RED: [Rag.AMBER, Rag.AMBER, Rag.RED, Rag.RED],
        }
        for agency, objective, action, input_, outcome, lead, timescale, rag, progress in rows:
            plan = action_plan_start(actor=admin, agency=agency)
            row = action_plan_row_add(
                actor=admin,
                plan=plan,
                objective=objective,
                action=action,
                input=input_,
                desired_outcome=outcome,
                lead=lead,
                timescale=timescale,
                quarter=quarters[0].name,
                rag=path[rag][0],
                progress="Action agreed at the strategy group.",
            )
            for index, quarter in enumerate(quarters[1:], start=1):
                status = rag if index == len(quarters) - 1 else path[rag][min(index * len(path[rag]) // len(quarters), len(path[rag]) - 1)]
                row.refresh_from_db()
                action_plan_update_record(
                    actor=admin,
                    row=row,
                    version=row.version,
                    quarter=quarter.name,
                    rag=status,
                    progress=progress if index == len(quarters) - 1 else f"Reviewed at the {quarter.name} strategy group.",
                )

    def _county(self):
        """The synthetic county at demo size, then what the generator does not make: census codes and plan actions."""
        generate_county(children=COUNTY_CHILDREN, seed=COUNTY_SEED, years=COUNTY_YEARS, append=True, log=lambda line: self.stdout.write(f"  county: {line}"))
        rng = random.Random(COUNTY_SEED)
        today = timezone.localdate()
        codings = []
        for referral in Referral.objects.filter(census__isnull=True).only("pk", "is_neglect"):
            if rng.random() < 0.25:
                continue  # not coded yet: the dashboard falls back on the referral's own "for neglect"
            if referral.is_neglect:
                codings.append(ReferralCensus(referral=referral, primary_need="N1", assessment_factors=["16A", rng.choice(["1B", "2B", "3B", "4B"])]))
            else:
                codings.append(
                    ReferralCensus(
                        referral=referral, primary_need=rng.choice(["N1", "N3", "N4", "N5"]), assessment_factors=[rng.choice(["3B", "4B", "18C", "21"])]
                    )
                )
        ReferralCensus.objects.bulk_create(codings)
        actions = []
        open_plans = Plan.objects.filter(ended_on__isnull=True, kind__in=[PlanKind.CHILD_PROTECTION, PlanKind.CHILD_IN_NEED]).select_related("case")
        for plan in open_plans:
            for what, outcome, owner in ACTIONS:
                due = plan.started_on + timedelta(days=rng.randrange(30, 240))
                status = ActionStatus.DONE if due < today and rng.random() < 0.6 else rng.choice([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
                actions.append(
                    PlanAction(
                        plan=plan,
                        what=what,
                        outcome_for_child=outcome,
                        owner_agency_id=owner(plan),
                        due_on=due,
                        status=status,
                        evidence="Seen at the core group." if status == ActionStatus.DONE else "",
                    )
                )
        PlanAction.objects.bulk_create(actions)
        self.stdout.write(f"  county: {len(codings)} referrals coded for the census, {len(actions)} plan actions")

    def _dashboard(self, users):
        """The strategy group's dashboard: its board, a few targets with reasons, the last quarter's narrative, the one before signed off."""
        strategy = users["strategy.member"]
        profile = profile_record()
        if profile.under_18_population is None:
            # The county's children are all the children of the demo partnership: rates per 10,000 read as a real county's would.
            partnership_profile_update(actor=users["partnership.admin"], version=profile.version, name=profile.name, under_18_population=COUNTY_CHILDREN)
        if not DashboardSetup.objects.exists():
            dashboard.setup_save(actor=strategy, version=1, measure_set_key="", added_measures=[], board="Safeguarding Children Partnership Executive")
        if not MeasureTarget.objects.exists():
            for key, value, reason in TARGETS:
                dashboard.target_set(actor=strategy, measure_key=key, value=value, reason=reason)
        last = last_complete_quarter(timezone.localdate())
        if not QuarterReport.objects.exists():
            before = last.previous()
            dashboard.report_save(actor=strategy, quarter=before.name, version=1, narratives=NARRATIVES, escalations=ESCALATIONS)
            dashboard.quarter_sign_off(actor=strategy, quarter=before.name, version=1, name="Grace Adeyemi", position="Chair, Neglect Strategy Group")
            dashboard.report_save(actor=strategy, quarter=last.name, version=1, narratives={"protection": NARRATIVES["protection"]}, escalations="")

    def _drift_flags(self):
        """Store drift's flags for every open case now (the nightly sweep would; the demo should not wait for it)."""
        from drift.refresh import drift_flags_refresh

        open_cases = list(Case.objects.filter(status=CaseStatus.OPEN).values_list("pk", flat=True))
        if open_cases:
            drift_flags_refresh(case_ids=open_cases)


# Plan actions the county's open plans get (owner: children's social care, the school or health).
ACTIONS = [
    (
        "Weekly home visits to see the children's sleeping arrangements",
        "The children sleep in a safe, warm bed every night",
        lambda plan: plan.case.lead_agency_id,
    ),
    ("Book and attend a dental check", "The child's teeth are checked and treated", lambda plan: plan.case.lead_agency_id),
]

TARGETS = [
    ("cp_neglect_12m_plus_pct", 10, "The England average for child protection plans lasting over a year; agreed at the January 2025 strategy group."),
    ("cp_neglect_repeat_pct", 20, "Below the statistical neighbours' rate of repeat plans for neglect."),
    ("neglect_plans_with_prior_eha_pct", 60, "Early help first for most families: the strategy's priority 2."),
    ("school_attendance_neglect_pct", 90, "Below 90% a child is persistently absent (the DfE's measure)."),
]

NARRATIVES = {
    "protection": "Children on plans for neglect held steady this quarter; neglect remains about half of all child protection plans.",
    "drift": "Long plans for neglect are above the target. Each is reviewed at the next core group with a plan to step down or escalate.",
    "front_door": "More referrals for neglect came with an Early Help Assessment first, the result of the early help training.",
    "practice": "GP attendance at conferences remains the gap; the ICB has been asked for a named lead.",
    "education": "Attendance of children on neglect plans improved for most of them; secondary schools report the largest change.",
}
ESCALATIONS = "GP attendance at child protection conferences (41% this quarter): the partnership executive is asked to raise it with the ICB."
