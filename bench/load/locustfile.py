"""The load test's users (Locust), run by bench/load.sh against a local gunicorn on the county database.

Practitioners of several agencies read case pages and chronologies and record concerns; managers
read the drift queue and their cases to oversee; the strategy group reads the dashboard and
downloads its PDF. Each simulated user takes over one of the signed-in sessions bench/load/setup.py
prepared (LOAD_FIXTURES) and reads only cases that user may see, so every answer should be a 200
(or the 302 after a concern is recorded): anything else counts as an error. Requests are named by
page, so the figures come out per page.
"""

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")).read())  # noqa: SIM115
_turns = {role: itertools.count() for role in ("practitioner", "manager", "strategy")}
FIRST_PAGE_WITHIN_S = 10  # the mean of wait_time below
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignedIn(HttpUser):
    abstract = True
    role = ""
    # A person reads a page before opening the next: 5 to 15 seconds (about 5 pages a minute each). With 50
    # users that is about 5 requests a second on the server, with 200 about 20: what 2 cores are asked to serve.
    wait_time = between(5, 15)

    def on_start(self):
        people = FIXTURES[self.role]
        self.me = people[next(_turns[self.role]) % len(people)]
        self.client.cookies.set("sessionid", self.me["session"])
        # Fifty people at work do not all open a page in the same five seconds: each user's first page, like every
        # later one, comes after some reading time (up to a mean think time), so requests arrive at the rate of
        # fifty readers from the start, not as one burst of fifty while the users spawn.
        time.sleep(random.uniform(0, FIRST_PAGE_WITHIN_S))

    def page(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
            return response

    def case(self):
        return random.choice(self.me["cases"])


class Practitioner(SignedIn):
    role = "practitioner"
    weight = 6

    @task(5)
    def case_page(self):
        self.page(f"/cases/{self.case()}/", "case page")

    @task(3)
    def chronology(self):
        child = random.choice(self.me["children"])
        self.page(f"/chronologies/child/{child}/", "chronology")

    @task(1)
    def record_concern(self):
        case_id = self.case()
        form = self.page(f"/cases/{case_id}/concerns/new/", "concern form")
        token = CSRF.search(form.text or "")
        if not token:
            return
        data = {**FIXTURES["concern"], "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(f"/cases/{case_id}/concerns/new/", data=data, name="record a concern", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: the concern was not recorded")


class Manager(SignedIn):
    role = "manager"
    weight = 2

    @task(3)
    def drift_queue(self):
        query = random.choice(["", "?page=2", "?rule=no_oversight", "?rule=child_not_seen&page=2", "?locality=north"])
        self.page(f"/drift/queue/{query}", "drift queue")

    @task(2)
    def cases_to_oversee(self):
        self.page(f"/cases/manage/?page={random.randint(1, 3)}", "cases to oversee")

    @task(1)
    def case_page(self):
        self.page(f"/cases/{self.case()}/", "case page")


class Strategy(SignedIn):
    role = "strategy"
    weight = 1

    @task(1)
    def dashboard(self):
        self.page(f"/dashboard/{FIXTURES['quarter']}/", "dashboard quarter")

    @task(2)
    def dashboard_pdf(self):
        self.page(f"/dashboard/{FIXTURES['quarter']}/pdf/", "dashboard PDF")
