"""Template files of every import (issue 14): downloadable where the import is, made from the
importer's own column definitions, and read back by the import as they are."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from juries.importers.columns import COLUMNS, required
from juries.importers.tabular import read_table
from juries.services.decisions_import import import_decisions_file
from juries.services.imports import KINDS, import_file

pytestmark = pytest.mark.django_db

PAGES = {"enrolments": "enrolment", "grades": "grade", "absences": "absence", "stages": "stage",
         "mobility": "mobility", "decisions": "jurydecision"}


def test_every_import_has_a_template_and_its_required_columns_come_from_one_place():
    assert set(PAGES) == set(COLUMNS) == set(KINDS) | {"decisions"}
    for kind, (_title, needed) in KINDS.items():
        assert needed == required(kind)


@pytest.mark.parametrize("kind", sorted(PAGES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_is_downloadable_from_the_import_page_and_reads_back(admin_client, maquette, kind, fmt):
    page = admin_client.get(reverse(f"admin:juries_{PAGES[kind]}_contract_import")).content.decode()
    url = reverse(f"admin:juries_{PAGES[kind]}_contract_template", args=[fmt])
    assert url in page
    response = admin_client.get(url)
    assert response.status_code == 200 and f"modele-{kind}.{fmt}" in response["Content-Disposition"]
    data = response.content
    names = [c.name for c in COLUMNS[kind]]
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        assert [c.value for c in ws[1]] == names
        assert all(c.comment is not None and ("Obligatoire" in c.comment.text or "Facultative" in c.comment.text)
                   for c in ws[1])
    else:
        assert data.decode("utf-8-sig").splitlines()[0].split(";") == names
    assert read_table(data, f"modele.{fmt}", required=required(kind)) == []
    if kind == "decisions":
        report = import_decisions_file(data=data, filename=f"modele.{fmt}", dry_run=True)
    else:
        report = import_file(kind=kind, data=data, filename=f"modele.{fmt}", dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
