"""Locust scenario of bench/load.py: 10 jury members and 40 students (docs/BENCHMARKS.md "load")."""

from __future__ import annotations

import os
import re
from itertools import count

from locust import HttpUser, between, task

JURY_PK = os.environ["BENCH_JURY_PK"]
NUMEROS = os.environ["BENCH_JURY_NUMEROS"].split(",")
STUDENT_SEMESTER = os.environ["BENCH_STUDENT_SEMESTER"]  # "2026-2027/S1"
_jury_ids = count(1)
_student_ids = count(1)


def login(client, username: str, password: str) -> None:
    page = client.get("/connexion/", name="connexion")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if found is None:
        raise RuntimeError("pas de jeton CSRF sur /connexion/")
    token = found.group(1)
    response = client.post("/connexion/", {"username": username, "password": password,
                                           "csrfmiddlewaretoken": token},
                           headers={"Referer": client.base_url + "/connexion/"}, name="connexion (POST)")
    if "sessionid" not in client.cookies:
        response.failure(f"connexion refusée pour {username}")


class JuryMember(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        login(self.client, f"jury{next(_jury_ids)}", "bench-load-password-2026")
        self.i = 0

    @task(2)
    def table(self):
        self.client.get(f"/jurys/{JURY_PK}/", name="tableau du jury")

    @task(3)
    def student(self):
        self.i += 1
        numero = NUMEROS[self.i % len(NUMEROS)]
        self.client.get(f"/jurys/{JURY_PK}/etudiants/{numero}/", name="fiche étudiant (jury)")


class Student(HttpUser):
    weight = 40
    wait_time = between(1, 3)

    def on_start(self):
        login(self.client, f"etu{next(_student_ids)}", "bench-load-password-2026")

    @task(1)
    def portal(self):
        self.client.get("/mes-releves/", name="portail étudiant")

    @task(2)
    def releve(self):
        with self.client.get(f"/mes-releves/{STUDENT_SEMESTER}/releve.pdf", name="relevé PDF",
                             catch_response=True) as response:
            if not response.content.startswith(b"%PDF"):
                response.failure("pas un PDF")
