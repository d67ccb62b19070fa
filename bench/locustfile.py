"""The mixed scenario of `make load`: 80 % lead reads, 15 % dashboards, 5 % writes.

Each simulated user logs in through the login form (real session, CSRF) as a project lead or
as the cabinet, then picks tasks by weight. Accounts and project ids come from the JSON file
named by BENCH_LOAD_ACCOUNTS, written by `bench.load` before the run.
"""

import datetime
import json
import os
import random
import re

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["BENCH_LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.lead = random.choice(ACCOUNTS["leads"])
        page = self.client.get("/connexion/", name="connexion (formulaire)")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/connexion/",
            {"username": self.lead["email"], "password": ACCOUNTS["password"], "csrfmiddlewaretoken": token},
            name="connexion",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"connexion refusée pour {self.lead['email']} ({response.status_code})")

    # 80 % — a lead reads the portfolio and the partners.
    @task(30)
    def project_list(self):
        sort = random.choice(["-cout", "code", "phase", "depuis"])
        self.client.get(f"/projets/?phase=instruction&phase=realisation&sort={sort}", name="/projets/")

    @task(25)
    def project_page(self):
        pk = random.choice(ACCOUNTS["projects"])
        self.client.get(f"/projets/{pk}/", name="/projets/<pk>/")

    @task(15)
    def partner_list(self):
        self.client.get(f"/partenaires/?page={random.randint(1, 5)}", name="/partenaires/")

    @task(10)
    def autocomplete(self):
        query = random.choice(["mais", "ateliers", "groupe cuir", "energie", "vercors"])
        self.client.get(f"/partenaires/autocompletion/?q={query}", name="/partenaires/autocompletion/")

    # 15 % — dashboards.
    @task(10)
    def dashboard(self):
        self.client.get(f"/tableau-de-bord/?periode={ACCOUNTS['period']}", name="/tableau-de-bord/")

    @task(5)
    def indicator(self):
        code = random.choice(["PROC-FILE-ACTIVE", "FIN-LEVIER", "USA-PARTENAIRES"])
        self.client.get(
            f"/tableau-de-bord/indicateurs/{code}/?periode={ACCOUNTS['period']}", name="/tableau-de-bord/indicateurs/"
        )

    # 5 % — a lead writes a progress note on one of their projects.
    @task(5)
    def add_note(self):
        pk = random.choice(self.lead["projects"])
        page = self.client.get(f"/projets/{pk}/points/", name="/projets/<pk>/points/")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            f"/projets/{pk}/points/ajouter/",
            {
                "date": datetime.date.today().isoformat(),
                "weather": random.choice(["soleil", "nuage", "orage"]),
                "text": "Point d'étape (charge).",
                "version": "",
                "csrfmiddlewaretoken": token,
            },
            name="/projets/<pk>/points/ajouter/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"point refusé ({response.status_code})")
