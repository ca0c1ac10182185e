"""Demo data: a county partnership's agencies, one user per role, and a few synthetic families."""
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import AgencyKind, Role
from agencies.services import agency_ensure, user_create
from cases.models import Case, Threshold
from cases.services import case_open, child_create, family_create, team_add
from partnership.models import ActionPlan, Rag
from partnership.services import action_plan_row_add, action_plan_start

DEMO_PASSWORD = "demo-Password-2026"

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
                        username=username, email=f"{username}@example.org", agency=agencies[agency_name], role=role,
                        password=DEMO_PASSWORD, first_name=first, last_name=last,
                    )
                users[username] = user
            if not Case.objects.exists():
                self._families(agencies, users)
            if not ActionPlan.objects.exists():
                self._action_plans(agencies, users)
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
            (agencies["Public Health"], "Health visitors and school nurses use GCP2 where neglect is suspected",
             "Train all 0-19 staff in GCP2", "Two GCP2 trainers", "Neglect recognised and assessed earlier", "Head of 0-19 Service",
             date(2027, 3, 31), Rag.AMBER, "Trainer appointed; 40 of 120 staff trained."),
            (agencies["Public Health"], "Dental neglect is recognised", "Add dental neglect to the universal health review",
             "Community dental service time", "Referrals for dental neglect made early", "Consultant in Dental Public Health",
             date(2026, 12, 31), Rag.GREEN, "Included in the review since September."),
            (None, "Key agencies attend every initial child protection conference", "Quarterly attendance report to each agency",
             "Business unit analyst", "Attendance of GPs and housing above 80%", "Partnership business manager",
             date(2027, 3, 31), Rag.RED, "GP attendance 41% this quarter; raised with the ICB."),
        ]
        for agency, objective, action, input_, outcome, lead, timescale, rag, progress in rows:
            plan = action_plan_start(actor=admin, agency=agency)
            action_plan_row_add(
                actor=admin, plan=plan, objective=objective, action=action, input=input_, desired_outcome=outcome, lead=lead,
                timescale=timescale, quarter="2026-27-Q2", rag=rag, progress=progress,
            )
