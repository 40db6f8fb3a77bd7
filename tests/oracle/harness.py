"""Drive the product through its public commands and compare with the oracle, field by field.

The CSV imports of CONTRACTS.md (``import_*``, ``import_decisions`` included) carry almost
everything; what only the admin records (the règlement's settings, a BIP, a fraud case, the
director's repeat authorisation) is written with the ORM and told to the oracle alike. Every fact
of the JSON export is compared; alerts by their rule ids *and counts* (a missing alert and an
unexpected one both fail), motifs by their format only (``<rule id>: ...``).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from . import reglement
from .cohorts import HEADERS, KINDS, OPTIONAL

MAQUETTE = reglement.Maquette()


@dataclass
class Diff:
    student: str
    jury: str
    field: str
    product: object
    oracle: object

    def __str__(self) -> str:
        return f"{self.student} | {self.jury} | {self.field} | product={self.product!r} | oracle={self.oracle!r}"


def write_csv(path: Path, kind: str, rows: list[dict]) -> None:
    # an optional column is written only when a row uses it (a file without it stays the old shape)
    headers = [h for h in HEADERS[kind] if h not in OPTIONAL.get(kind, ()) or any(r.get(h) for r in rows)]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=headers, delimiter=";", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in headers})
    path.write_text(buf.getvalue(), encoding="utf-8")


def _ids(strings) -> Counter:
    out: Counter = Counter()
    for s in strings or []:
        m = reglement.RULE_PREFIX.match(s)
        out[m.group(1) if m else "?"] += 1
    return out


def compare(product: dict, expected: dict, tag: str = "") -> list[Diff]:
    jury = f"{expected['annee']} S{expected['semestre']}{tag}"
    diffs: list[Diff] = []
    for key in ("annee", "semestre", "etat"):
        if product.get(key) != expected[key]:
            diffs.append(Diff("*", jury, key, product.get(key), expected[key]))
    prod = {e["numero"]: e for e in product.get("etudiants", [])}
    exp = {e["numero"]: e for e in expected["etudiants"]}
    order = [e["numero"] for e in product.get("etudiants", [])]
    if order != sorted(order):
        diffs.append(Diff("*", jury, "etudiants order", order, sorted(order)))
    for n in sorted(set(prod) | set(exp)):
        if n not in prod or n not in exp:
            diffs.append(Diff(n, jury, "student listed", n in prod, n in exp))
            continue
        p, o = prod[n], exp[n]
        p_ues = [u["ue"] for u in p["ues"]]
        o_ues = [u["ue"] for u in o["ues"]]
        if p_ues != o_ues:
            diffs.append(Diff(n, jury, "ues (list, order)", p_ues, o_ues))
        pu = {u["ue"]: u for u in p["ues"]}
        for ou in o["ues"]:
            if ou["ue"] not in pu:
                continue
            for f in ("moyenne", "code", "ects"):
                if pu[ou["ue"]].get(f) != ou[f]:
                    diffs.append(Diff(n, jury, f"{ou['ue']}.{f}", pu[ou["ue"]].get(f), ou[f]))
        pr = {r["competence"]: r for r in p["rcues"]}
        orc = {r["competence"]: r for r in o["rcues"]}
        if sorted(pr) != sorted(orc) or [r["competence"] for r in p["rcues"]] != sorted(pr):
            diffs.append(Diff(n, jury, "rcues (list, order)", [r["competence"] for r in p["rcues"]], sorted(orc)))
        for c, r in orc.items():
            if c not in pr:
                continue
            for f in ("niveau", "moyenne", "code"):
                if pr[c].get(f) != r[f]:
                    diffs.append(Diff(n, jury, f"RCUE C{c}.{f}", pr[c].get(f), r[f]))
        for f in ("nom", "prenom", "etat", "decision_annee", "passage", "ects_acquis", "dut", "but"):
            if p.get(f) != o[f]:
                diffs.append(Diff(n, jury, f, p.get(f), o[f]))
        for f in ("justifiees", "injustifiees"):
            if p.get("absences", {}).get(f) != o["absences"][f]:
                diffs.append(Diff(n, jury, f"absences.{f}", p.get("absences", {}).get(f), o["absences"][f]))
        for f in ("motifs", "alertes"):
            for s in p.get(f) or []:
                m = reglement.RULE_PREFIX.match(s)
                if not m or m.group(1) not in reglement.RULE_IDS:
                    diffs.append(Diff(n, jury, f"{f} format (rule id + ':')", s, "<ID>: ..."))
        # the alerts are what the jury must look at: one missing, or one too many, is a fault;
        # the wording is free, the rule ids and their counts are not
        got, want = _ids(p.get("alertes")), Counter(o["_alert_ids"])
        if got != want:
            diffs.append(Diff(n, jury, "alert ids", dict(sorted(got.items())), dict(sorted(want.items()))))
    return diffs


def format_diffs(diffs: list[Diff], limit: int = 80) -> str:
    lines = [f"{len(diffs)} mismatch(es) product vs oracle (student | jury | field | product | oracle):"]
    lines += [f"  {d}" for d in diffs[:limit]]
    if len(diffs) > limit:
        lines.append(f"  ... {len(diffs) - limit} more")
    return "\n".join(lines)


class Harness:
    """Same rows to the product (CSV + import commands) and to the oracle (World.apply)."""

    def __init__(self, tmp_path: Path, *, tolerate_known_v3: bool = False):
        """tolerate_known_v3: a student whose every mismatch disappears when the oracle emulates
        28-digit Decimal averages is the known V3 bug (xfail case in test_differential): counted in
        `known`, not failed. Only the random cohorts use it; every hand-made case stays strict."""
        self.tolerate_known_v3 = tolerate_known_v3
        self.known: list[Diff] = []
        self.tmp = Path(tmp_path)
        self.world = reglement.World(MAQUETTE)
        self.n = 0
        self.diffs: list[Diff] = []
        self.juries = 0
        self.last: dict[tuple[str, int], tuple[dict, dict]] = {}

    def load(self, kind: str, rows: list[dict]) -> None:
        if not rows:
            return
        self.n += 1
        path = self.tmp / f"{self.n:03d}_{kind}.csv"
        write_csv(path, kind, rows)
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(f"import_{kind}", str(path), stdout=out, stderr=err)
        except CommandError as exc:
            pytest.fail(f"import_{kind} (CONTRACTS.md) could not run: {exc}", pytrace=False)
        except SystemExit as exc:
            if exc.code:
                pytest.fail(f"import_{kind} {path} refused the generated rows:\n{err.getvalue()[:3000]}")
        self.world.apply(kind, rows)

    def load_all(self, bundle: dict[str, list[dict]]) -> None:
        for kind in KINDS:
            self.load(kind, bundle.get(kind, []))

    # -- what only the admin records: written with the ORM, told to the oracle
    def settings(self, **fields) -> None:
        """ReglementSettings of the formation (REGLEMENT.md's [interp] settings)."""
        from juries.models import Formation, ReglementSettings

        formation = Formation.objects.get(code="BUT-QLIO")
        row, _ = ReglementSettings.objects.get_or_create(formation=formation)
        for k, v in fields.items():
            setattr(row, k, v)
        row.save()
        self.world.set_settings(**fields)

    @staticmethod
    def _enrolment(numero: str, annee: str, sem: int):
        from juries.models import Enrolment

        return Enrolment.objects.get(student__numero=numero, annee=annee, semester__number=sem)

    def bip(self, numero: str, annee: str, sem: int, grade, ue: str | None = None) -> None:
        """M3: a BIP recorded on that enrolment, with its grade and (nullable) UE."""
        from juries.models import UE, BipParticipation

        fields = {"enrolment": self._enrolment(numero, annee, sem), "title": "BIP Supply Chain Tampere",
                  "grade": None if grade is None else str(grade)}
        if ue:
            c, s = reglement.parse_ue(ue)
            fields["ue"] = UE.objects.get(competence__number=c, semester__number=s)
        BipParticipation.objects.create(**fields)
        self.world.add_bip(numero, annee, sem, grade, ue)

    def fraud(self, numero: str, day: date, *, closed=False, sanction="", start=None, end=None, sursis=False) -> None:
        from juries.models import FraudCase, Student

        FraudCase.objects.create(student=Student.objects.get(numero=numero), date=day, facts="Antisèche en DS",
                                 sanction=sanction, sanction_start=start, sanction_end=end, sursis=sursis,
                                 closed=closed)
        self.world.add_fraud(numero, reglement.Fraud(day, closed, sanction, start, end, sursis))

    def authorisation(self, numero: str, annee: str, day: date) -> None:
        """R2: the director's authorisation of one more repeat, in the academic year `annee`."""
        from juries.models import RepeatAuthorisation, Student

        fields = {"student": Student.objects.get(numero=numero), "date": day, "reason": "force majeure : maladie"}
        if any(f.name == "annee" for f in RepeatAuthorisation._meta.get_fields()):
            fields["annee"] = annee
        RepeatAuthorisation.objects.create(**fields)
        self.world.add_authorisation(numero, annee)

    def jury(self, annee: str, sem: int, date_jury: date | None = None, tag: str = "") -> tuple[dict, dict]:
        self.juries += 1
        path = self.tmp / f"jury_{self.juries:03d}_{annee}_S{sem}.json"
        kwargs = {"annee": annee, "semestre": sem, "format": "json", "output": str(path)}
        if date_jury:
            kwargs["date_jury"] = date_jury.isoformat()
        call_command("jury_proposals", stdout=io.StringIO(), stderr=io.StringIO(), **kwargs)
        product = json.loads(path.read_text(encoding="utf-8"))
        expected = reglement.jury(self.world, annee, sem, date_jury)
        diffs = compare(product, expected, tag)
        if diffs and self.tolerate_known_v3:
            emulated = reglement.jury(self.world, annee, sem, date_jury, decimal_digits=28)
            still = {d.student for d in compare(product, emulated, tag)}
            self.known += [d for d in diffs if d.student not in still and d.student != "*"]
            diffs = [d for d in diffs if d.student in still or d.student == "*"]
        self.diffs.extend(diffs)
        self.last[(annee, sem)] = (product, expected)
        return product, expected

    def student(self, numero: str, annee: str, sem: int) -> tuple[dict, dict]:
        product, expected = self.last[(annee, sem)]
        p = next(e for e in product["etudiants"] if e["numero"] == numero)
        o = next(e for e in expected["etudiants"] if e["numero"] == numero)
        return p, o

    def assert_no_diff(self) -> None:
        if self.diffs:
            pytest.fail(format_diffs(self.diffs), pytrace=False)
