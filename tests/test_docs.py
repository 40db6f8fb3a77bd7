"""The documentation cannot drift from the code.

Every rule id of the engine has its entry in docs/reglement.md and on the Règlement page; every
management command and every import column is in docs/formats.md; every example file of
docs/exemples/ imports cleanly with its command; every relative link of the docs resolves.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.template import Context, Template

from juries import roles
from juries.models import ReglementSettings
from juries.rules.settings import DEFAULT_SETTINGS
from tests.factories import StudentFactory, make_user

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "exemples"
REGLEMENT = (DOCS / "reglement.md").read_text(encoding="utf-8")
FORMATS = (DOCS / "formats.md").read_text(encoding="utf-8")

# Each rule is implemented in one function whose docstring starts with its id (STYLE.md §1).
_DOCSTRING_ID = re.compile(r'"""([A-Z]+\d*) —')
ENGINE_RULE_IDS = sorted(
    {m for f in (ROOT / "juries" / "rules").glob("*.py") for m in _DOCSTRING_ID.findall(f.read_text(encoding="utf-8"))}
    | {"DEF", "DEM"}
)

# The examples, in the order they build on each other (enrolments first, decisions last).
EXAMPLE_COMMANDS = [
    ("inscriptions.csv", "import_enrolments"),
    ("notes.csv", "import_grades"),
    ("absences.csv", "import_absences"),
    ("stages.csv", "import_stages"),
    ("mobilites.csv", "import_mobility"),
    ("decisions.csv", "import_decisions"),
]

# The import formats' columns (the contract's tables); the importers' own columns are read below.
CONTRACT_COLUMNS = {
    "import_enrolments": ["numero", "nom", "prenom", "email", "regime", "annee", "semestre", "parcours",
                          "redoublement", "amenagement", "statut"],
    "import_grades": ["numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note"],
    "import_absences": ["numero", "debut", "fin", "declaree_le", "justificatif_le", "motif"],
    "import_stages": ["numero", "annee", "semestre", "debut", "fin", "entreprise", "etranger"],
    "import_mobility": ["numero", "annee", "semestre", "etablissement"],
    "import_decisions": ["numero", "annee", "semestre", "objet", "code", "moyenne", "date_jury"],
}


def page(client, url: str) -> str:
    """The page as a reader sees it (entities such as &#x27; unescaped)."""
    return html_lib.unescape(client.get(url).content.decode())


def run(command: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- the règlement


def test_the_engine_cites_rule_ids():
    assert {"A1", "C2", "P2", "R2", "V5", "DEF", "DEM"} <= set(ENGINE_RULE_IDS)


@pytest.mark.parametrize("rule_id", ENGINE_RULE_IDS)
def test_every_rule_of_the_engine_has_an_entry_in_reglement_md(rule_id):
    entry = re.search(rf'^### <a id="{rule_id}"></a>{rule_id} — .+?(?=^### |^## |\Z)', REGLEMENT, re.M | re.S)
    assert entry, f"docs/reglement.md n'a pas d'entrée « ### {rule_id} — … »"
    assert "« " in entry.group(0), f"{rule_id} : l'entrée doit citer le texte du règlement"
    assert "**Dans l'application.**" in entry.group(0), f"{rule_id} : l'entrée doit dire ce que fait l'application"


@pytest.mark.django_db
def test_the_reglement_page_lists_every_rule_with_its_anchor_and_words(client, maquette):
    client.force_login(make_user(roles.ETUDIANT, "lea"))
    html = page(client, "/reglement/")
    missing = [r for r in ENGINE_RULE_IDS if f'id="{r}"' not in html]
    assert not missing, f"règles absentes de la page Règlement : {missing}"
    # C2 with the seed's own words, and a reading chosen where the text is silent (P2).
    assert "sera acquise par compensation si et seulement si" in html
    assert "La moyenne a été obtenue" in html
    # The codes the motifs print, explained in the page's table.
    assert "<td class=\"left\">année</td>" in html and "PAS1NCI (passage par décision du jury" in html


@pytest.mark.django_db
def test_the_reglement_page_shows_the_settings_in_force(client, maquette):
    client.force_login(make_user(roles.JURY, "presidente"))
    labels = {"average": "RCUE de moyenne au moins 10, ou validés", "validated": "RCUE validés seulement"}
    chosen = "validated" if DEFAULT_SETTINGS.p2_counts == "average" else "average"
    ReglementSettings.objects.update_or_create(formation=maquette, defaults={"p2_counts": chosen,
                                                                              "justification_hours": 72})
    html = page(client, "/reglement/")
    p2 = html[html.index('id="P2"'):html.index('id="P3"')]
    assert labels[chosen] in p2 and f"(défaut : {labels[DEFAULT_SETTINGS.p2_counts]})" in p2
    a4 = html[html.index('id="A4"'):html.index('id="A5"')]
    assert "72 heures" in a4 and "(défaut : 48 heures)" in a4


def test_a_motif_s_rule_id_links_to_its_entry():
    template = Template("{% load reglement %}{{ m|rule_link }} / {{ other|rule_link }} / {{ bare|rule_link }}"
                        " / {{ unknown|rule_link }}")
    html = template.render(Context({"m": "C2: UE1 S1 compensée dans le RCUE Qualité niveau 1 (10,50) <b>",
                                    "other": "UE1 S1: pas une règle", "bare": "DEM", "unknown": "ATT: en attente"}))
    assert html.startswith('<a class="rule-link" href="/reglement/#C2"')
    assert ">C2</a>: UE1 S1 compensée" in html and "&lt;b&gt;" in html
    assert "/ UE1 S1: pas une règle /" in html
    assert '/ <a class="rule-link" href="/reglement/#DEM" title="Lire la règle DEM du règlement">DEM</a> /' in html
    assert html.endswith("/ ATT: en attente")


@pytest.mark.django_db
def test_every_page_links_to_the_reglement_and_to_the_role_s_guide(client, maquette):
    student = StudentFactory(numero="22000001", nom="Martin", prenom="Léa")
    student.user = make_user(roles.ETUDIANT, "lea")
    student.save()
    client.force_login(student.user)
    home = page(client, "/")
    assert 'href="/reglement/"' in home and 'href="/aide/"' in home
    guide = page(client, "/aide/")
    assert "Guide de l'étudiant·e" in guide and "Télécharger son relevé" in guide
    client.force_login(make_user(roles.SECRETARIAT, "sec", is_staff=True))
    assert "Saisir les notes d'une évaluation" in page(client, "/aide/")
    client.force_login(make_user(roles.JURY, "presidente"))
    assert "Délibérer" in page(client, "/aide/")
    assert client.get("/aide/inconnu/").status_code == 404


# --------------------------------------------------------------------------- formats


def _documented_columns() -> set[str]:
    """The first cell of every table row of formats.md: `numero, annee, semestre` gives three."""
    names = set()
    for line in FORMATS.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            first = line.split("|")[1]
            names |= {n.strip(" `") for n in first.split(",")}
    return names


def _importer_columns() -> set[str]:
    """The columns the importers read, as declared in juries/importers/ (required and optional)."""
    found = set()
    for f in (ROOT / "juries" / "importers").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        found |= set(re.findall(r'\.(?:cell|get)\("([a-z_]+)"', text))
        for tuple_text in re.findall(r"^[A-Z_]*REQUIRED\s*=\s*\(([^)]*)\)", text, re.M):
            found |= set(re.findall(r'"([a-z_]+)"', tuple_text))
    return found


def test_every_management_command_is_in_formats_md():
    commands = sorted(p.stem for p in (ROOT / "juries" / "management" / "commands").glob("*.py")
                      if not p.stem.startswith("_"))
    assert "import_grades" in commands
    missing = [c for c in commands if f"manage.py {c}" not in FORMATS]
    assert not missing, f"commandes absentes de docs/formats.md : {missing}"


def test_every_import_column_is_in_formats_md():
    documented = _documented_columns()
    columns = {c for cols in CONTRACT_COLUMNS.values() for c in cols} | _importer_columns()
    assert {"numero", "declaree_le", "statut"} <= columns
    missing = sorted(columns - documented)
    assert not missing, f"colonnes d'import absentes de docs/formats.md : {missing}"


def test_every_example_file_is_imported_by_the_tests():
    files = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file())
    assert files == sorted(name for name, _command in EXAMPLE_COMMANDS)


@pytest.mark.parametrize("name, command", EXAMPLE_COMMANDS, ids=[n for n, _c in EXAMPLE_COMMANDS])
@pytest.mark.django_db
def test_every_example_file_imports_cleanly(maquette, name, command):
    if command not in get_commands():
        pytest.skip(f"la commande {command} n'existe pas encore dans ce dépôt")
    for earlier, earlier_command in EXAMPLE_COMMANDS[: EXAMPLE_COMMANDS.index((name, command))]:
        if earlier_command in get_commands():
            code, _out, err = run(earlier_command, EXAMPLES / earlier)
            assert code == 0, err
    code, out, err = run(command, EXAMPLES / name)
    assert code == 0, f"{name} refusé par {command} :\n{err}"
    assert re.search(r" [1-9]\d* créations?, 0 modification", out), out
    # Re-importing the same file changes nothing (formats.md: idempotent).
    code, out, err = run(command, EXAMPLES / name)
    assert code == 0 and " 0 création, 0 modification" in out, out + err
    # The example's header is exactly the contract's columns.
    header = (EXAMPLES / name).read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert set(CONTRACT_COLUMNS[command]) <= set(header) | {"canal"}


@pytest.mark.django_db
def test_the_export_example_is_what_jury_proposals_gives_for_the_examples(maquette):
    if "import_decisions" not in get_commands():
        pytest.skip("la commande import_decisions n'existe pas encore dans ce dépôt")
    for name, command in EXAMPLE_COMMANDS:
        assert run(command, EXAMPLES / name)[0] == 0
    code, out, err = run("jury_proposals", "--annee", "2025-2026", "--semestre", 2)
    assert code == 0, err
    now = json.loads(out)
    example = json.loads((EXAMPLES / "sorties" / "propositions_S2_2025-2026.json").read_text(encoding="utf-8"))

    def facts(contract):
        return [(s["numero"], s["etat"], s["decision_annee"], s["passage"], s["ects_acquis"],
                 [(u["ue"], u["moyenne"], u["code"], u["ects"]) for u in s["ues"]],
                 [(r["competence"], r["niveau"], r["moyenne"], r["code"]) for r in s["rcues"]])
                for s in contract["etudiants"]]

    assert now["etat"] == example["etat"] == "delibere"
    assert facts(now) == facts(example)
    assert set(now["etudiants"][0]) == set(example["etudiants"][0])


# --------------------------------------------------------------------------- links


_LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: p.name)
def test_every_relative_link_resolves_inside_the_repository(path):
    broken = []
    for m in _LINK.finditer(path.read_text(encoding="utf-8")):
        target = m.group(1) or m.group(2)
        if re.match(r"^[a-z]+:", target) or target.startswith("#") or target.startswith("/"):
            continue  # a web address, an anchor of the same page, a page of the application
        resolved = (path.parent / target.split("#")[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert not broken, f"liens cassés dans {path.name} : {broken}"


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: p.name)
def test_the_docs_speak_of_the_product_not_of_how_it_was_made(path):
    text = path.read_text(encoding="utf-8")
    for words in ("issue #", "issue was silent", "../shared"):
        assert words not in text, f"{path.name} contient « {words} »"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/reglement/", "/aide/secretariat/", "/aide/jury/", "/aide/etudiant/"])
def test_the_documents_read_in_the_application_show_no_markdown_markup(client, maquette, url):
    client.force_login(make_user(roles.JURY, "presidente"))
    text = page(client, url)
    main = text[text.index("<main>"):]
    for markup in ("**", "`", "](", "\n#", "|---"):
        assert markup not in main, f"{url} montre « {markup} » tel quel"
