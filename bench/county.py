"""A synthetic county for benchmarks and demos: children, cases, plans, referrals, concerns, tools,
conferences and a million chronology entries, with several years of dated history.

Everybody here is invented. The shape follows docs/domain.md ("Scale we design for") and the national
pattern the dashboard measures: neglect is about half of child protection plans, some plans repeat
or run past 12 months, referrals have outcomes, Early Help Assessments often (not always) come
before statutory plans, conferences have uneven partner attendance, and school-age children have a
school attendance figure each term.

Rows are written with PostgreSQL COPY (psycopg 3), which is why the full county takes minutes, not
hours; other databases (SQLite, the demo) get the ORM's `bulk_create` in batches. Ids of rows that others point at are reserved
from each table's sequence first, so the story (case -> plan -> conference) is built in Python and
written table by table. Nothing goes through the services: they refuse past dates and write audit
rows, neither of which a generator wants, and the immutable tables (concerns, chronology entries,
final tool runs) refuse only UPDATE and DELETE, never INSERT.
"""

import json
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from agencies.models import AgencyKind, Membership, Role
from agencies.services import agency_ensure
from cases.models import Case, Child, Family, TeamMembership
from cases.validators import nhs_check_digit
from chronologies.models import ChronologyEntry
from concerns.models import Concern
from conferences.models import Conference, ConferenceChild, Invitation
from plans.models import Plan
from referrals.models import Referral
from tools.models import AssessmentRun, DefinitionStatus, ToolDefinition
from tools.scoring import score_run, scores_for_storage

# Ratios to the number of children, from the county of 150,000 in docs/domain.md, "Scale we design for".
PER_CHILD = {
    "cases": 25_000 / 150_000,
    "plans": 10_000 / 150_000,
    "referrals": 20_000 / 150_000,
    "concerns": 60_000 / 150_000,
    "conferences": 3_000 / 150_000,
    "chronology": 1_000_000 / 150_000,
}

FULL_SIZE = 150_000
USERNAME_PREFIX = "county."

GIVEN = "Amelia Olivia Isla Ava Mia Ivy Lily Freya Grace Sophia Noah Oliver George Arthur Leo Harry Oscar Archie Jack Henry Zara Aisha Kai Ravi Mohammed Yusuf Maya Ruby Evie Alfie Theo Finley Logan Ella Poppy Ellie Jacob Reuben Nia Tomasz".split()
FAMILY = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Kowalski Okoye Nowak".split()
PLACES = "Oakfield Meadow Riverside Hillcrest Brookside Ashgrove Kingsway Millbrook Fairfield Westgate Elmwood Larkspur Northgate Thornbury Willowdale Castleton Redbridge Foxhill Longmead Stonebridge Harewood Marston Greenfield Woodlands Beacon Abbey Priory Hawthorn Bramley Chilton Fernhill Cresswell".split()
LOCALITIES = ("north", "central", "south")

# (name, kind, weight as a recorder of concerns and chronology entries)
PARTNERS = [
    ("Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, 20),
    ("County Education Service", AgencyKind.EDUCATION_SERVICE, 3),
    ("Public Health", AgencyKind.PUBLIC_HEALTH, 3),
    ("Adult Social Care", AgencyKind.ADULT_SOCIAL_CARE, 2),
    ("Community Health Trust", AgencyKind.COMMUNITY_HEALTH, 14),
    ("University Hospitals Trust", AgencyKind.HOSPITAL, 6),
    ("Integrated Care Board", AgencyKind.GP_ICB, 6),
    ("County Police", AgencyKind.POLICE, 10),
    ("City Council Housing", AgencyKind.HOUSING, 3),
    ("District Council Housing", AgencyKind.HOUSING, 2),
    ("Probation Service", AgencyKind.PROBATION, 2),
    ("Family Support Network", AgencyKind.VOLUNTARY_SECTOR, 4),
    ("County Early Years Service", AgencyKind.EARLY_YEARS, 4),
]
PRIMARY_SCHOOLS, SECONDARY_SCHOOLS = 24, 8

# How often each agency kind takes part when invited to a conference (in person, virtual, report only,
# apologies, did not attend): GPs and housing are the classic gaps.
ATTENDANCE = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: (70, 28, 0, 2, 0),
    AgencyKind.SCHOOL: (45, 35, 8, 7, 5),
    AgencyKind.COMMUNITY_HEALTH: (40, 40, 10, 7, 3),
    AgencyKind.POLICE: (15, 40, 30, 10, 5),
    AgencyKind.GP_ICB: (3, 17, 45, 15, 20),
    AgencyKind.HOUSING: (10, 30, 15, 20, 25),
    AgencyKind.PROBATION: (10, 40, 20, 20, 10),
    AgencyKind.EARLY_YEARS: (40, 40, 10, 5, 5),
}
ATTENDANCE_VALUES = ("in_person", "virtual", "report_only", "apologies", "did_not_attend")

# Typed chronology entries (not made from a case record): kind, weight, who records it.
ENTRY_KINDS = [
    ("home_visit", 24, (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.COMMUNITY_HEALTH, AgencyKind.VOLUNTARY_SECTOR, AgencyKind.EARLY_YEARS)),
    ("health_appointment_attended", 16, (AgencyKind.COMMUNITY_HEALTH, AgencyKind.GP_ICB, AgencyKind.HOSPITAL)),
    ("health_appointment_missed", 10, (AgencyKind.COMMUNITY_HEALTH, AgencyKind.GP_ICB, AgencyKind.HOSPITAL)),
    ("school_absence", 10, (AgencyKind.SCHOOL,)),
    ("urgent_care", 4, (AgencyKind.HOSPITAL,)),
    ("police_call_out", 6, (AgencyKind.POLICE,)),
    ("housing_visit", 4, (AgencyKind.HOUSING,)),
    ("childs_voice", 8, (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.SCHOOL, AgencyKind.VOLUNTARY_SECTOR)),
    ("management_oversight", 6, (AgencyKind.CHILDRENS_SOCIAL_CARE,)),
    ("assessment", 4, (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.COMMUNITY_HEALTH)),
    ("family_group_conference", 1, (AgencyKind.CHILDRENS_SOCIAL_CARE,)),
    ("other", 7, (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.VOLUNTARY_SECTOR, AgencyKind.PUBLIC_HEALTH, AgencyKind.ADULT_SOCIAL_CARE)),
]
NEGLECT_TYPES = ("physical", "nutritional", "medical", "emotional", "educational", "supervision")


class CountyRefused(Exception):
    """The database is not one to generate into (it has cases and `append` was not asked)."""


@dataclass
class Sizes:
    """How many of each record a county of `children` children gets (PER_CHILD)."""

    children: int
    cases: int
    plans: int
    referrals: int
    concerns: int
    conferences: int
    chronology: int

    @classmethod
    def for_children(cls, children):
        return cls(children=children, **{name: max(1, round(children * ratio)) for name, ratio in PER_CHILD.items()})


@dataclass
class CaseStory:
    """A case as the generator builds it: its dates, team, plans, and whether it is about neglect."""

    id: int
    child: int
    born: date
    school: int | None
    lead: int
    opened: date
    closed: date | None = None
    team: set = field(default_factory=set)
    plans: list = field(default_factory=list)  # (id, kind, category, start, end)
    neglect: bool = False


def generate_county(*, children=FULL_SIZE, seed=2026, today=None, append=False, years=5, log=print):
    """Write a county of `children` children (other counts in the proportions of docs/domain.md); returns the counts made.

    `years` of history end `today`, so at least nine complete quarters have figures. Refuses a
    database that already has cases unless `append` is set (a second county is added beside it).
    """
    if Case.objects.exists() and not append:
        raise CountyRefused("This database already has cases: generate a county into an empty database, or pass --append to add one.")
    sizes = Sizes.for_children(children)
    made = _County(sizes=sizes, rng=random.Random(seed), today=today or timezone.localdate(), years=years, log=log).write()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses from empty tables; and VACUUM, which leaves the tables as autovacuum
        # keeps a live database (the visibility map set, so a count over an index need not read the table: a copied
        # table has none until autovacuum gets to it). VACUUM cannot run inside a transaction, as in the tests.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in made:
                cursor.execute(f"{verb} {table}")
    return made


class _County:
    """One generation run: agencies and users, children, then each case's story, written table by table."""

    def __init__(self, *, sizes, rng, today, years, log):
        self.sizes, self.rng, self.today, self.log = sizes, rng, today, log
        self.start = today - relativedelta(years=years)
        self.made = {}

    # --- writing ------------------------------------------------------------------------------

    def _reserve(self, table, count):
        """The first of `count` consecutive ids taken from the table's sequence (no one else gets them)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
                return first
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            return cursor.fetchone()[0]

    def _write(self, model, columns, rows):
        """COPY the rows (an iterable of tuples) into the model's table (elsewhere `bulk_create`); returns how many were written.

        Columns not named get the model's default (or now, or NULL), so a column someone adds with a
        default does not break the generator.
        """
        table = model._meta.db_table
        extra_columns, extras = self._defaults(model, columns)
        all_columns = ", ".join((*columns, *extra_columns))
        written = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({all_columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *extras))
                        written += 1
        if connection.vendor != "postgresql":
            written = self._bulk_create(model, (*columns, *extra_columns), ((*row, *extras) for row in rows))
        self.made[table] = self.made.get(table, 0) + written
        return written

    @staticmethod
    def _bulk_create(model, columns, rows, batch_size=2000):
        """Other databases (SQLite, the demo): the same rows as model instances through `bulk_create`.

        The ORM turns dates, times and JSON into what the database takes, which a raw INSERT on
        SQLite does not; JSON values arrive as text for COPY and are read back first.
        """
        fields = {field_.column: field_ for field_ in model._meta.concrete_fields}
        names = [fields[column].attname for column in columns]
        json_names = {fields[column].attname for column in columns if isinstance(fields[column], JSONField)}
        written, batch = 0, []
        for row in rows:
            values = {name: json.loads(value) if name in json_names and isinstance(value, str) else value for name, value in zip(names, row)}
            batch.append(model(**values))
            if len(batch) == batch_size:
                written += len(model.objects.bulk_create(batch))
                batch = []
        if batch:
            written += len(model.objects.bulk_create(batch))
        return written

    def _defaults(self, model, columns):
        names, values = [], []
        for field_ in model._meta.concrete_fields:
            if field_.column in columns or field_.primary_key or field_.generated:
                continue
            if field_.has_default():
                value = field_.get_default()
                value = json.dumps(value) if isinstance(field_, JSONField) else value
            elif getattr(field_, "auto_now", False) or getattr(field_, "auto_now_add", False):
                value = self._at(self.today)
            elif field_.null:
                value = None
            elif field_.blank and field_.get_internal_type() in ("CharField", "TextField"):
                value = ""  # an optional text field someone added (Family.uprn): empty, as a form would leave it
            else:
                raise RuntimeError(f"The generator does not fill {model.__name__}.{field_.name}: add it to bench/county.py.")
            names.append(field_.column)
            values.append(value)
        return names, values

    def write(self):
        with transaction.atomic():
            self._agencies_and_users()
            self._children()
            self._cases_and_plans()
            self._referrals()
            self._concerns()
            self._tool_runs()
            self._conferences()
            self._chronology()
        return self.made

    # --- helpers ------------------------------------------------------------------------------

    def _day_between(self, first, last):
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    @staticmethod
    def _at(day, hour=12):
        return datetime.combine(day, time(hour), tzinfo=UTC)

    def _busy_until(self, story):
        """The end of a case's busiest stretch: its plans, or its first 18 months (so activity does not pile up in recent quarters)."""
        last = max([end or self.today for *_, end in story.plans], default=story.opened + timedelta(days=540))
        return min(story.closed or self.today, max(last, story.opened + timedelta(days=540)) if story.plans else last)

    def _age(self, born, on):
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def _pick(self, agencies_by_kind, kind):
        return self.rng.choice(agencies_by_kind[kind])

    # --- agencies and people ------------------------------------------------------------------

    def _agencies_and_users(self):
        self.agencies = []  # (id, kind, weight)
        for name, kind, weight in PARTNERS:
            self.agencies.append((agency_ensure(name=name, kind=kind)[0].pk, kind, weight))
        self.primary, self.secondary = [], []
        for number in range(PRIMARY_SCHOOLS + SECONDARY_SCHOOLS):
            secondary = number >= PRIMARY_SCHOOLS
            name = f"{PLACES[number % len(PLACES)]} {'Academy' if secondary else 'Primary School'}"
            agency = agency_ensure(name=name, kind=AgencyKind.SCHOOL, locality=LOCALITIES[number % 3])[0]
            (self.secondary if secondary else self.primary).append(agency.pk)
            self.agencies.append((agency.pk, AgencyKind.SCHOOL, 0))
        self.by_kind = {}
        for pk, kind, _ in self.agencies:
            self.by_kind.setdefault(kind, []).append(pk)
        self.csc = self.by_kind[AgencyKind.CHILDRENS_SOCIAL_CARE][0]
        self.kind_of = {pk: kind for pk, kind, _ in self.agencies}
        # One practitioner and one manager per agency record what the county's agencies record.
        User = get_user_model()
        self.practitioner, self.manager = {}, {}
        for pk, kind, _ in self.agencies:
            for role, into in ((Role.PRACTITIONER if kind != AgencyKind.SCHOOL else Role.DSL, self.practitioner), (Role.MANAGER, self.manager)):
                username = f"{USERNAME_PREFIX}{pk}.{role}"
                user, created = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.org", "first_name": self.rng.choice(GIVEN), "last_name": self.rng.choice(FAMILY)}
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    Membership.objects.create(user=user, agency_id=pk, role=role)
                into[pk] = user.pk
        weights = [weight for _, _, weight in self.agencies]
        self.recorders = [pk for pk, _, _ in self.agencies]
        self.recorder_weights = list(accumulate(weights))

    def _recorder(self, story):
        """A recording agency for a case's concern: the child's school often, else by the partners' weights."""
        if story.school and self.rng.random() < 0.3:
            return story.school
        return self.recorders[bisect(self.recorder_weights, self.rng.random() * self.recorder_weights[-1])]

    # --- children -----------------------------------------------------------------------------

    def _children(self):
        count = self.sizes.children
        families = max(1, int(count / 1.9))
        self.first_family = self._reserve("cases_family", families)
        self.first_child = self._reserve("cases_child", count)
        rng, now = self.rng, self._at(self.today)
        self._write(
            Family,
            ("id", "name", "address", "postcode", "locality", "language", "interpreter_needed", "created_at"),
            (
                (
                    self.first_family + n,
                    f"{rng.choice(FAMILY)} household",
                    f"{rng.randint(1, 200)} {rng.choice(PLACES)} Road",
                    f"CO{rng.randint(1, 30)} {rng.randint(1, 9)}AB",
                    LOCALITIES[n % 3],
                    "English" if rng.random() < 0.9 else rng.choice(("Polish", "Urdu", "Romanian", "Arabic")),
                    rng.random() < 0.03,
                    now,
                )
                for n in range(families)
            ),
        )
        self.children = []  # (id, born, school) for every child
        nhs_base = rng.randrange(400_000_000, 600_000_000 - count * 2)

        def rows():
            nhs_next = nhs_base
            for n in range(count):
                pk = self.first_child + n
                unborn = rng.random() < 0.002
                born = self.today + timedelta(days=rng.randrange(1, 200)) if unborn else self.today - timedelta(days=rng.randrange(18 * 365))
                age = None if unborn else self._age(born, self.today)
                school = None
                if age is not None and 4 <= age <= 15:
                    school = rng.choice(self.primary if age < 11 else self.secondary)
                self.children.append((pk, born, school))
                while nhs_check_digit(str(nhs_next)) is None:
                    nhs_next += 1
                nhs = f"{nhs_next}{nhs_check_digit(str(nhs_next))}"
                nhs_next += 1
                yield (
                    pk,
                    rng.choice(GIVEN),
                    rng.choice(FAMILY),
                    "",
                    born,
                    unborn,
                    rng.choice("MF") if rng.random() < 0.98 else "U",
                    "",
                    rng.choice(("WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "OOTH")),
                    rng.random() < 0.05,
                    "" if unborn else nhs,
                    "",
                    school,
                    self.first_family + n * families // count,
                    now,
                )

        self._write(
            Child,
            (
                "id",
                "given_name",
                "family_name",
                "preferred_name",
                "date_of_birth",
                "is_unborn",
                "sex",
                "gender",
                "ethnicity",
                "disability",
                "nhs_number",
                "upn",
                "school_id",
                "family_id",
                "created_at",
            ),
            rows(),
        )
        self.log(f"children: {count}")

    # --- cases and plans ----------------------------------------------------------------------

    def _cases_and_plans(self):
        rng, sizes = self.rng, self.sizes
        born_children = [c for c in self.children if c[1] <= self.today - timedelta(days=30)]
        second = max(0, sizes.cases // 7)
        first = sizes.cases - second
        self.first_case = self._reserve("cases_case", sizes.cases)
        self.stories = []
        window = self.start - relativedelta(years=2)  # older children's involvement before the history starts
        used = set()

        def child_born_by(day):
            """A child not yet chosen who was born by the day the case opens (so openings spread evenly over the years)."""
            for _ in range(500):
                child = rng.choice(born_children)
                if child[1] <= day and child[0] not in used:
                    used.add(child[0])
                    return child
            return None

        pk, seconds = self.first_case, 0
        for _ in range(first):
            twice = seconds < second
            opened = self._day_between(window, self.today - timedelta(days=150 if twice else 14))
            picked = child_born_by(opened)
            if picked is None:
                continue
            child, born, school = picked
            if twice:
                # A child known twice: an earlier case closed, a later one opened.
                seconds += 1
                closed = self._day_between(opened + timedelta(days=30), min(opened + timedelta(days=700), self.today - timedelta(days=90)))
                self.stories.append(CaseStory(id=pk, child=child, born=born, school=school, lead=self.csc, opened=opened, closed=closed))
                again = self._day_between(closed + timedelta(days=30), min(closed + timedelta(days=500), self.today - timedelta(days=7)))
                self.stories.append(CaseStory(id=pk + 1, child=child, born=born, school=school, lead=self.csc, opened=again))
                pk += 2
            else:
                self.stories.append(CaseStory(id=pk, child=child, born=born, school=school, lead=self.csc, opened=opened))
                pk += 1
        self._plans()
        rows, team = [], []
        for story in self.stories:
            if story.closed is None and story.plans and all(end for *_, end in story.plans):
                last_end = max(end for *_, end in story.plans)
                if rng.random() < 0.7:
                    story.closed = min(last_end + timedelta(days=rng.randrange(60)), self.today)
            elif story.closed is None and not story.plans and rng.random() < 0.6:
                story.closed = self._day_between(story.opened + timedelta(days=20), self.today)
                if story.closed > self.today or story.closed < story.opened:
                    story.closed = None
            if story.closed is not None and story.plans:
                story.closed = max(story.closed, max(end or self.today for *_, end in story.plans))
            if story.closed and story.closed > self.today:
                story.closed = None
            statutory = any(kind != "early_help" for _, kind, *_ in story.plans)
            threshold = "specialist" if statutory else rng.choice(("universal_plus", "targeted_early_help", "targeted_early_help"))
            if not statutory and rng.random() < 0.5:
                story.lead = rng.choice(
                    self.by_kind[AgencyKind.COMMUNITY_HEALTH] + self.by_kind[AgencyKind.EARLY_YEARS] + ([story.school] if story.school else [])
                )
            story.team |= {story.lead, self.csc}
            if story.school:
                story.team.add(story.school)
            rows.append(
                (
                    story.id,
                    threshold,
                    "closed" if story.closed else "open",
                    story.lead,
                    self.practitioner[story.lead],
                    story.opened,
                    story.closed,
                    "Plan ended and the family's needs are met" if story.closed else "",
                    story.child,
                    1,
                )
            )
        self._write(
            Case,
            ("id", "threshold", "status", "lead_agency_id", "lead_professional_id", "opened_on", "closed_on", "closure_reason", "child_id", "version"),
            rows,
        )
        self.log(f"cases: {len(rows)}, plans: {self.made['cases_plan']}")

    def _plans(self):
        """Pathways through early help, Child in Need, child protection and care, until the plan count is reached."""
        rng, target = self.rng, self.sizes.plans
        self.first_plan = self._reserve("cases_plan", target + 10)
        plans = []
        for story in rng.sample(self.stories, len(self.stories)):
            if len(plans) >= target:
                break
            if rng.random() < 0.45:
                continue
            story.neglect = rng.random() < 0.55
            roll = rng.random()
            if roll < 0.30:
                path = ["early_help"]
            elif roll < 0.45:
                path = ["early_help", "child_in_need"]
            elif roll < 0.62:
                path = ["child_in_need"]
            elif roll < 0.80:
                path = ["early_help", "child_protection"] if rng.random() < 0.45 else ["child_protection"]
            elif roll < 0.88:
                path = ["child_in_need", "child_protection", "child_in_need"]
            elif roll < 0.94:
                path = ["child_protection", "pre_proceedings", "looked_after"]
            else:
                path = ["child_protection", "child_in_need", "child_protection"]  # a repeat plan
            day = story.opened + timedelta(days=rng.randrange(5, 90))
            last = story.closed or self.today
            for kind in path:
                if day > last or len(plans) >= target:
                    break
                category = ""
                if kind == "child_protection":
                    category = "neglect" if story.neglect else rng.choice(("physical", "emotional", "emotional", "sexual", "multiple"))
                months = {"early_help": 5, "child_in_need": 7, "child_protection": 9, "pre_proceedings": 4, "looked_after": 18}[kind]
                length = timedelta(days=max(30, int(rng.expovariate(1 / (months * 30.4)))))
                end = day + length
                if story.closed is not None and end > story.closed:
                    end = story.closed
                if end >= self.today or (story.closed is None and rng.random() < 0.05 and kind != "early_help"):
                    end = None
                pk = self.first_plan + len(plans)
                plans.append((pk, kind, category, day, end, "Outcomes achieved" if end else "", story.id, story.child, self._at(day)))
                story.plans.append((pk, kind, category, day, end))
                if end is None:
                    break
                day = end if kind != "early_help" or rng.random() < 0.5 else end + timedelta(days=rng.randrange(30, 240))
                if path[-1] == "child_protection" and kind == "child_in_need" and len(path) == 3:
                    day = end + timedelta(days=rng.randrange(60, 400))  # stepped down, then back on a plan
        self._write(Plan, ("id", "kind", "cp_category", "started_on", "ended_on", "end_reason", "case_id", "child_id", "created_at"), plans)

    # --- referrals ----------------------------------------------------------------------------

    def _referrals(self):
        """A referral before each statutory pathway, then more (some repeating within 12 months) up to the target."""
        rng = self.rng
        rows = []
        self.neglect_referred = {}
        first = self._reserve("cases_referral", self.sizes.referrals)
        referrers = [pk for pk, kind, _ in self.agencies if kind not in (AgencyKind.CHILDRENS_SOCIAL_CARE,)]

        def add(story, on, neglect, outcome=None):
            if len(rows) >= self.sizes.referrals or on > self.today:
                return
            if outcome is None:
                outcome = rng.choices(("no_further_action", "early_help", "statutory_assessment", "strategy_discussion_s47"), (30, 25, 35, 10))[0]
            outcome_on = on + timedelta(days=rng.randrange(0, 10))
            if outcome_on > self.today - timedelta(days=3):
                outcome, outcome_on = "", None
            agency = story.school if story.school and rng.random() < 0.3 else rng.choice(referrers)
            reasons = (
                "Concerns about neglect: "
                + rng.choice(("home conditions", "missed health appointments", "poor school attendance", "child often hungry", "left unsupervised"))
                if neglect
                else rng.choice(("Domestic abuse in the household", "Parental mental health", "Injury explanation unclear", "Behaviour at school"))
            )
            rows.append((first + len(rows), on, neglect, reasons, outcome, outcome_on, story.id, story.child, self.practitioner[agency], agency, self._at(on)))
            story.team.add(agency)
            if neglect:
                self.neglect_referred.setdefault(story.child, []).append(on)

        for story in self.stories:
            statutory = [p for p in story.plans if p[1] != "early_help"]
            if statutory:
                start = statutory[0][3]
                add(
                    story,
                    max(story.opened, start - timedelta(days=rng.randrange(7, 45))),
                    story.neglect or rng.random() < 0.2,
                    rng.choice(("statutory_assessment", "strategy_discussion_s47")),
                )
        while len(rows) < self.sizes.referrals:
            story = rng.choice(self.stories)
            on = max(story.born, self._day_between(story.opened - timedelta(days=60), self._busy_until(story)))
            add(story, on, rng.random() < 0.4)
            if rng.random() < 0.15:  # referred again within the year
                add(story, on + timedelta(days=rng.randrange(20, 360)), rng.random() < 0.6)
        self.referrals = rows
        self._write(
            Referral,
            (
                "id",
                "referred_on",
                "is_neglect",
                "reasons",
                "outcome",
                "outcome_on",
                "case_id",
                "child_id",
                "recorded_by_id",
                "referring_agency_id",
                "created_at",
            ),
            rows,
        )
        self.log(f"referrals: {len(rows)}")

    # --- concerns -----------------------------------------------------------------------------

    def _concerns(self):
        rng = self.rng
        first = self._reserve("cases_concern", self.sizes.concerns)
        weights = list(accumulate(3 if s.plans else 1 for s in self.stories))
        self.concerns = []  # (id, story, day, agency, flags, adolescent)
        for n in range(self.sizes.concerns):
            story = self.stories[bisect(weights, rng.random() * weights[-1])]
            day = self._day_between(story.opened - timedelta(days=90), self._busy_until(story))
            day = max(day, story.born)
            agency = self._recorder(story)
            story.team.add(agency)
            flags = [rng.random() < p for p in (0.35, 0.25, 0.2, 0.3, 0.2, 0.3)]
            if not any(flags):
                flags[rng.randrange(6)] = True
            self.concerns.append((first + n, story, day, agency, flags, self._age(story.born, day) >= 13))
        rows = (
            (
                pk,
                day,
                *flags,
                adolescent,
                "Synthetic concern: " + ", ".join(t for t, f in zip(NEGLECT_TYPES, flags) if f) + " neglect seen at a visit.",
                "The child's needs were not met on the day.",
                "Discussed with the designated lead.",
                "",
                self._at(day),
                agency,
                story.id,
                story.child,
                self.practitioner[agency],
            )
            for pk, story, day, agency, flags, adolescent in self.concerns
        )
        self._write(
            Concern,
            (
                "id",
                "observed_on",
                *(f"neglect_{t}" for t in NEGLECT_TYPES),
                "is_adolescent_concern",
                "description",
                "impact_on_child",
                "action_taken",
                "suggested_threshold",
                "created_at",
                "agency_id",
                "case_id",
                "child_id",
                "recorded_by_id",
            ),
            rows,
        )
        self.log(f"concerns: {self.sizes.concerns}")

    # --- assessment tools ---------------------------------------------------------------------

    def _tool_runs(self):
        """EHAs before many plans; GCP2 and the checklist at the start of neglect plans and every few months."""
        rng = self.rng
        definitions = {d.key: d for d in ToolDefinition.objects.filter(status=DefinitionStatus.PUBLISHED, key__in=("gcp2", "ccdc", "eha"))}
        runs = []  # (key, story, day, agency, final)
        gcp_agencies = (
            self.by_kind[AgencyKind.CHILDRENS_SOCIAL_CARE]
            + self.by_kind[AgencyKind.COMMUNITY_HEALTH]
            + self.by_kind[AgencyKind.EARLY_YEARS]
            + self.by_kind[AgencyKind.VOLUNTARY_SECTOR]
        )
        for story in self.stories:
            for _, kind, category, start, end in story.plans:
                if kind == "early_help" or (kind in ("child_in_need", "child_protection") and rng.random() < 0.35):
                    runs.append(("eha", story, max(story.opened, start - timedelta(days=rng.randrange(1, 40))), story.lead, True))
                if story.neglect and kind in ("child_in_need", "child_protection", "early_help"):
                    day, stop = start + timedelta(days=rng.randrange(7, 60)), end or self.today
                    while day <= stop:
                        key = "gcp2" if rng.random() < 0.7 else "ccdc"
                        agency = rng.choice(gcp_agencies + ([story.school] if story.school else []))
                        runs.append((key, story, day, agency, rng.random() < 0.95 or day < self.today - timedelta(days=60)))
                        day += timedelta(days=rng.randrange(75, 200))
        first = self._reserve("tools_assessmentrun", len(runs))
        cache = {}

        def rows():
            for n, (key, story, day, agency, final) in enumerate(runs):
                definition = definitions.get(key)
                if definition is None:
                    continue
                structure = definition.parsed
                months = (day.year - story.born.year) * 12 + day.month - story.born.month
                band = structure.band_for_age_in_months(months)
                band_id = band.id if band else ""
                answers = self._answers(structure, band_id, cache)
                scores = scores_for_storage(score_run(structure, answers, age_band=band_id)) if final else {}
                assessor = self.practitioner[agency]
                yield (
                    first + n,
                    "final" if final else "draft",
                    day,
                    band_id,
                    "The child and their mother",
                    "Seen alone; said home is 'fine'.",
                    json.dumps(answers),
                    json.dumps(scores),
                    self._at(day, 9),
                    self._at(day, 15),
                    self._at(day, 15) if final else None,
                    agency,
                    assessor,
                    story.id,
                    assessor if final else None,
                    definition.pk,
                )
                story.team.add(agency)

        self._write(
            AssessmentRun,
            (
                "id",
                "status",
                "assessed_on",
                "age_band",
                "people_present",
                "child_voice",
                "answers",
                "scores",
                "started_at",
                "updated_at",
                "finalised_at",
                "agency_id",
                "assessor_id",
                "case_id",
                "finalised_by_id",
                "definition_id",
            ),
            rows(),
        )
        self.log(f"assessment runs: {self.made['tools_assessmentrun']}")

    def _answers(self, structure, band_id, cache):
        """Answers to every applicable item: graded around one level for the family, choices at random, short text."""
        items = cache.get((structure.key, band_id))
        if items is None:
            items = cache[(structure.key, band_id)] = [(area.id, item) for area in structure.areas for item in area.items_for(band_id)]
        level = self.rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
        answers = {}
        for area_id, item in items:
            points = item.scale.points
            if item.scale.kind == "text" or not points:
                value = "Synthetic answer."
            elif item.scale.kind == "points":
                value = points[min(len(points) - 1, max(0, level + self.rng.choice((-1, 0, 0, 1))))].value
            else:
                value = self.rng.choice(points).value
            answers.setdefault(area_id, {})[item.id] = {"value": value, "evidence": "Seen at the home visit."}
        return answers

    # --- conferences --------------------------------------------------------------------------

    def _conferences(self):
        """An initial conference for each child protection plan, then reviews, up to the target."""
        rng, target = self.rng, self.sizes.conferences
        initial, reviews = [], []
        for story in self.stories:
            for plan in story.plans:
                _, kind, category, start, end = plan
                if kind != "child_protection":
                    continue
                initial.append((story, plan, "initial_cp", start))
                day = start + timedelta(days=90)
                while day <= (end or self.today):
                    reviews.append((story, plan, "review_cp", day))
                    day += timedelta(days=182)
                if end is not None:
                    reviews.append((story, plan, "review_cp", end))
        chosen = initial[:target] + rng.sample(reviews, min(len(reviews), max(0, target - len(initial))))
        first = self._reserve("cases_conference", len(chosen))
        conferences, links, invitations = [], [], []
        chair = self.manager[self.csc]
        for n, (story, plan, kind, held) in enumerate(chosen):
            pk = first + n
            _, _, category, start, end = plan
            strategy = held - timedelta(days=rng.randrange(5, 20)) if kind == "initial_cp" else None
            report_due = held - timedelta(days=3)
            conferences.append(
                (
                    pk,
                    kind,
                    held,
                    time(rng.choice((9, 10, 13, 14))),
                    rng.choice(("in_person", "virtual", "hybrid", "hybrid")),
                    strategy,
                    report_due,
                    strategy + timedelta(days=21) if strategy else None,
                    self._at(held, 16),
                    self._at(held - timedelta(days=14)),
                    chair,
                    self.csc,
                    chair,
                )
            )
            decision = "plan_started" if kind == "initial_cp" else ("plan_ended" if held == end else "plan_continued")
            links.append((decision, category if decision != "plan_ended" else "", "Synthetic decision.", self._at(held, 16), story.id, pk, chair))
            invited = {self.csc: True}
            if story.school:
                invited[story.school] = True
            invited[rng.choice(self.by_kind[AgencyKind.COMMUNITY_HEALTH])] = True
            invited[rng.choice(self.by_kind[AgencyKind.POLICE])] = True
            invited[rng.choice(self.by_kind[AgencyKind.GP_ICB])] = False
            for optional in (AgencyKind.HOUSING, AgencyKind.PROBATION, AgencyKind.EARLY_YEARS):
                if rng.random() < 0.3:
                    invited[rng.choice(self.by_kind[optional])] = False
            for agency, key in invited.items():
                attendance = rng.choices(ATTENDANCE_VALUES, ATTENDANCE.get(self.kind_of[agency], (40, 40, 10, 5, 5)))[0]
                received = None if rng.random() < 0.2 else report_due + timedelta(days=rng.randrange(-8, 4))
                absent = attendance not in ("in_person", "virtual")
                invitations.append(
                    (
                        key,
                        "",
                        "",
                        True,
                        received if received is None or received <= self.today else None,
                        attendance,
                        "The agency's knowledge of the family was not heard." if key and absent else "",
                        agency,
                        pk,
                        None,
                    )
                )
                story.team.add(agency)
        self._write(
            Conference,
            (
                "id",
                "kind",
                "held_on",
                "start_time",
                "format",
                "strategy_discussion_on",
                "report_due_on",
                "initial_due_on",
                "attendance_recorded_at",
                "created_at",
                "chair_id",
                "chair_agency_id",
                "scheduled_by_id",
            ),
            conferences,
        )
        self._write(ConferenceChild, ("decision", "cp_category", "decision_notes", "decided_at", "case_id", "conference_id", "decided_by_id"), links)
        self._write(
            Invitation,
            (
                "is_key_agency",
                "invitee_name",
                "invitee_email",
                "report_requested",
                "report_received_on",
                "attendance",
                "absence_impact",
                "agency_id",
                "conference_id",
                "invitee_id",
            ),
            invitations,
        )
        now = self._at(self.today)
        self._write(
            TeamMembership,
            ("since", "reason", "agency_id", "case_id"),
            ((now, "Generated county", agency, story.id) for story in self.stories for agency in sorted(story.team)),
        )
        self.log(f"conferences: {len(conferences)}, invitations: {len(invitations)}")

    # --- chronology ---------------------------------------------------------------------------

    def _chronology(self):
        """Entries made from concerns, referrals and plans, a school attendance figure each term, and typed entries to the target."""
        rng, target = self.rng, self.sizes.chronology
        now = self._at(self.today)
        columns = (
            "occurred_on",
            "kind",
            "summary",
            "impact_on_child",
            "action_taken",
            "significance",
            *(f"neglect_{t}" for t in NEGLECT_TYPES),
            "attendance_percentage",
            "restricted",
            "source_type",
            "source_id",
            "external_id",
            "amendment_reason",
            "created_at",
            "original_id",
            "supersedes_id",
            "author_id",
            "child_id",
            "agency_id",
            "date_precision",
        )
        count = 0

        def entry(day, kind, summary, agency, child, *, significance="routine", flags=(False,) * 6, attendance=None, source=("", None), restricted=False):
            return (
                day,
                kind,
                summary,
                "Recorded for the child's chronology.",
                "",
                significance,
                *flags,
                attendance,
                restricted,
                source[0],
                source[1],
                "",
                "",
                now,
                None,
                None,
                self.practitioner[agency],
                child,
                agency,
                "day",
            )

        def automatic():
            for pk, story, day, agency, flags, _ in self.concerns:
                yield entry(day, "concern", "Concern recorded", agency, story.child, significance="significant", flags=tuple(flags), source=("concern", pk))
            for pk, on, neglect, reasons, *_rest in self.referrals:
                story_child, agency = _rest[3], _rest[5]
                yield entry(on, "referral", reasons, agency, story_child, significance="significant", source=("referral", pk))
            for story in self.stories:
                for pk, kind, category, start, end in story.plans:
                    yield entry(
                        start, "plan_started", f"{kind.replace('_', ' ').capitalize()} plan started", story.lead, story.child, source=("plan_started", pk)
                    )
                    if end is not None:
                        yield entry(end, "plan_ended", f"{kind.replace('_', ' ').capitalize()} plan ended", story.lead, story.child, source=("plan_ended", pk))

        def attendance():
            """Each term for a school-age child with a case: lower and falling for neglected children."""
            seen = set()
            for story in self.stories:
                if story.child in seen or story.school is None:
                    continue
                seen.add(story.child)
                level = rng.uniform(78, 94) if story.neglect and story.plans else rng.uniform(88, 99)
                day = max(self.start, story.born + relativedelta(years=5))
                while day <= self.today:
                    level = min(100.0, max(40.0, level + rng.uniform(-4, 3.5)))
                    yield entry(
                        day,
                        "school_attendance",
                        "Attendance this term",
                        story.school,
                        story.child,
                        attendance=round(level, 1),
                        significance="significant" if level < 90 else "routine",
                    )
                    day += timedelta(days=rng.randrange(85, 100))

        def typed(remaining):
            weights = list(accumulate(w for _, w, _ in ENTRY_KINDS))
            span = list(accumulate((self._busy_until(s) - s.opened).days + 120 for s in self.stories))
            for _ in range(remaining):
                story = self.stories[bisect(span, rng.random() * span[-1])]
                kind, _, kinds = ENTRY_KINDS[bisect(weights, rng.random() * weights[-1])]
                agencies = [
                    a
                    for k in kinds
                    for a in ([story.school] if k == AgencyKind.SCHOOL and story.school else self.by_kind.get(k, []) if k != AgencyKind.SCHOOL else [])
                ]
                agency = rng.choice(agencies) if agencies else self.csc
                day = max(story.born, self._day_between(story.opened - timedelta(days=120), self._busy_until(story)))
                flagged = rng.random() < 0.15
                flags = tuple(rng.random() < 0.3 for _ in range(6)) if flagged else (False,) * 6
                yield entry(
                    day,
                    kind,
                    f"{kind.replace('_', ' ').capitalize()}",
                    agency,
                    story.child,
                    significance=rng.choices(("routine", "significant", "critical"), (80, 17, 3))[0],
                    flags=flags,
                    restricted=kind == "police_call_out" and rng.random() < 0.3,
                )

        count += self._write(ChronologyEntry, columns, automatic())
        count += self._write(ChronologyEntry, columns, attendance())
        self._write(ChronologyEntry, columns, typed(max(0, target - count)))
        self.log(f"chronology entries: {self.made['chronologies_chronologyentry']}")
