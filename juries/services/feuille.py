"""Feuille de notes: an XLSX for one enseignement (and group) and year, filled offline, uploaded back.

The uploaded sheet is turned into import_grades rows (docs/formats.md long format) and goes through
`import_rows`, the one write path of every import: same validation, all or nothing. Its faults
are mapped back to the cells of the sheet (``D9``). An empty cell is "not graded yet": skipped,
and a grade already recorded is kept. A hidden sheet remembers each grade's version at download,
so a sheet filled while someone changed a grade in the application cannot overwrite it.
Over 400 lines because the download, the upload and the mapping of faults back to cells share
the sheet's layout (columns, rows, the hidden versions sheet), which lives here once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction

from juries.importers.base import ImportReport
from juries.importers.errors import ImportFailed, RowError
from juries.importers.parsing import CellError, normalise_code, parse_date, parse_decimal, parse_grade
from juries.importers.tabular import (
    MAX_COLUMNS,
    Row,
    column_letter,
    merge_formula_errors,
    normalise_header,
    read_grid,
    within_budget,
)
from juries.models import Enseignement, Evaluation, Grade
from juries.rules.french import moyenne_fr
from juries.services.exports import set_cell
from juries.services.grade_entry import enrolments_for, grade_row, same_grade, save_evaluation
from juries.services.imports import import_rows

HIDDEN_SHEET = "qlio"
HEADER_ROW = 5  # Numéro | Nom | Prénom | one column per evaluation
DATE_ROW = 6
WEIGHT_ROW = 7
FIRST_STUDENT_ROW = 8
FIRST_EVALUATION_COLUMN = 3  # D
HEADERS = ("Numéro", "Nom", "Prénom")
INSTRUCTIONS = (
    "Notes de 0 à 20 (12,5 ou 12.5, deux décimales au plus), ou ABI (absence injustifiée), "
    "ABJ (absence justifiée), ABS (absence, résolue en ABI/ABJ par le registre des absences). "
    "Case vide : pas encore noté — une note déjà enregistrée n'est pas effacée. "
    "Nouvelle évaluation : ajouter une colonne avec son intitulé (ligne 5), sa date (ligne 6) et son coefficient (ligne 7)."
)


#: A feuille lists the students of one enseignement: far fewer rows than an import may hold.
MAX_FEUILLE_ROWS = 2000


def filename_for(*, enseignement: Enseignement, annee: str, group: str = "") -> str:
    parts = ["feuille", enseignement.code, annee] + ([group] if group else [])
    return "_".join(p.replace(" ", "-") for p in parts) + ".xlsx"


def _evaluations(enseignement: Enseignement, annee: str) -> list[Evaluation]:
    evs = list(Evaluation.objects.filter(enseignement=enseignement, annee=annee))
    return sorted(evs, key=lambda e: (e.date is None, e.date or "", e.label))


def _label_key(label: str) -> str:
    return normalise_header(label)


# --------------------------------------------------------------------------- download


def build_feuille(*, enseignement: Enseignement, annee: str, group: str = "") -> bytes:
    """The XLSX: title rows, then one row per enrolled student and one column per evaluation,
    pre-filled with the grades already recorded."""
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    enrolments = list(enrolments_for(enseignement=enseignement, annee=annee, group=group))
    evaluations = _evaluations(enseignement, annee)
    grades = {
        (g.enrolment_id, g.evaluation_id): g
        for g in Grade.objects.filter(evaluation__in=evaluations, enrolment__in=enrolments)
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "Notes"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    meta_fill = PatternFill("solid", fgColor="F2F2F2")
    # Text cells (set_cell): a name or label starting with "-" or "=" cannot run, and shows no quote.
    ws["A1"], ws["B1"] = "Enseignement", enseignement.display_code
    set_cell(ws["C1"], enseignement.name)
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "Année", annee, "Groupe", group or "tous"
    last_col = max(8, FIRST_EVALUATION_COLUMN + len(evaluations))
    ws["A3"] = INSTRUCTIONS
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last_col)
    for cell in ("A1", "B1", "A2", "B2", "C2", "D2"):
        ws[cell].font = bold
    # Headers are read case- and accent-insensitively: files written before the accents still import.
    for col, text in enumerate(HEADERS, start=1):
        ws.cell(HEADER_ROW, col, text).font = bold
        ws.cell(HEADER_ROW, col).fill = head_fill
    ws.cell(DATE_ROW, 1, "Date (JJ/MM/AAAA)").font = bold
    ws.cell(WEIGHT_ROW, 1, "Coefficient").font = bold
    for r in (DATE_ROW, WEIGHT_ROW):
        for c in range(1, FIRST_EVALUATION_COLUMN + 1):
            ws.cell(r, c).fill = meta_fill
    for i, ev in enumerate(evaluations):
        col = FIRST_EVALUATION_COLUMN + 1 + i
        set_cell(ws.cell(HEADER_ROW, col), ev.label)
        ws.cell(HEADER_ROW, col).font = bold
        ws.cell(HEADER_ROW, col).fill = head_fill
        if ev.date:
            ws.cell(DATE_ROW, col, ev.date).number_format = "DD/MM/YYYY"
        ws.cell(WEIGHT_ROW, col, ev.weight).number_format = "0.##"
        ws.cell(DATE_ROW, col).fill = meta_fill
        ws.cell(WEIGHT_ROW, col).fill = meta_fill
        ws.column_dimensions[get_column_letter(col)].width = min(max(12, len(ev.label) + 2), 40)
    hidden = wb.create_sheet(HIDDEN_SHEET)
    hidden.append(["enseignement", enseignement.code, "annee", annee, "groupe", group])
    hidden.append(["numero", "evaluation", "version", "note"])
    for r, e in enumerate(enrolments, start=FIRST_STUDENT_ROW):
        ws.cell(r, 1, e.student.numero).number_format = "@"
        set_cell(ws.cell(r, 2), e.student.nom)
        set_cell(ws.cell(r, 3), e.student.prenom)
        for i, ev in enumerate(evaluations):
            g = grades.get((e.pk, ev.pk))
            if g is None:
                continue
            cell = ws.cell(r, FIRST_EVALUATION_COLUMN + 1 + i, g.mark or g.value)
            if not g.mark:
                cell.number_format = "0.00"
            hidden.append([e.student.numero, None, g.version, g.mark or f"{g.value}"])
            set_cell(hidden.cell(hidden.max_row, 2), ev.label)  # a label "=1+1" must stay a text
    hidden.sheet_state = "hidden"
    widths = {"A": 18, "B": max(22, *(len(e.student.nom) + 2 for e in enrolments)) if enrolments else 22,
              "C": max(18, *(len(e.student.prenom) + 2 for e in enrolments)) if enrolments else 18}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = min(width, 40)
    for c in range(FIRST_EVALUATION_COLUMN + 1 + len(evaluations), last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12  # room for new evaluations
    # The instructions wrap in the merged row 3: give it the lines they need.
    merged_width = sum(ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, last_col + 1))
    ws.row_dimensions[3].height = 15 * (len(INSTRUCTIONS) // max(int(merged_width * 1.1), 1) + 2)
    _grade_validation(ws, first_col=FIRST_EVALUATION_COLUMN + 1, last_col=last_col,
                      last_row=FIRST_STUDENT_ROW + max(len(enrolments), 1) - 1)
    # One page wide, landscape, the header rows (evaluations, dates, coefficients) on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{WEIGHT_ROW}"
    ws.print_options.gridLines = True
    ws.freeze_panes = ws.cell(FIRST_STUDENT_ROW, FIRST_EVALUATION_COLUMN + 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _grade_validation(ws, *, first_col: int, last_col: int, last_row: int) -> None:
    """Grade cells accept 0 to 20 or ABI / ABJ / ABS; a French message shows when a cell is
    selected. A warning, not a stop: the upload checks every cell anyway (`12.5` typed as text in
    a French spreadsheet is still a grade there)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    top_left = f"{get_column_letter(first_col)}{FIRST_STUDENT_ROW}"
    formula = (f"OR(AND(ISNUMBER({top_left}),{top_left}>=0,{top_left}<=20),"
               f'UPPER({top_left})="ABI",UPPER({top_left})="ABJ",UPPER({top_left})="ABS")')
    dv = DataValidation(type="custom", formula1=formula, allow_blank=True, showInputMessage=True,
                        showErrorMessage=True, errorStyle="warning")
    dv.promptTitle = "Note sur 20"
    dv.prompt = "De 0 à 20 (deux décimales au plus), ou ABI, ABJ, ABS. Case vide : pas encore noté."
    dv.errorTitle = "Note non valide"
    dv.error = "Une note va de 0 à 20 (deux décimales au plus), ou ABI, ABJ, ABS."
    dv.add(f"{top_left}:{get_column_letter(last_col)}{last_row}")
    ws.add_data_validation(dv)


# --------------------------------------------------------------------------- upload


#: A column where at least this many recorded grades change, and at least half of them, gets
#: the warning of a sorted column (grades moved away from their students).
MASS_CHANGE_MIN = 3


@dataclass(frozen=True)
class GradeChange:
    """One grade the upload writes: `old` is empty for a new grade."""

    numero: str
    student: str  # "NOM Prénom"
    evaluation: str
    old: str
    new: str


@dataclass(frozen=True)
class MassChange:
    """A column where many recorded grades change at once."""

    evaluation: str
    changed: int
    recorded: int
    permutation: bool  # the new grades are the old ones in another order: a column sorted alone


@dataclass
class FeuilleOutcome:
    report: ImportReport
    created_evaluations: list[str] = field(default_factory=list)
    updated_evaluations: list[str] = field(default_factory=list)
    kept: int = 0  # empty cells where a grade is recorded: the grade is kept
    unchanged_since_download: int = 0
    dry_run: bool = False
    changes: list[GradeChange] = field(default_factory=list)
    mass_changes: list[MassChange] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # students of the sheet whose row was deleted

    @property
    def writes_something(self) -> bool:
        return bool(self.changes or self.created_evaluations or self.updated_evaluations)


@dataclass
class _Column:
    index: int
    label: str
    existing: Evaluation | None
    day: str = ""
    weight: str = ""
    has_grades: bool = False


@dataclass
class _Sheet:
    grid: list[list[str]]
    header_row: int  # 1-based sheet rows
    date_row: int | None
    weight_row: int | None

    def text(self, row: int, col: int) -> str:
        cells = self.grid[row - 1] if 0 < row <= len(self.grid) else []
        return cells[col].strip() if col < len(cells) else ""


def _cell(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def _error(errors: list[RowError], row: int, col: int | None, column: str | None, message: str) -> None:
    errors.append(RowError(row, column, message, cell=_cell(row, col) if col is not None else None))


def _locate(grid: list[list[str]]) -> _Sheet:
    for i, cells in enumerate(grid[:30], start=1):
        if cells and normalise_header(cells[0]) == "numero":
            sheet = _Sheet(grid, i, None, None)
            nxt = i + 1
            if normalise_header(sheet.text(nxt, 0)).startswith("date"):
                sheet.date_row, nxt = nxt, nxt + 1
            if normalise_header(sheet.text(nxt, 0)).startswith("coef"):
                sheet.weight_row = nxt
            return sheet
    raise ImportFailed([RowError(None, None, "Feuille non reconnue : la ligne d'en-tête « Numéro | Nom | Prénom | "
                                             "évaluations » est introuvable. Partir de la feuille téléchargée.")])


def _check_identity(sheet: _Sheet, enseignement: Enseignement, annee: str) -> None:
    for r in range(1, sheet.header_row):
        key, value = normalise_header(sheet.text(r, 0)), sheet.text(r, 1)
        if not value:
            continue
        if key == "enseignement" and normalise_code(value) != enseignement.code:
            raise ImportFailed([RowError(r, None, f"cette feuille est celle de {value}, pas de "
                                                  f"{enseignement.display_code} : la déposer sur la page de {value}",
                                         cell=_cell(r, 1))])
        if key == "annee" and value != annee:
            raise ImportFailed([RowError(r, None, f"cette feuille est celle de l'année {value}, pas de {annee}",
                                         cell=_cell(r, 1))])


def _sheet_group(sheet: _Sheet) -> str:
    """The group the sheet was downloaded for (row 2: « Groupe | G1 », « tous » for every student)."""
    for r in range(1, sheet.header_row):
        cells = sheet.grid[r - 1] if r <= len(sheet.grid) else []
        for i, text in enumerate(cells[:-1]):
            if normalise_header(text) == "groupe":
                value = cells[i + 1].strip()
                return "" if normalise_header(value) == "tous" else value
    return ""


def _display(text: str) -> str:
    """A grade as the application shows it (`12,50`, `ABI`), or the text as typed when it is none."""
    try:
        value, mark = parse_grade(text)
    except CellError:
        return text
    return mark or moyenne_fr(value)


def _mass_changes(changes: list[GradeChange], recorded: dict[str, list[str]]) -> list[MassChange]:
    out = []
    for label, old_grades in recorded.items():
        moved = [c for c in changes if c.evaluation == label and c.old]
        if len(moved) >= MASS_CHANGE_MIN and 2 * len(moved) >= len(old_grades):
            permutation = sorted(c.old for c in moved) == sorted(c.new for c in moved)
            out.append(MassChange(label, len(moved), len(old_grades), permutation))
    return out


def _downloaded_state(data: bytes) -> dict[tuple[str, str], tuple[int, str]] | None:
    """(numero, label key) → (version, grade) at download, from the hidden sheet; None if absent."""
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return None
    try:
        if HIDDEN_SHEET not in wb.sheetnames:
            return None
        out = {}
        try:
            # Bounded like the visible sheet: one row per student and evaluation, four columns.
            limit = 2 + MAX_FEUILLE_ROWS * MAX_COLUMNS
            rows = wb[HIDDEN_SHEET].iter_rows(min_row=3, max_row=limit, max_col=4, values_only=True)
            for row in within_budget(rows):
                if not row or len(row) < 4 or row[0] is None or row[1] is None:
                    continue
                try:
                    out[(str(row[0]).strip(), _label_key(str(row[1])))] = (int(row[2]), str(row[3]))
                except (TypeError, ValueError):
                    continue
        except ImportFailed:
            raise
        except Exception:
            # Parsed while read (openpyxl's read-only mode): a truncated or hostile hidden sheet.
            raise ImportFailed([RowError(None, None, "Fichier XLSX illisible ou corrompu : la feuille cachée "
                                                     "de la feuille de notes ne peut pas être lue.")]) from None
        return out
    finally:
        wb.close()


def _columns(sheet: _Sheet, evaluations: list[Evaluation], errors: list[RowError]) -> list[_Column]:
    stored = {_label_key(e.label): e for e in evaluations}
    width = max((len(r) for r in sheet.grid), default=0)
    columns: list[_Column] = []
    seen: dict[str, int] = {}
    for c in range(FIRST_EVALUATION_COLUMN, width):
        raw = sheet.text(sheet.header_row, c)  # read_grid drops the export's neutralising quote
        day = sheet.text(sheet.date_row, c) if sheet.date_row else ""
        weight = sheet.text(sheet.weight_row, c) if sheet.weight_row else ""
        has_grades = any(sheet.text(r, c) for r in range(_first_student_row(sheet), len(sheet.grid) + 1))
        if not raw:
            if has_grades or day or weight:
                _error(errors, sheet.header_row, c, None,
                       "colonne sans intitulé d'évaluation : écrire l'intitulé ou vider la colonne")
            continue
        key = _label_key(raw)
        if key in seen:
            _error(errors, sheet.header_row, c, raw,
                   f"évaluation « {raw} » en double (déjà en colonne {column_letter(seen[key])})")
            continue
        seen[key] = c
        if len(raw) > 100:
            _error(errors, sheet.header_row, c, raw, "intitulé trop long (100 caractères au plus)")
            continue
        existing = stored.get(key)
        col = _Column(c, existing.label if existing else raw, existing, has_grades=has_grades)
        if day and sheet.date_row:  # a day is read only from a date row
            try:
                parse_date(day)
                col.day = day
            except CellError as exc:
                _error(errors, sheet.date_row, c, col.label, str(exc))
        if weight and sheet.weight_row:
            try:
                parse_decimal(weight, what="le coefficient")
                col.weight = weight
            except CellError as exc:
                _error(errors, sheet.weight_row, c, col.label, str(exc))
        columns.append(col)
    return columns


def _first_student_row(sheet: _Sheet) -> int:
    return max(sheet.header_row, sheet.date_row or 0, sheet.weight_row or 0) + 1


def upload_feuille(*, enseignement: Enseignement, annee: str, data: bytes, filename: str, user,
                   dry_run: bool = False) -> FeuilleOutcome:
    """Reads a filled feuille de notes and writes it through `import_rows`, all or nothing.

    Raises ImportFailed whose errors name the cells (``RowError.cell``) when anything is wrong.
    """
    if filename and not filename.lower().endswith((".xlsx", ".csv")):
        raise ImportFailed([RowError(None, None, "Type de fichier refusé : enregistrer la feuille au format .xlsx "
                                                 "(Excel) avant de la déposer.")])
    grid = read_grid(data, filename, max_rows=MAX_FEUILLE_ROWS)
    sheet = _locate(grid)
    _check_identity(sheet, enseignement, annee)
    evaluations = _evaluations(enseignement, annee)
    errors: list[RowError] = []
    columns = _columns(sheet, evaluations, errors)
    downloaded = _downloaded_state(data) if data.startswith(b"PK") else None
    semester = enseignement.semester.number
    enrolled = {e.student.numero: e for e in enrolments_for(enseignement=enseignement, annee=annee)}
    current = {
        (g.enrolment.student.numero, g.evaluation_id): g
        for g in Grade.objects.filter(evaluation__in=evaluations, enrolment__in=enrolled.values())
        .select_related("enrolment__student")
    }
    outcome = FeuilleOutcome(report=ImportReport(kind="Notes", dry_run=dry_run), dry_run=dry_run)
    rows: list[Row] = []
    places: dict[int, tuple[int, _Column]] = {}  # row line in `rows` -> (sheet row, column)
    numeros: dict[str, int] = {}
    for r in range(_first_student_row(sheet), len(grid) + 1):
        numero = sheet.text(r, 0)
        filled = [(col, sheet.text(r, col.index)) for col in columns if sheet.text(r, col.index)]
        if not numero:
            if filled:
                _error(errors, r, 0, "numero", "numéro étudiant manquant sur une ligne qui porte des notes")
            continue
        if numero in numeros:
            _error(errors, r, 0, "numero", f"étudiant {numero} en double (déjà ligne {numeros[numero]})")
            continue
        numeros[numero] = r
        for col in columns:
            text = sheet.text(r, col.index)
            stored = current.get((numero, col.existing.pk)) if col.existing else None
            if not text:
                if stored is not None:
                    outcome.kept += 1
                continue
            if downloaded is not None and col.existing is not None:
                before = downloaded.get((numero, _label_key(col.label)))
                if before is not None and same_grade(text, before[1]):
                    outcome.unchanged_since_download += 1
                    continue  # not touched in the sheet: never revert a change made in the application
                if stored is not None and (before is None or before[0] != stored.version) and not same_grade(
                        text, stored.display):
                    _error(errors, r, col.index, col.label,
                           f"la note a été modifiée dans l'application depuis le téléchargement de la feuille "
                           f"(enregistrée : {stored.display}) : retélécharger la feuille, ou saisir la note en ligne")
                    continue
            if stored is None or not same_grade(text, stored.display):
                student = enrolled.get(numero)
                name = f"{student.student.nom} {student.student.prenom}" if student else ""
                outcome.changes.append(GradeChange(numero, name, col.label, stored.display if stored else "",
                                                   _display(text)))
            line = len(rows) + 2
            places[line] = (r, col)
            rows.append(grade_row(line=line, numero=numero, annee=annee, semestre=semester, code=enseignement.code,
                                  label=col.label, note=text, day=col.day, coefficient=col.weight))
    for col in columns:
        col.has_grades = any(p[1] is col for p in places.values())
    recorded: dict[str, list[str]] = {}
    for (_numero, ev_id), g in current.items():
        label = next((c.label for c in columns if c.existing is not None and c.existing.pk == ev_id), None)
        if label is not None:
            recorded.setdefault(label, []).append(g.display)
    outcome.mass_changes = _mass_changes(outcome.changes, recorded)
    outcome.removed = [
        f"{e.student.nom} {e.student.prenom} ({e.student.numero})"
        for e in enrolments_for(enseignement=enseignement, annee=annee, group=_sheet_group(sheet))
        if e.student.numero not in numeros
    ]
    omitted = 0
    with transaction.atomic():
        try:
            report = import_rows(kind="grades", rows=rows, dry_run=dry_run or bool(errors or grid.formula_errors),
                                 user=user) if rows else None
        except ImportFailed as exc:
            errors += [_map(err, places, sheet) for err in exc.listed]
            omitted = exc.omitted
            report = None
        errors = merge_formula_errors(grid, errors)
        if errors:
            raise ImportFailed(_sorted_unique(errors), omitted=omitted)
        if report is not None:
            report.dry_run = dry_run
            outcome.report = report
        _sync_columns_without_grades(columns, enseignement, annee, outcome, user, dry_run)
        if dry_run:
            transaction.set_rollback(True)
    for col in columns:
        if col.existing is None and col.has_grades:
            outcome.created_evaluations.append(col.label)
    return outcome


def _sync_columns_without_grades(columns: list[_Column], enseignement: Enseignement, annee: str,
                                 outcome: FeuilleOutcome, user, dry_run: bool) -> None:
    """A new column without any grade yet still creates its evaluation; a date or coefficient changed
    in a column without grades still updates it (columns with grades go through import_rows)."""
    for col in columns:
        if col.has_grades:
            continue
        day = parse_date(col.day) if col.day else None
        weight = parse_decimal(col.weight, what="le coefficient") if col.weight else None
        ev = col.existing or Evaluation(enseignement=enseignement, annee=annee, label=col.label)
        change = save_evaluation(ev, day=day, weight=weight, by=user, dry_run=dry_run)
        if change == "created":
            outcome.created_evaluations.append(col.label)
        elif change == "updated":
            outcome.updated_evaluations.append(col.label)


def _map(err: RowError, places: dict[int, tuple[int, _Column]], sheet: _Sheet) -> RowError:
    """An error of the long-format rows, put back on the cell of the sheet it came from."""
    place = places.get(err.line or 0)
    if place is None:
        return err
    row, col = place
    key = err.column
    if key == "numero":
        return RowError(row, "numero", err.message, cell=_cell(row, 0))
    if key == "date":
        target = sheet.date_row or sheet.header_row
        return RowError(target, col.label, err.message, cell=_cell(target, col.index))
    if key == "coefficient":
        target = sheet.weight_row or sheet.header_row
        return RowError(target, col.label, err.message, cell=_cell(target, col.index))
    if key == "evaluation":
        return RowError(sheet.header_row, col.label, err.message, cell=_cell(sheet.header_row, col.index))
    if key is None:
        return RowError(row, None, err.message)
    return RowError(row, col.label, err.message, cell=_cell(row, col.index))


def _sorted_unique(errors: list[RowError]) -> list[RowError]:
    seen, out = set(), []
    for e in errors:
        key = (e.cell, e.message) if e.cell else (None, e.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return sorted(out, key=lambda e: (e.line or 0, len(e.cell or ""), e.cell or ""))
