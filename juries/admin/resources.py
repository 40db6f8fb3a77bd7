"""django-import-export resources: admin EXPORTS in the docs/formats.md column names.

Imports do not go through these resources: they go through juries.services.imports (the one
validation and write path). A cell is a text, or a `Typed` value (number, date, date-time) that
the XLSX writes typed and the CSV as its French text; the two formats below are the shared
writers of services/exports.py: in CSV every text a spreadsheet would run (`=`, `+`, `-`, `@`)
is neutralised — django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a
leading `=` — and in XLSX a text is a text cell, which never runs.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from import_export import fields, resources
from import_export.formats import base_formats

from juries.importers.parsing import PARIS, CellError, make_paris_aware
from juries.models import Absence, Enrolment, Evaluation, FraudCase, Grade, Mobility, Stage, Student
from juries.rules.french import nombre_fr
from juries.services.exports import Typed, csv_cell, write_xlsx


def _rows(dataset) -> list[list[object]]:
    return [list(dataset[i]) for i in range(dataset.height)]


class FrenchCSV(base_formats.CSV):
    """`;` separated (French Excel opens it as is); the admin encodes it in UTF-8 with BOM."""

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", ";")
        # A tablib Dataset of the CSV texts (tablib itself ships no type information).
        text = type(dataset)(*[[csv_cell(v) for v in row] for row in _rows(dataset)],
                             headers=[csv_cell(h) for h in dataset.headers or []])
        return super().export_data(text, **kwargs)


class TypedXLSX(base_formats.XLSX):
    """Numbers as numbers (two decimals shown), dates as dates, text as text cells."""

    def export_data(self, dataset, **kwargs):
        return write_xlsx(list(dataset.headers or []), _rows(dataset), title=dataset.title or "Export")


EXPORT_FORMATS = [FrenchCSV, TypedXLSX]


def decimal_text(value: Decimal | None) -> Typed | str:
    """A number; in CSV with a French decimal comma, no useless zeros: 1 → "1", 1.50 → "1,5"
    (re-import accepts both marks)."""
    return "" if value is None else Typed(value, nombre_fr(value))


def grade_text(grade: Grade) -> Typed | str:
    """A number ("12,50" in CSV), or the absence mark."""
    return grade.mark if grade.mark or grade.value is None else Typed(grade.value, grade.display)


def day_cell(day: date | None) -> Typed | str:
    """A date; ISO in CSV."""
    return "" if day is None else Typed(day, day.isoformat())


def paris_text(moment: datetime | None) -> Typed | str:
    """Europe/Paris wall-clock time; the offset is written (as text) only in the hour the clocks
    go back, where the wall-clock time alone is ambiguous (and would be refused on re-import)."""
    if moment is None:
        return ""
    local = moment.astimezone(PARIS)
    naive = local.replace(tzinfo=None)
    try:
        make_paris_aware(naive)
    except CellError:
        return local.isoformat(sep=" ", timespec="minutes")
    return Typed(naive.replace(second=0, microsecond=0), naive.strftime("%Y-%m-%d %H:%M"))


def flag(value: bool) -> str:
    return "1" if value else "0"


class ContractResource(resources.ModelResource):
    """Columns named as in docs/formats.md; every cell a text or a `Typed` value."""

    select_related: tuple[str, ...] = ()

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return "" if value is None else value

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.select_related) if self.select_related else queryset


def _col(name: str) -> fields.Field:
    return fields.Field(column_name=name, readonly=True)


class StudentResource(ContractResource):
    numero, ine, nom, prenom, email = _col("numero"), _col("ine"), _col("nom"), _col("prenom"), _col("email")

    class Meta:
        model = Student
        fields = ("numero", "ine", "nom", "prenom", "email")

    def dehydrate_numero(self, s):
        return s.numero

    def dehydrate_ine(self, s):
        return s.ine

    def dehydrate_nom(self, s):
        return s.nom

    def dehydrate_prenom(self, s):
        return s.prenom

    def dehydrate_email(self, s):
        return s.email


class EnrolmentResource(ContractResource):
    """import_enrolments: numero, nom, prenom, email, regime, annee, semestre, parcours, redoublement, amenagement."""

    numero, nom, prenom, email = _col("numero"), _col("nom"), _col("prenom"), _col("email")
    regime, annee, semestre, parcours = _col("regime"), _col("annee"), _col("semestre"), _col("parcours")
    redoublement, amenagement = _col("redoublement"), _col("amenagement")
    select_related = ("student", "semester", "parcours")

    class Meta:
        model = Enrolment
        fields = ("numero", "nom", "prenom", "email", "regime", "annee", "semestre", "parcours", "redoublement",
                  "amenagement")

    def dehydrate_numero(self, e):
        return e.student.numero

    def dehydrate_nom(self, e):
        return e.student.nom

    def dehydrate_prenom(self, e):
        return e.student.prenom

    def dehydrate_email(self, e):
        return e.student.email

    def dehydrate_regime(self, e):
        return e.regime

    def dehydrate_annee(self, e):
        return e.annee

    def dehydrate_semestre(self, e):
        return str(e.semester.number)

    def dehydrate_parcours(self, e):
        return e.parcours.code

    def dehydrate_redoublement(self, e):
        return flag(e.redoublement)

    def dehydrate_amenagement(self, e):
        return flag(e.amenagement)


class GradeResource(ContractResource):
    """import_grades: numero, annee, semestre, code, evaluation, coefficient, date, note."""

    numero, annee, semestre, code = _col("numero"), _col("annee"), _col("semestre"), _col("code")
    evaluation, coefficient, date, note = _col("evaluation"), _col("coefficient"), _col("date"), _col("note")
    select_related = ("enrolment__student", "enrolment__semester", "evaluation__enseignement")

    class Meta:
        model = Grade
        fields = ("numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note")

    def dehydrate_numero(self, g):
        return g.enrolment.student.numero

    def dehydrate_annee(self, g):
        return g.enrolment.annee

    def dehydrate_semestre(self, g):
        return str(g.enrolment.semester.number)

    def dehydrate_code(self, g):
        return g.evaluation.enseignement.code

    def dehydrate_evaluation(self, g):
        return g.evaluation.label

    def dehydrate_coefficient(self, g):
        return decimal_text(g.evaluation.weight)

    def dehydrate_date(self, g):
        return day_cell(g.evaluation.date)

    def dehydrate_note(self, g):
        return grade_text(g)


class EvaluationResource(ContractResource):
    code, annee, evaluation, date, coefficient = _col("code"), _col("annee"), _col("evaluation"), _col("date"), _col(
        "coefficient")
    select_related = ("enseignement",)

    class Meta:
        model = Evaluation
        fields = ("code", "annee", "evaluation", "date", "coefficient")

    def dehydrate_code(self, e):
        return e.enseignement.code

    def dehydrate_annee(self, e):
        return e.annee

    def dehydrate_evaluation(self, e):
        return e.label

    def dehydrate_date(self, e):
        return day_cell(e.date)

    def dehydrate_coefficient(self, e):
        return decimal_text(e.weight)


class AbsenceResource(ContractResource):
    """import_absences: numero, debut, fin, declaree_le, justificatif_le, motif (+ canal, heures, activite)."""

    numero, debut, fin, declaree_le = _col("numero"), _col("debut"), _col("fin"), _col("declaree_le")
    justificatif_le, motif, canal = _col("justificatif_le"), _col("motif"), _col("canal")
    heures, activite = _col("heures"), _col("activite")
    select_related = ("student",)

    class Meta:
        model = Absence
        fields = ("numero", "debut", "fin", "declaree_le", "justificatif_le", "motif", "canal", "heures", "activite")

    def dehydrate_numero(self, a):
        return a.student.numero

    def dehydrate_debut(self, a):
        return paris_text(a.start)

    def dehydrate_fin(self, a):
        return paris_text(a.end)

    def dehydrate_declaree_le(self, a):
        return paris_text(a.declared_at)

    def dehydrate_justificatif_le(self, a):
        return paris_text(a.justificatif_at)

    def dehydrate_motif(self, a):
        return a.reason

    def dehydrate_canal(self, a):
        return a.channel

    def dehydrate_heures(self, a):
        return decimal_text(a.hours)

    def dehydrate_activite(self, a):
        return a.activity


class StageResource(ContractResource):
    """import_stages: numero, annee, semestre, debut, fin, entreprise, etranger."""

    numero, annee, semestre, debut, fin = _col("numero"), _col("annee"), _col("semestre"), _col("debut"), _col("fin")
    entreprise, etranger = _col("entreprise"), _col("etranger")
    select_related = ("enrolment__student", "enrolment__semester")

    class Meta:
        model = Stage
        fields = ("numero", "annee", "semestre", "debut", "fin", "entreprise", "etranger")

    def dehydrate_numero(self, s):
        return s.enrolment.student.numero

    def dehydrate_annee(self, s):
        return s.enrolment.annee

    def dehydrate_semestre(self, s):
        return str(s.enrolment.semester.number)

    def dehydrate_debut(self, s):
        return day_cell(s.start)

    def dehydrate_fin(self, s):
        return day_cell(s.end)

    def dehydrate_entreprise(self, s):
        return s.company

    def dehydrate_etranger(self, s):
        return flag(s.abroad)


class MobilityResource(ContractResource):
    """import_mobility: numero, annee, semestre, etablissement."""

    numero, annee, semestre, etablissement = _col("numero"), _col("annee"), _col("semestre"), _col("etablissement")
    select_related = ("enrolment__student", "enrolment__semester")

    class Meta:
        model = Mobility
        fields = ("numero", "annee", "semestre", "etablissement")

    def dehydrate_numero(self, m):
        return m.enrolment.student.numero

    def dehydrate_annee(self, m):
        return m.enrolment.annee

    def dehydrate_semestre(self, m):
        return str(m.enrolment.semester.number)

    def dehydrate_etablissement(self, m):
        return m.institution


class FraudCaseResource(ContractResource):
    """No import contract: a record of the procès-verbaux (F1) for the department's files."""

    numero, date, evaluation, faits = _col("numero"), _col("date"), _col("evaluation"), _col("faits")
    saisine, sanction, debut_sanction = _col("saisine"), _col("sanction"), _col("debut_sanction")
    fin_sanction, sursis, clos = _col("fin_sanction"), _col("sursis"), _col("clos")
    select_related = ("student", "evaluation__enseignement")

    class Meta:
        model = FraudCase
        fields = ("numero", "date", "evaluation", "faits", "saisine", "sanction", "debut_sanction", "fin_sanction",
                  "sursis", "clos")

    def dehydrate_numero(self, f):
        return f.student.numero

    def dehydrate_date(self, f):
        return day_cell(f.date)

    def dehydrate_evaluation(self, f):
        return f"{f.evaluation.enseignement.code} {f.evaluation.label} {f.evaluation.annee}" if f.evaluation else ""

    def dehydrate_faits(self, f):
        return f.facts

    def dehydrate_saisine(self, f):
        return flag(f.referred)

    def dehydrate_sanction(self, f):
        return f.sanction

    def dehydrate_debut_sanction(self, f):
        return day_cell(f.sanction_start)

    def dehydrate_fin_sanction(self, f):
        return day_cell(f.sanction_end)

    def dehydrate_sursis(self, f):
        return flag(f.sursis)

    def dehydrate_clos(self, f):
        return flag(f.closed)
