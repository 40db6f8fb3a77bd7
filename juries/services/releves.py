"""Relevés de notes: what one relevé shows, its official issue (verification code, digest) and the
batch of a whole jury (one PDF per student in a ZIP, plus one merged PDF for printing).

The facts come from the engine's proposal (or the jury's decisions once deliberated): this module
formats them, it never re-derives a code. The same facts dictionary feeds the PDF template and the
SHA-256 digest stored with an official relevé, so the digest covers exactly what is printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from juries.models import Enrolment, JurySession, Releve, Student
from juries.rules.codes import Code
from juries.rules.results import EnseignementResult, StudentProposal, UEResult, format_ects, format_moyenne
from juries.selectors.jury import JuryInputs

from .proposals import jury_proposals

# Unambiguous alphabet: no 0/O, 1/I/L, so a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "QLIO"
_CODE_RE = re.compile(rf"^{CODE_PREFIX}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")

_KIND_LABELS = {"ressource": "Ressource", "sae": "SAÉ", "stage": "Stage", "portfolio": "Portfolio"}
_KIND_ORDER = {"ressource": 0, "sae": 1, "portfolio": 2, "stage": 3}
_SHOWN_MOTIFS = frozenset({"M1", "M3"})
_STATUS_LABELS = {
    "missing": "note manquante",
    "neutralised": "neutralisé (ABJ)",
    "no_evaluation": "pas encore évalué",
    "kept": "note conservée",
}


class ReleveError(Exception):
    """A relevé that cannot be produced, with a French message."""


# --------------------------------------------------------------------------- codes


def new_code() -> str:
    """A verification code like ``QLIO-7K3M-9XQ2`` (8 symbols of 31: about 8.5 × 10¹¹ codes)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{body[:4]}-{body[4:]}"


def normalise_code(text: str) -> str | None:
    """What a person typed (any case, spaces, dashes or none, with or without the prefix) as a
    canonical code, or None when it cannot be one."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if raw.startswith(CODE_PREFIX):
        raw = raw[len(CODE_PREFIX):]
    if len(raw) != 8:
        return None
    code = f"{CODE_PREFIX}-{raw[:4]}-{raw[4:]}"
    return code if _CODE_RE.match(code) else None


# --------------------------------------------------------------------------- formatting


def _fr_number(text: str | None) -> str | None:
    return None if text is None else text.replace(".", ",")


def fr_moyenne(value: Decimal | None) -> str | None:
    """V3: two decimals, half-up, with the French decimal comma ("12,50")."""
    return _fr_number(format_moyenne(value))


def fr_decimal(value: Decimal) -> str:
    """A coefficient or an ECTS count without useless zeros ("0,5", "10")."""
    return _fr_number(str(format_ects(Decimal(value))))


def ascii_fold(text: str) -> str:
    """``Lefèvre d'Ornano`` → ``Lefevre-d-Ornano``: ASCII letters, digits and dashes only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-") or "etudiant"


def releve_filename(*, numero: str, nom: str, semester: int, annee: str) -> str:
    """``22000001_Martin_S2_2026-2027.pdf``: safe on every file system."""
    return f"{ascii_fold(numero)}_{ascii_fold(nom)}_S{semester}_{ascii_fold(annee)}.pdf"


def _date(value: date | None) -> str | None:
    """French display date (19/09/2026)."""
    return None if value is None else value.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class ReleveDoc:
    """One relevé ready to render: its facts (also what the digest covers) and its official status."""

    enrolment_id: int
    numero: str
    nom: str
    semester: int
    annee: str
    facts: dict
    digest: str
    official: bool
    code: str | None = None
    issued_at: datetime | None = None

    @property
    def filename(self) -> str:
        return releve_filename(numero=self.numero, nom=self.nom, semester=self.semester, annee=self.annee)


def facts_digest(facts: dict) -> str:
    """SHA-256 of the facts, canonical JSON (sorted keys, no spaces)."""
    data = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _missed(ens: EnseignementResult) -> list[dict]:
    """A6/A7/A8: the evaluations missed, marked ABI or ABJ (an ABS shows how the register resolved it)."""
    resolved = dict(ens.resolved)
    out = []
    for ev in ens.evaluations:
        if ev.value is not None or not ev.mark:
            continue
        mark = resolved.get(ev.label, ev.mark) if ev.mark == "ABS" else ev.mark
        out.append({"evaluation": ev.label, "date": _date(ev.date), "mark": mark})
    return out


def _enseignement_facts(ens: EnseignementResult, coefficient: Decimal, names: dict, kinds: dict) -> dict:
    kind = kinds.get(ens.code, "")
    return {
        "code": ens.code.replace("SAE", "SAÉ", 1) if ens.code.startswith("SAE") else ens.code,
        "name": names.get(ens.code, ""),
        "kind": _KIND_LABELS.get(kind, kind),
        "moyenne": fr_moyenne(ens.moyenne),
        "status": _STATUS_LABELS.get(ens.status, ""),
        "coefficient": fr_decimal(coefficient),
        "missed": _missed(ens),
    }


def _ue_facts(ue: UEResult, *, detailed: bool, competences: dict, ue_ects: dict,
              by_ue: dict[str, list[tuple[EnseignementResult, Decimal]]], names: dict, kinds: dict) -> dict:
    code = Code(ue.code)
    rows = []
    if detailed:
        pairs = sorted(by_ue.get(ue.ue, ()), key=lambda p: (_KIND_ORDER.get(kinds.get(p[0].code), 9), p[0].code))
        rows = [_enseignement_facts(ens, coef, names, kinds) for ens, coef in pairs]
    return {
        "ue": ue.ue,
        "competence": competences.get(ue.competence, ""),
        "level": ue.level,
        "semester": ue.semester,
        "annee": ue.annee,
        "moyenne": fr_moyenne(ue.moyenne),
        "code": str(code),
        "label": code.label,
        "ects": fr_decimal(ue.ects),
        "ects_max": fr_decimal(ue_ects.get(ue.ue, Decimal(0))),
        "mobility": ue.mobility,
        # M1 (semester abroad, with the host institution) and M3 (BIP) are part of the UE's result.
        "notes": [m.text for m in ue.motifs if m.rule_id in _SHOWN_MOTIFS],
        "enseignements": rows,
    }


def build_facts(*, proposal: StudentProposal, enrolment: Enrolment, inputs: JuryInputs,
                jury: JurySession | None, president: str) -> dict:
    """Everything one relevé prints, as JSON-able values (strings already formatted for French)."""
    maquette = inputs.maquette
    competences = {c.number: c.name for c in maquette.competences}
    ue_ects = {u.key: u.ects for u in maquette.ues}
    names = {e.code: e.name for e in maquette.enseignements}
    kinds = {e.code: e.kind for e in maquette.enseignements}
    semester = proposal.semester
    by_ue: dict[str, list[tuple[EnseignementResult, Decimal]]] = {}
    for ens in proposal.enseignements:
        if ens.semester != semester or ens.status == "not_counted":
            continue
        for key, coef in ens.coefficients:
            by_ue.setdefault(key, []).append((ens, coef))

    # The relevé's semester in detail; the other UEs this jury settles (the odd semester of the
    # year, an earlier UE turned ADSUP) as a reminder, by semester.
    groups: dict[int, list[UEResult]] = {}
    for ue in proposal.ues:
        groups.setdefault(ue.semester, []).append(ue)
    semesters = []
    for number in sorted(groups, key=lambda n: (n != semester, -n)):
        ues = groups[number]
        detailed = number == semester
        semesters.append({
            "number": number,
            "detailed": detailed,
            "ues": [_ue_facts(ue, detailed=detailed, competences=competences, ue_ects=ue_ects, by_ue=by_ue,
                              names=names, kinds=kinds) for ue in ues],
            "ects": fr_decimal(sum((u.ects for u in ues), Decimal(0))),
            "ects_max": fr_decimal(sum((ue_ects.get(u.ue, Decimal(0)) for u in ues), Decimal(0))),
        })
    rcues = []
    for r in proposal.rcues:
        code = Code(r.code)
        rcues.append({
            "competence": competences.get(r.competence, str(r.competence)), "number": r.competence,
            "level": r.level, "moyenne": fr_moyenne(r.moyenne), "code": str(code), "label": code.label,
        })
    decision = None
    if proposal.decision_annee is not None:
        code = Code(proposal.decision_annee)
        decision = {"code": str(code), "label": code.label}
    student = enrolment.student
    formation = enrolment.semester.formation
    return {
        "establishment": formation.establishment,
        "formation": formation.name,
        "parcours": enrolment.parcours.name,
        "parcours_code": enrolment.parcours.code,
        "annee": proposal.annee,
        "semester": semester,
        "even": semester % 2 == 0,
        "student": {"numero": student.numero, "nom": student.nom, "prenom": student.prenom, "ine": student.ine},
        "regime": enrolment.get_regime_display(),
        "semesters": semesters,
        "rcues": rcues,
        "decision": decision,
        "passage": proposal.passage,
        "next_semester": semester + 1 if semester < 6 else None,
        "ects_acquis": fr_decimal(proposal.ects_acquis),
        "absences": {"justifiees": proposal.absences_justifiees, "injustifiees": proposal.absences_injustifiees},
        "jury": {
            "date": _date(jury.date if jury else inputs.jury_date),
            "recorded": jury is not None,
            "president": president,
            "deliberated": bool(jury and jury.is_deliberated),
        },
    }


def prepare_releves(*, annee: str, semester: int, numeros: Sequence[str] | None = None,
                    issue: bool = True) -> list[ReleveDoc]:
    """The relevés of one jury (or of the given students), by numero.

    Official when the jury has deliberated: each then has its Releve row (code, digest), created
    on first use; its digest and issue date follow the facts if they changed since (a jury
    re-opened and deliberated again) while its code stays the same.
    """
    proposals, inputs = jury_proposals(annee=annee, semester=semester, numeros=list(numeros) if numeros else None)
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=inputs.enrolment_ids.values()).select_related(
            "student", "parcours", "semester__formation"
        )
    }
    jury = inputs.jury
    president = ""
    if jury is not None:
        jury = JurySession.objects.select_related("president", "semester").get(pk=jury.pk)
        president = jury.president.get_full_name() or jury.president.username
    official = jury is not None and jury.is_deliberated
    docs = []
    for proposal in proposals.students:
        enrolment = enrolments[inputs.enrolment_ids[proposal.numero]]
        facts = build_facts(proposal=proposal, enrolment=enrolment, inputs=inputs, jury=jury, president=president)
        docs.append(ReleveDoc(
            enrolment_id=enrolment.pk, numero=proposal.numero, nom=proposal.nom, semester=semester,
            annee=annee, facts=facts, digest=facts_digest(facts), official=official,
        ))
    if official and issue and docs:
        issued = issue_releves(jury=jury, digests={d.enrolment_id: d.digest for d in docs})
        docs = [
            replace(d, code=issued[d.enrolment_id].code, issued_at=issued[d.enrolment_id].issued_at)
            for d in docs
        ]
    return docs


def releve_for(enrolment: Enrolment) -> ReleveDoc:
    """The relevé of one enrolment (its jury's semester and year)."""
    docs = prepare_releves(annee=enrolment.annee, semester=enrolment.semester.number,
                           numeros=[enrolment.student.numero])
    for doc in docs:
        if doc.enrolment_id == enrolment.pk:
            return doc
    raise ReleveError(f"Aucun relevé pour {enrolment}.")


def issue_releves(*, jury: JurySession, digests: dict[int, str]) -> dict[int, Releve]:
    """The official Releve rows of a deliberated jury (enrolment id → row), created where missing.

    Bounded queries: one read, one bulk insert, one bulk update, whatever the number of students.
    """
    if not jury.is_deliberated:
        raise ReleveError(f"Le {jury} n'a pas délibéré : ses relevés sont provisoires.")
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _issue(jury, digests)
        except IntegrityError:
            # Two requests issued the same relevé at once, or a code collided: read again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _issue(jury: JurySession, digests: dict[int, str]) -> dict[int, Releve]:
    existing = {r.enrolment_id: r for r in Releve.objects.filter(jury=jury, enrolment_id__in=list(digests))}
    now = timezone.now()
    changed = []
    for enrolment_id, row in existing.items():
        if row.digest != digests[enrolment_id]:
            row.digest = digests[enrolment_id]
            row.issued_at = now
            changed.append(row)
    if changed:
        Releve.objects.bulk_update(changed, ["digest", "issued_at"])
    missing = [eid for eid in digests if eid not in existing]
    if missing:
        codes: set[str] = set()
        while len(codes) < len(missing):
            codes.add(new_code())
        taken = set(Releve.objects.filter(code__in=codes).values_list("code", flat=True))
        fresh = [c for c in codes if c not in taken]
        while len(fresh) < len(missing):
            c = new_code()
            if c not in codes and not Releve.objects.filter(code=c).exists():
                fresh.append(c)
        Releve.objects.bulk_create([
            Releve(enrolment_id=eid, jury=jury, code=code, digest=digests[eid])
            for eid, code in zip(missing, fresh, strict=False)
        ])
        for r in Releve.objects.filter(jury=jury, enrolment_id__in=missing):
            existing[r.enrolment_id] = r
    return existing


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show about a code, and nothing more."""

    code: str
    found: bool
    nom: str = ""
    prenom: str = ""
    semester: int = 0
    annee: str = ""
    decision: str = ""
    ects_semestre: str = ""
    ects_acquis: str = ""
    issued_at: datetime | None = None
    in_force: bool = True  # False: the jury was re-opened since
    current: bool = True  # False: the facts changed since the relevé was issued


def verify_code(text: str) -> Verification:
    """What the public page shows for a code typed by anyone (the facts are recomputed, so a relevé
    whose jury was re-opened, or whose facts changed since its issue, is reported as such)."""
    code = normalise_code(text)
    row = None
    if code is not None:
        row = (Releve.objects.filter(code=code)
               .select_related("enrolment__student", "enrolment__semester", "jury").first())
    if row is None:
        return Verification(code=code or (text or "").strip()[:32], found=False)
    enrolment = row.enrolment
    student = enrolment.student
    base = {
        "code": row.code, "found": True, "nom": student.nom, "prenom": student.prenom,
        "semester": enrolment.semester.number, "annee": enrolment.annee, "issued_at": row.issued_at,
    }
    if not row.jury.is_deliberated:
        return Verification(**base, in_force=False)
    doc = next(
        (d for d in prepare_releves(annee=enrolment.annee, semester=enrolment.semester.number,
                                    numeros=[student.numero], issue=False) if d.enrolment_id == enrolment.pk),
        None,
    )
    if doc is None:
        return Verification(**base, in_force=False)
    facts = doc.facts
    this = next((s for s in facts["semesters"] if s["detailed"]), None)
    return Verification(
        **base,
        decision=decision_text(facts),
        ects_semestre=f"{this['ects']} / {this['ects_max']}" if this else "",
        ects_acquis=facts["ects_acquis"],
        current=doc.digest == row.digest,
    )


def decision_text(facts: dict) -> str:
    """The jury's decision in one French sentence (the year decision, or the passage at an odd jury)."""
    decision = facts["decision"]
    if decision is not None:
        return f"{decision['code']} — {decision['label']}"
    nxt = facts["next_semester"]
    if facts["passage"] is None or nxt is None:
        return "Pas de décision d'année à ce jury de semestre"
    return f"Passage en S{nxt} : {'autorisé' if facts['passage'] else 'non autorisé'}"


# --------------------------------------------------------------------------- the student's semesters


@dataclass(frozen=True)
class SemesterRow:
    enrolment: Enrolment
    jury: JurySession | None
    releve: Releve | None

    @property
    def official(self) -> bool:
        return self.jury is not None and self.jury.is_deliberated


def student_semesters(student: Student) -> list[SemesterRow]:
    """A student's enrolments, newest first, each with its jury and its issued relevé (3 queries)."""
    enrolments = list(
        Enrolment.objects.filter(student=student).select_related("semester", "parcours")
        .order_by("-annee", "-semester__number")
    )
    formations = {e.semester.formation_id for e in enrolments}
    juries = {
        (j.annee, j.semester_id): j
        for j in JurySession.objects.filter(formation_id__in=formations,
                                            annee__in={e.annee for e in enrolments})
    }
    releves = {(r.enrolment_id, r.jury_id): r for r in Releve.objects.filter(enrolment__student=student)}
    rows = []
    for e in enrolments:
        jury = juries.get((e.annee, e.semester_id))
        rows.append(SemesterRow(e, jury, releves.get((e.pk, jury.pk)) if jury else None))
    return rows


# --------------------------------------------------------------------------- batch


def batch_root() -> Path:
    return Path(getattr(settings, "QLIO_RELEVES_DIR", "") or tempfile.gettempdir()) / "qlio-releves"


def batch_names(*, semester: int, annee: str) -> tuple[str, str]:
    """(ZIP name, merged PDF name) of a jury's batch."""
    stem = f"releves_S{semester}_{ascii_fold(annee)}"
    return f"{stem}.zip", f"{stem}_impression.pdf"


def write_batch(*, docs: Sequence[ReleveDoc], htmls: Sequence[str], out_dir: Path, workers: int = 1,
                progress: Callable[[int], None] | None = None) -> tuple[list[Path], Path]:
    """Writes one PDF per student in ``out_dir`` and the merged PDF; returns (PDF paths, merged path).

    HTML is rendered by the caller (it needs the database); only the HTML → PDF step runs here,
    in ``workers`` processes when more than one (WeasyPrint is pure Python: threads would not help).
    """
    from juries.pdf.releve import html_to_pdf, merge_pdfs

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / d.filename for d in docs]
    done = 0
    if workers > 1 and len(docs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn, not fork: the caller may be a thread of a web server.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(html_to_pdf, html): path for html, path in zip(htmls, paths, strict=True)}
            for future in as_completed(futures):
                futures[future].write_bytes(future.result())
                done += 1
                if progress:
                    progress(done)
    else:
        for html, path in zip(htmls, paths, strict=True):
            path.write_bytes(html_to_pdf(html))
            done += 1
            if progress:
                progress(done)
    _, merged_name = batch_names(semester=docs[0].semester, annee=docs[0].annee) if docs else ("", "vide.pdf")
    merged = out_dir / merged_name
    merge_pdfs(paths, merged)
    return paths, merged


def zip_pdfs(paths: Iterable[Path], target: Path) -> Path:
    # PDFs are already compressed: store them, so the ZIP is written at disk speed.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return target


def default_workers(count: int) -> int:
    configured = getattr(settings, "QLIO_RELEVE_WORKERS", None)
    if configured:
        return max(1, int(configured))
    # Starting a process costs about half a second: worth it from a handful of relevés on.
    return min(2, os.cpu_count() or 1) if count >= 8 else 1


@dataclass
class BatchJob:
    """A batch generated in the background: its folder holds status.json, the PDFs, the ZIP."""

    id: str
    folder: Path
    status: dict = field(default_factory=dict)


_JOB_RE = re.compile(r"^[0-9a-f]{32}$")
JOB_MAX_AGE = 24 * 3600
# A running job writes its status after every relevé: silent this long, its process has died
# (server restarted) and the page must say so instead of waiting forever.
JOB_STALE = 600


def _write_status(folder: Path, status: dict) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def read_job(job_id: str) -> BatchJob | None:
    if not _JOB_RE.match(job_id or ""):
        return None
    folder = batch_root() / job_id
    path = folder / "status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if status.get("state") == "running" and age > JOB_STALE:
        status.update(state="error", error="La génération a été interrompue (serveur redémarré ?) : relancez-la.")
    return BatchJob(id=job_id, folder=folder, status=status)


def job_file(job: BatchJob, kind: str) -> Path | None:
    """The finished ZIP (``kind="zip"``) or merged PDF (``"pdf"``) of a job, if there is one."""
    if job.status.get("state") != "done":
        return None
    name = job.status.get(kind)
    if not name or "/" in name or "\\" in name:
        return None
    path = job.folder / name
    return path if path.is_file() else None


def _purge_old_jobs(root: Path) -> None:
    limit = time.time() - JOB_MAX_AGE
    for child in root.iterdir() if root.exists() else ():
        if _JOB_RE.match(child.name) and child.stat().st_mtime < limit:
            shutil.rmtree(child, ignore_errors=True)


def _spawn(target: Callable[[], None]) -> None:
    threading.Thread(target=target, name="releves-batch", daemon=True).start()


def start_batch(*, jury: JurySession, by, verify_url: str = "") -> BatchJob:
    """Prepares every relevé of ``jury`` now (database work, issue of official codes), then renders
    the PDFs in a background thread that reports its progress in the job's status.json.

    The thread never touches the database: it only turns the HTML made here into PDF files.
    """
    from juries.pdf.releve import releve_html

    docs = prepare_releves(annee=jury.annee, semester=jury.semester.number)
    if not docs:
        raise ReleveError(f"Aucun étudiant inscrit pour le {jury}.")
    htmls = [releve_html(d, verify_url=verify_url) for d in docs]
    root = batch_root()
    root.mkdir(parents=True, exist_ok=True)
    _purge_old_jobs(root)
    job_id = secrets.token_hex(16)
    folder = root / job_id
    folder.mkdir()
    zip_name, pdf_name = batch_names(semester=jury.semester.number, annee=jury.annee)
    status = {
        "state": "running", "done": 0, "total": len(docs), "jury": str(jury), "jury_id": jury.pk,
        "official": docs[0].official, "by": getattr(by, "pk", None), "started": timezone.now().isoformat(),
        "zip": zip_name, "pdf": pdf_name, "error": "",
    }
    _write_status(folder, status)
    lock = threading.Lock()

    def progress(done: int) -> None:
        with lock:
            status["done"] = done
            _write_status(folder, status)

    def run() -> None:
        started = time.perf_counter()
        try:
            paths, _merged = write_batch(docs=docs, htmls=htmls, out_dir=folder / "pdf",
                                         workers=default_workers(len(docs)), progress=progress)
            zip_pdfs(paths, folder / zip_name)
            os.replace(_merged, folder / pdf_name)
            status.update(state="done", seconds=round(time.perf_counter() - started, 1))
        except Exception as exc:  # noqa: BLE001 — shown to the secretariat, the page must not spin forever
            status.update(state="error", error=f"La génération a échoué : {exc}")
        _write_status(folder, status)

    _spawn(run)
    return BatchJob(id=job_id, folder=folder, status=status)
