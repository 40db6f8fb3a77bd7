"""Every motif and alert as a French sentence a jury president can read aloud (REGLEMENT.md,
"Explanations"): the one place where the engine's reasons become text.

A rule returns a ``Motif`` carrying its rule id, the kind of sentence (``key``) and the values
that decided (averages as exact numbers, dates, codes, UE keys); ``sentence`` turns them into
French here: decimal comma (``french.moyenne_fr``), real plurals (``french.plural``), labels
instead of stored values (« exclusion de l'établissement », « décès d'un proche »), and the
cause named (which evaluation an ABI counted 0 in and why its absence is unjustified, an R3 tie,
R2's counts in words).
Over 400 lines on purpose: every sentence of every rule in one module, so that the wording is
read, reviewed and tested as a whole (one short function per sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .codes import AbsenceReason, Code, Sanction
from .french import date_fr, datetime_fr, enseignement_label, moyenne_fr, nombre_fr, plural

#: A motif's parameters: (name, value) pairs sorted by name, hashable.
Params = tuple[tuple[str, Any], ...]

_SENTENCES: dict[str, Callable[..., str]] = {}


def _sentence(key: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    def register(build: Callable[..., str]) -> Callable[..., str]:
        if key in _SENTENCES:
            raise ValueError(f"sentence {key!r} defined twice")
        _SENTENCES[key] = build
        return build

    return register


@lru_cache(maxsize=16384)
def sentence(key: str, params: Params) -> str:
    """The French sentence of a motif of kind ``key`` with these parameters."""
    return _SENTENCES[key](**dict(params))


def known_sentences() -> frozenset[str]:
    return frozenset(_SENTENCES)


# --------------------------------------------------------------------------- vocabulary

SANCTION_LABELS: dict[str, str] = {
    Sanction.AVERTISSEMENT: "avertissement",
    Sanction.BLAME: "blâme",
    Sanction.RESPONSABILISATION: "mesure de responsabilisation",
    Sanction.EXCLUSION_ETABLISSEMENT: "exclusion de l'établissement",
    Sanction.EXCLUSION_DEFINITIVE: "exclusion définitive de l'établissement",
    Sanction.EXCLUSION_TOUS: "exclusion de tout établissement public d'enseignement supérieur",
    Sanction.EXCLUSION_TOUS_DEFINITIVE: (
        "exclusion définitive de tout établissement public d'enseignement supérieur"
    ),
}

REASON_LABELS: dict[str, str] = {
    AbsenceReason.MALADIE: "maladie",
    AbsenceReason.DECES: "décès d'un proche",
    AbsenceReason.MARIAGE_PACS_NAISSANCE: "mariage, PACS ou naissance",
    AbsenceReason.CONVOCATION: "convocation",
    AbsenceReason.AUTRE: "autre motif",
}

#: How a UE stands, said of « l'UE » (feminine).
UE_CODE_PHRASES: dict[str, str] = {
    Code.ADM: "acquise",
    Code.CMP: "acquise par compensation",
    Code.ADSUP: "acquise par la validation du niveau supérieur",
    Code.ADJ: "acquise par décision du jury",
    Code.AJ: "non acquise",
    Code.ATT: "en attente",
    Code.DEF: "non acquise (défaillance)",
    Code.DEM: "non acquise (démission)",
}

_STAGE_FAILURES = {
    "S2": "stage trop court",
    "S3": "stage terminé à la date du jury ou après",
    "S4": "aucun stage enregistré",
}


def liste(items: Iterable[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} et {words[-1]}"


def duree(seconds: float | int | Decimal) -> str:
    """Elapsed time read aloud: « 50 h 30 », « 48 h », « 45 min »."""
    minutes = int(abs(Decimal(seconds)) // 60)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d}"


def sanction_label(value: str | None) -> str:
    return SANCTION_LABELS.get(value or "", value or "sanction")


def reason_label(value: str | None) -> str:
    return REASON_LABELS.get(value or "", value or REASON_LABELS[AbsenceReason.AUTRE])


def _ens(code: str) -> str:
    return enseignement_label(code)


def _labels(labels: Iterable[str]) -> str:
    return liste(f"« {label} »" for label in labels)


def _moy(value: Decimal | Fraction | None) -> str:
    return moyenne_fr(value, "sans moyenne")


# --------------------------------------------------------------------------- §2 absences


@_sentence("a2_tardive")
def _a2(start: date, declared: datetime) -> str:
    return (
        f"absence du {date_fr(start)} déclarée tardivement le {datetime_fr(declared)}, après son premier "
        "jour (à déclarer le jour même) : déclaration acceptée, signalée au jury"
    )


@_sentence("a4_aucun")
def _a4_none(limit: int) -> str:
    return f"aucun justificatif déposé dans les {limit} h suivant la déclaration : absence injustifiée"


@_sentence("a4_avant")
def _a4_before(seconds: int) -> str:
    return f"justificatif déposé {duree(seconds)} avant la déclaration : dans les délais"


@_sentence("a4_dans")
def _a4_in_time(seconds: int, limit: int) -> str:
    return f"justificatif déposé {duree(seconds)} après la déclaration, dans les {limit} h : absence justifiée"


@_sentence("a4_hors")
def _a4_late(seconds: int, limit: int) -> str:
    return (
        f"justificatif déposé {duree(seconds)} après la déclaration, au-delà des {limit} h : "
        "absence injustifiée"
    )


@_sentence("a5_recevable")
def _a5_ok(reason: str) -> str:
    return (
        f"alternant : motif « {reason_label(reason)} » recevable (Code du travail), "
        "justificatif à adresser aussi à l'employeur"
    )


@_sentence("a5_refuse")
def _a5_refused(reason: str) -> str:
    what = f"motif « {reason_label(reason)} »" if reason else "aucun motif donné"
    return f"alternant : {what} non recevable (Code du travail) : absence injustifiée"


@_sentence("a6_zero")
def _a6(code: str, label: str, day: date | None, scope: str, start: date | None, why: tuple[Any, ...]) -> str:
    """``why``: the A4 / A5 motifs that made the absence unjustified (their data, read here)."""
    what = f"{_ens(code)} « {label} »" + (f" du {date_fr(day)}" if day else "")
    counted = "met la moyenne de l'enseignement à 0" if scope == "enseignement" else "comptée 0"
    if start is None:
        return f"{what} {counted} : ABI saisie sans absence injustifiée enregistrée ce jour-là"
    causes = liste(_unjustified_because(m.key, m.data) for m in why) or "sans justificatif"
    return f"{what} {counted} : absence du {date_fr(start)} injustifiée, {causes}"


def _unjustified_because(key: str, data: dict[str, Any]) -> str:
    if key == "a4_aucun":
        return f"aucun justificatif déposé dans les {data['limit']} h"
    if key == "a4_hors":
        return f"justificatif déposé {duree(data['seconds'])} après la déclaration, au-delà des {data['limit']} h"
    reason = data.get("reason")
    what = f"motif « {reason_label(reason)} »" if reason else "aucun motif donné"
    return f"{what} non recevable pour un alternant"


@_sentence("a7_abj")
def _a7(code: str, labels: tuple[str, ...], pending: bool) -> str:
    n = len(labels)
    if pending:
        how = f"{plural(n, 'ABJ', 'ABJ', with_count=False)} en attente d'une note de remplacement"
    else:
        how = (
            f"{plural(n, 'ABJ neutralisée', 'ABJ neutralisées', with_count=False)}, "
            f"{'laissée' if n == 1 else 'laissées'} de côté dans la moyenne"
        )
    return f"{_ens(code)} {_labels(labels)} : {how}"


@_sentence("a7_ue")
def _a7_ue(ue: str, codes: tuple[str, ...]) -> str:
    if len(codes) == 1:
        return f"{ue} : {_ens(codes[0])} laissé de côté, toutes ses évaluations ABJ"
    return f"{ue} : {liste(_ens(c) for c in codes)} laissés de côté, toutes leurs évaluations ABJ"


@_sentence("a8_abi_justifiee")
def _a8(code: str, label: str, day: date) -> str:
    return f"{_ens(code)} « {label} » du {date_fr(day)} : ABI saisie un jour d'absence justifiée"


@_sentence("a9")
def _a9(count: int) -> str:
    return (
        f"{plural(count, 'absence injustifiée')} ce semestre, sans pénalité automatique : "
        "le jury peut en tenir compte"
    )


# --------------------------------------------------------------------------- §3 stage


@_sentence("s1_ue")
def _s1_ue(ue: str, failures: tuple[str, ...]) -> str:
    why = liste(_STAGE_FAILURES.get(f, f) for f in failures) or _STAGE_FAILURES["S4"]
    return f"{ue} non validable sans stage validé ({why})"


@_sentence("s1_rcue")
def _s1_rcue(label: str, moyenne: Decimal | Fraction) -> str:
    return f"RCUE {label} non validé malgré sa moyenne de {moyenne_fr(moyenne)} : stage non validé"


@_sentence("s2")
def _s2(semester: int, start: date, end: date, weeks: int, needed: date) -> str:
    days = (end - start).days
    return (
        f"stage du S{semester} trop court : du {date_fr(start)} au {date_fr(end)} "
        f"({plural(days, 'jour')}), {weeks} semaines exigent une fin au plus tôt le {date_fr(needed)}"
    )


@_sentence("s3")
def _s3(semester: int, end: date, jury: date) -> str:
    return f"stage du S{semester} terminé le {date_fr(end)}, pas avant le jury du {date_fr(jury)} : non compté"


@_sentence("s4_aucun")
def _s4_none(semester: int) -> str:
    return f"aucun stage enregistré pour le S{semester}"


@_sentence("s4_conserve")
def _s4_kept(semester: int, annee: str) -> str:
    return f"stage du S{semester} validé en {annee}, conservé"


@_sentence("s4_valide")
def _s4_ok(semester: int, start: date, end: date) -> str:
    return f"stage du S{semester} validé (du {date_fr(start)} au {date_fr(end)})"


# --------------------------------------------------------------------------- §4 evaluation


@_sentence("e1")
def _e1(code: str, count: int) -> str:
    if count == 0:
        what = "aucune évaluation"
    elif count == 1:
        what = "qu'une évaluation"
    else:
        what = f"que {count} évaluations"
    return f"{_ens(code)} n'a {what} ce semestre"


@_sentence("e3_ue")
def _e3_ue(ue: str, code: str, semester: int, annee: str) -> str:
    return f"{ue} : {code} décidé par le jury de S{semester} {annee}"


@_sentence("e3_rcue")
def _e3_rcue(label: str, code: str, semester: int, annee: str) -> str:
    return f"RCUE {label} : {code} décidé par le jury de S{semester} {annee}"


@_sentence("e3_annee")
def _e3_year(code: str, semester: int, annee: str) -> str:
    return f"décision {code} délibérée par le jury de S{semester} {annee}"


# --------------------------------------------------------------------------- §5-1 validation


@_sentence("v2_manquante")
def _v2_missing(ue: str, codes: tuple[str, ...]) -> str:
    notes = "note manquante" if len(codes) == 1 else "notes manquantes"
    return f"{ue} en attente : {notes} en {', '.join(_ens(c) for c in codes)}"


@_sentence("v2_rien")
def _v2_nothing(ue: str) -> str:
    return f"{ue} en attente : rien à moyenner, toutes les évaluations sont ABJ"


@_sentence("v2_aucune")
def _v2_none(ue: str) -> str:
    return f"{ue} en attente : aucune note enregistrée"


@_sentence("v2_rcue")
def _v2_rcue(label: str, ues: tuple[str, ...]) -> str:
    return f"RCUE {label} en attente : {liste(ues)} en attente"


@_sentence("v2_atj")
def _v2_atj(labels: tuple[str, ...]) -> str:
    return f"décision en attente : RCUE {liste(labels)} en attente de notes"


@_sentence("v4_acquise")
def _v4_ok(ue: str, moyenne: Decimal | Fraction, ects: Decimal) -> str:
    return f"{ue} acquise : {moyenne_fr(moyenne)} ≥ 10, {nombre_fr(ects)} ECTS"


@_sentence("v4_non_acquise")
def _v4_no(ue: str, moyenne: Decimal | Fraction | None) -> str:
    return f"{ue} non acquise par sa moyenne ({_moy(moyenne)} < 10)"


@_sentence("v5_adsup")
def _v5_adsup(ue: str, label: str) -> str:
    return f"{ue} acquise par la validation du RCUE {label} (niveau supérieur)"


@_sentence("v5_niveau")
def _v5_level(label: str, code: str, ues: tuple[tuple[str, str], ...], moyenne: Decimal | Fraction | None) -> str:
    acquired = liste(f"{key} {UE_CODE_PHRASES.get(c, c)}" for key, c in ues)
    if code == Code.ADJ:
        how = f"validé ({Code.ADJ}) malgré sa moyenne de {moyenne_fr(moyenne)}"
    else:
        how = "validé" if moyenne is None else f"validé ({moyenne_fr(moyenne)})"
    return f"RCUE {label} {how} : ses deux UE sont acquises ({acquired})"


@_sentence("v5_adj_ue")
def _v5_adj(ue: str, label: str) -> str:
    return f"{ue} acquise par décision du jury : le jury a validé le RCUE {label}"


# --------------------------------------------------------------------------- §5-2 compensation


@_sentence("c2_cmp")
def _c2(ue: str, label: str, moyenne: Decimal | Fraction) -> str:
    return f"{ue} compensée dans le RCUE {label} ({moyenne_fr(moyenne)})"


@_sentence("c2_attente")
def _c2_wait(ue: str, moyenne: Decimal | Fraction | None, label: str) -> str:
    return f"{ue} non acquise ({_moy(moyenne)} < 10) : compensation en attente du RCUE {label}"


@_sentence("c2_non")
def _c2_no(ue: str, moyenne: Decimal | Fraction | None, label: str, rcue: Decimal | Fraction) -> str:
    return f"{ue} non acquise ({_moy(moyenne)} < 10) ni compensée : RCUE {label} à {moyenne_fr(rcue)} < 10"


@_sentence("c2_non_valide")
def _c2_not_validated(ue: str, moyenne: Decimal | Fraction | None, label: str) -> str:
    return f"{ue} non acquise ({_moy(moyenne)} < 10) ni compensée : RCUE {label} non validé"


@_sentence("c3_valide")
def _c3_ok(label: str, moyenne: Decimal | Fraction) -> str:
    return f"RCUE {label} validé : {moyenne_fr(moyenne)} ≥ 10"


@_sentence("c3_non_valide")
def _c3_no(label: str, moyenne: Decimal | Fraction) -> str:
    return f"RCUE {label} non validé : {moyenne_fr(moyenne)} < 10"


@_sentence("c4")
def _c4(ue: str, moyenne: Decimal | Fraction | None) -> str:
    return f"{ue} non acquise pour l'instant ({_moy(moyenne)} < 10), compensable au jury du semestre pair"


# --------------------------------------------------------------------------- §5-3 progression


@_sentence("p1")
def _p1(semester: int) -> str:
    return f"passage de droit du S{semester} au S{semester + 1}"


@_sentence("p2")
def _p2(
    counts: str,
    obtained: int,
    total: int,
    items: tuple[tuple[str, Any, str], ...],
    below: tuple[tuple[str, Any], ...],
    by_decision: int,
) -> str:
    """``items``: (RCUE label, average or None, code) of every RCUE of the year."""
    if counts == "validated":
        counted = f"{obtained} RCUE {'validé' if obtained < 2 else 'validés'} sur {total}"
    elif by_decision:
        counted = f"{obtained} RCUE sur {total} avec une moyenne d'au moins 10 ou validés"
    else:
        counted = f"{obtained} RCUE sur {total} avec une moyenne d'au moins 10"
    shown = " ; ".join(_p2_item(moyenne, code) for _, moyenne, code in items)
    text = f"{counted} : {shown}"
    if below:
        lows = liste(f"{label} ({moyenne_fr(m)})" for label, m in below)
        return f"{text} ; moyenne inférieure à 8 : {lows}"
    if 2 * obtained <= total:
        return f"{text} ; il en faut plus de la moitié"
    return f"{text} ; plus de la moitié, et aucune moyenne inférieure à 8"


def _p2_item(moyenne: Decimal | Fraction | None, code: str) -> str:
    if moyenne is None:
        return "validé sans moyenne" if code in (Code.ADM, Code.ADJ) else "sans moyenne"
    if code == Code.ADJ:
        return f"{moyenne_fr(moyenne)} (validé par le jury)"
    return moyenne_fr(moyenne)


@_sentence("p3_non")
def _p3_no(next_semester: int, ues: tuple[str, ...]) -> str:
    acquired = "non acquise" if len(ues) == 1 else "non acquises"
    return f"passage au S{next_semester} impossible : {liste(ues)} {acquired}"


@_sentence("p3_ok")
def _p3_ok(semesters: tuple[int, ...]) -> str:
    return f"toutes les UE de {liste(f'S{s}' for s in semesters)} sont acquises"


@_sentence("p4")
def _p4(ues: tuple[str, ...]) -> str:
    return f"UE restant à acquérir : {liste(ues)} (par le niveau supérieur ou par le jury)"


@_sentence("p5_ok")
def _p5_ok(total: int) -> str:
    return f"dernière année : {total} RCUE validés sur {total}"


@_sentence("p5_non")
def _p5_no(labels: tuple[str, ...]) -> str:
    return f"dernière année : RCUE {liste(labels)} non {'validé' if len(labels) == 1 else 'validés'}"


# --------------------------------------------------------------------------- §5-4 redoublement


@_sentence("r1_red")
def _r1_red() -> str:
    return "redoublement proposé, soumis à la décision du jury"


@_sentence("r1_nar")
def _r1_nar() -> str:
    return "non autorisé à redoubler (R2), soumis à la décision du jury"


def _used(used: int, limit: int) -> str:
    if used == 0:
        return "aucun redoublement utilisé"
    return f"{used} {'utilisé' if used == 1 else 'utilisés'} sur {limit}"


def _left(left: int) -> str:
    if left <= 0:
        return "aucun possible"
    return f"{left} {'possible' if left == 1 else 'possibles'}"


@_sentence("r2")
def _r2(
    used: int,
    limit: int,
    per_year: int,
    again: tuple[int, ...],
    allowed: bool,
    authorisation: date | None,
) -> str:
    """R2's counts in words: what is used, what is left, and the director's authorisation."""
    parts = [_used(used, limit)]
    if again:
        semesters = liste(f"S{s}" for s in again)
        parts.append(
            f"{semesters} déjà {'redoublé' if len(again) == 1 else 'redoublés'} "
            "(un semestre ne se redouble qu'une fois)"
        )
    elif authorisation is None:
        parts.append(_left(limit - used))
    if authorisation is not None:
        parts.append(f"autorisation du directeur du {date_fr(authorisation)} : redoublement possible")
        return " ; ".join(parts)
    if allowed:
        return " ; ".join(parts) + f" : redoublement possible (il en compte {per_year})"
    if again:
        return " ; ".join(parts) + " : redoublement impossible sans autorisation du directeur"
    return (
        " ; ".join(parts)
        + f" : un redoublement en compte {per_year}, impossible sans autorisation du directeur"
    )


@_sentence("r3_incomplet")
def _r3_incomplete(ue: str, annee: str, code: str, old: Decimal | Fraction | None) -> str:
    return f"{ue} acquise en {annee} ({code}, {_moy(old)}) : reste acquise, notes de l'année incomplètes"


@_sentence("r3_ancienne")
def _r3_old(ue: str, annee: str, code: str, old: Decimal | Fraction | None, new: Decimal | Fraction) -> str:
    kept = f"{ue} acquise en {annee} ({code}, {_moy(old)})"
    if old is not None and new == old:
        return f"{kept} : nouvelle moyenne égale ({moyenne_fr(new)}), l'ancienne est conservée"
    if old is not None and moyenne_fr(new) == moyenne_fr(old):
        return (
            f"{kept} : nouvelle moyenne {moyenne_fr(new)} à peine inférieure (même arrondi), "
            "l'ancienne est conservée"
        )
    return f"{kept} : meilleure que la nouvelle moyenne {moyenne_fr(new)}, conservée"


@_sentence("r3_nouvelle")
def _r3_new(ue: str, annee: str, code: str, old: Decimal | Fraction | None, new: Decimal | Fraction, kept: str) -> str:
    before = "sans moyenne" if old is None else moyenne_fr(old)
    return (
        f"{ue} déjà acquise ({code}, {before} en {annee}) : meilleure moyenne {moyenne_fr(new)} "
        f"conservée, {kept}"
    )


@_sentence("r4")
def _r4(ue: str, annee: str, code: str, moyenne: Decimal | Fraction | None) -> str:
    return f"{ue} acquise en {annee} ({code}, {_moy(moyenne)}) : aménagement, non réinscrite, note conservée"


# --------------------------------------------------------------------------- §5-5 diplomas


@_sentence("d1")
def _d1(ects: Decimal) -> str:
    return f"DUT : les {nombre_fr(ects)} premiers ECTS sont acquis"


@_sentence("d2")
def _d2(ects: Decimal) -> str:
    return f"BUT : les {nombre_fr(ects)} ECTS sont acquis"


# --------------------------------------------------------------------------- §6 mobility


@_sentence("m1_ue")
def _m1_ue(ue: str, institution: str) -> str:
    return f"{ue} validée à l'étranger ({institution})"


@_sentence("m1_ignoree")
def _m1_ignored(semester: int) -> str:
    return f"mobilité d'études en S{semester} ignorée (BUT2 ou BUT3 seulement)"


def _without_average(key: str, code: str, abroad: bool) -> str:
    return f"{key} validée à l'étranger" if abroad else f"{key} {UE_CODE_PHRASES.get(code, code)} sans moyenne"


@_sentence("m1_rcue_valide")
def _m1_ok(label: str, ues: tuple[tuple[str, str, bool], ...]) -> str:
    return f"RCUE {label} validé sans moyenne ({liste(_without_average(*u) for u in ues)})"


@_sentence("m1_rcue_non")
def _m1_no(label: str, ues: tuple[str, ...]) -> str:
    acquired = "non acquise" if len(ues) == 1 else "non acquises"
    return f"RCUE {label} non validé : {liste(ues)} {acquired}, sans compensation possible"


@_sentence("m2")
def _m2(semester: int) -> str:
    return f"stage du S{semester} à l'étranger, évalué comme un stage en France"


@_sentence("m3")
def _m3(ue: str, coefficient: Decimal, grade: Decimal) -> str:
    return f"BIP compté dans {ue} (coefficient {nombre_fr(coefficient)}) : {moyenne_fr(grade)}"


@_sentence("m3_sans_ue")
def _m3_none(semester: int, title: str, recorded: str | None) -> str:
    what = f"BIP « {title} » du S{semester}" if title else f"BIP du S{semester}"
    if recorded:
        return f"{what} enregistré pour {recorded}, qui n'est pas une UE du S{semester} : non compté"
    return f"{what} sans UE où compter (ni sur la participation, ni dans les paramètres) : non compté"


# --------------------------------------------------------------------------- §7 fraud


@_sentence("f1")
def _f1(day: date) -> str:
    return f"dossier de fraude ouvert (faits du {date_fr(day)})"


@_sentence("f2")
def _f2(sanction: str, start: date, end: date | None) -> str:
    label = sanction_label(sanction)
    if end is not None:
        until = f", jusqu'au {date_fr(end)}"
    else:
        until = "" if "définitive" in label else ", sans date de fin"
    return f"{label} depuis le {date_fr(start)}{until} : décision {Code.EXCLU}"


# --------------------------------------------------------------------------- DEF / DEM


def _who(code: str) -> str:
    return "démission" if code == Code.DEM else "défaillance"


@_sentence("def_annee")
def _def_year(code: str, semester: int) -> str:
    return (
        f"{_who(code)} en S{semester} : décision {code}, pas de passage ; les UE déjà acquises le restent"
    )


@_sentence("def_ue")
def _def_ue(ue: str, code: str, moyenne: Any, annee: str) -> str:
    return f"{ue} non acquise ({_who(code)}) : 0 ECTS"


@_sentence("def_ue_acquise")
def _def_ue_kept(ue: str, code: str, moyenne: Decimal | Fraction | None, annee: str) -> str:
    return f"{ue} acquise malgré la {_who(code)} : notes complètes, {_moy(moyenne)} ≥ 10"


@_sentence("def_ue_deja")
def _def_ue_before(ue: str, code: str, moyenne: Decimal | Fraction | None, annee: str) -> str:
    return f"{ue} acquise en {annee} ({_moy(moyenne)}), reste acquise malgré la {_who(code)}"


@_sentence("def_rcue")
def _def_rcue(label: str, ues: tuple[str, ...], code: str) -> str:
    return f"RCUE {label} non validé, sans moyenne ni compensation : {liste(ues)} {code} ({_who(code)})"
