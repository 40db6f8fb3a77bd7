"""Locust scenario of bench/load.py: 1 jury member for 4 students (docs/benchmarks.md "load").

Every response is checked for its content (a redirect to the login page is a failure, not a fast
success). The measured window starts when the last user has logged in — not when the last one was
spawned, as locust's --reset-stats does: a login costs ~0.5 s of PBKDF2 and a late one would count
as a slow page — and lasts BENCH_MEASURE_SECONDS; at its start the statistics are reset and the
relevé PDF cache is emptied, so the first (uncached) downloads fall inside the window. Login
failures, made before the reset, are counted apart and printed (a line `BENCH-LOGINS`).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from itertools import count

import gevent
from locust import HttpUser, between, events, task

JURY_PK = os.environ["BENCH_JURY_PK"]
NUMEROS = os.environ["BENCH_JURY_NUMEROS"].split(",")
STUDENT_SEMESTER = os.environ["BENCH_STUDENT_SEMESTER"]  # "2026-2027/S1"
MEASURE_SECONDS = int(os.environ.get("BENCH_MEASURE_SECONDS", "60"))
# More users than accounts (300 users, 150 students enrolled in S1): an account is then signed in
# from several clients at once, as a student with a phone and a laptop.
JURY_ACCOUNTS = int(os.environ.get("BENCH_JURY_ACCOUNTS", "10"))
STUDENT_ACCOUNTS = int(os.environ.get("BENCH_STUDENT_ACCOUNTS", "40"))
_jury_ids = count(1)
_student_ids = count(1)
_logins = {"ok": 0, "failed": 0}
_environment: dict = {}
_started = time.monotonic()


def _measure(environment, user_count: int) -> None:
    while _logins["ok"] + _logins["failed"] < user_count:
        gevent.sleep(0.1)
    ramp = time.monotonic() - _started
    cache_dir = os.environ.get("QLIO_CACHE_DIR")
    if cache_dir:
        shutil.rmtree(cache_dir, ignore_errors=True)
    environment.runner.stats.reset_all()
    print(f"BENCH-LOGINS ok={_logins['ok']} failed={_logins['failed']} seconds={ramp:.0f}", flush=True)
    gevent.sleep(MEASURE_SECONDS)
    environment.runner.quit()


@events.spawning_complete.add_listener
def _start_measuring(user_count: int, **_kwargs) -> None:
    gevent.spawn(_measure, _environment["env"], user_count)


@events.init.add_listener
def _keep_environment(environment, **_kwargs) -> None:
    _environment["env"] = environment


def check(response, *, marker: str) -> None:
    """Inside ``catch_response=True``: a 200 on the page asked for, showing ``marker``."""
    if response.status_code != 200:
        response.failure(f"statut {response.status_code}")
    elif "/connexion/" in response.url:
        response.failure("renvoyé vers la connexion")
    elif marker not in response.text:
        response.failure(f"« {marker} » absent de la page")
    else:
        response.success()


def login(client, username: str, password: str) -> None:
    with client.get("/connexion/", name="connexion", catch_response=True) as page:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if page.status_code != 200 or found is None:
            page.failure(f"pas de jeton CSRF sur /connexion/ (statut {page.status_code})")
            _logins["failed"] += 1
            return
        page.success()
    token = found.group(1)
    with client.post("/connexion/", {"username": username, "password": password, "csrfmiddlewaretoken": token},
                     headers={"Referer": client.base_url + "/connexion/"}, name="connexion (POST)",
                     catch_response=True) as response:
        if "sessionid" not in client.cookies or "/connexion/" in response.url:
            response.failure(f"connexion refusée pour {username}")
            _logins["failed"] += 1
        else:
            response.success()
            _logins["ok"] += 1


class JuryMember(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        login(self.client, f"jury{(next(_jury_ids) - 1) % JURY_ACCOUNTS + 1}", "bench-load-password-2026")
        self.i = 0

    @task(2)
    def table(self):
        with self.client.get(f"/jurys/{JURY_PK}/", name="tableau du jury", catch_response=True) as response:
            check(response, marker=NUMEROS[0])

    @task(3)
    def student(self):
        self.i += 1
        numero = NUMEROS[self.i % len(NUMEROS)]
        with self.client.get(f"/jurys/{JURY_PK}/etudiants/{numero}/", name="fiche étudiant (jury)",
                             catch_response=True) as response:
            check(response, marker=numero)


class Student(HttpUser):
    weight = 40
    wait_time = between(1, 3)

    def on_start(self):
        login(self.client, f"etu{(next(_student_ids) - 1) % STUDENT_ACCOUNTS + 1}", "bench-load-password-2026")

    @task(1)
    def portal(self):
        with self.client.get("/mes-releves/", name="portail étudiant", catch_response=True) as response:
            check(response, marker=f"/mes-releves/{STUDENT_SEMESTER}/releve.pdf")

    @task(2)
    def releve(self):
        with self.client.get(f"/mes-releves/{STUDENT_SEMESTER}/releve.pdf", name="relevé PDF",
                             catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"pas un PDF (statut {response.status_code})")
            else:
                response.success()
