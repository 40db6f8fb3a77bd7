"""Jury pages: the list of juries, the proposals table, the pré-jury checks (thin views)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from juries import roles
from juries.models import Enrolment, JuryDecision
from juries.presenters.cells import FAMILIES, FAMILY_LABELS
from juries.presenters.jury_table import (
    SORTS,
    TableQuery,
    code_legend,
    filter_and_sort,
    load_jury_table,
    rows_html,
    valid_sort,
)
from juries.presenters.prejury import Access, load_prejury_checks, missing_by_enseignement
from juries.rules.codes import Code

from .jury_access import juries_for, jury_access

_CODES = {str(c) for c in Code}


@login_required
def jury_list(request):
    juries = list(juries_for(request.user).order_by("-annee", "semester__number"))
    if not juries and not (roles.is_secretariat(request.user) or roles.is_jury_member(request.user)):
        raise PermissionDenied("Aucun jury ne vous est ouvert.")
    students = {
        (row["annee"], row["semester"]): row["n"]
        for row in Enrolment.objects.values("annee", "semester").annotate(n=Count("id"))
    }
    decided = dict(JuryDecision.objects.values("jury").annotate(n=Count("id")).values_list("jury", "n"))
    items = [
        {"jury": j, "students": students.get((j.annee, j.semester_id), 0), "decided": decided.get(j.pk, 0),
         "president": j.president_id == request.user.pk}
        for j in juries
    ]
    return render(request, "jury/list.html", {"items": items, "is_secretariat": roles.is_secretariat(request.user)})


#: The GET parameters of the table's filters and sort: kept from the table to a student and back (the
#: table carries them once, static/jury.js adds them to its links; a student's page, on each link).
TABLE_PARAMS = ("alertes", "a_decider", "decision", "q", "tri", "sens")


def table_params(params) -> str:
    """The table's filters and sort of a query string, re-encoded ("" when none): what the links
    between the table and a student's page carry, so that neither loses the list being read."""
    kept = params.copy()
    for key in list(kept):
        if key not in TABLE_PARAMS:
            del kept[key]
    return kept.urlencode()


def table_query(g, table) -> TableQuery:
    """The filters and sort of the query string `g` (a QueryDict), unknown values dropped."""
    code = g.get("decision", "")
    return TableQuery(
        alerts_only=g.get("alertes") == "1", undecided_only=g.get("a_decider") == "1",
        code=code if code in _CODES else "", q=g.get("q", "").strip()[:100],
        sort=valid_sort(g.get("tri", "nom"), table), desc=g.get("sens") == "desc",
    )


def _sort_link(request, key: str, query: TableQuery) -> dict:
    params = request.GET.copy()
    params["tri"] = key
    active = query.sort == key
    if active and not query.desc:
        params["sens"] = "desc"
    else:
        params.pop("sens", None)
    return {"url": "?" + params.urlencode(), "mark": ("▼" if query.desc else "▲") if active else ""}


@login_required
def jury_table(request, pk: int):
    access = jury_access(request, pk)
    table = load_jury_table(access.jury)
    query = table_query(request.GET, table)
    rows = filter_and_sort(table, query)
    kept = table_params(request.GET)
    sorts = {key: _sort_link(request, key, query) for key in SORTS}
    ue_columns = [(c, _sort_link(request, c.key, query)) for c in table.ue_columns]
    rcue_columns = [(c, _sort_link(request, c.key, query)) for c in table.rcue_columns]
    # Identity (2), UEs, RCUEs, decision (1 or 2), ECTS, passage, absences, alerts: an alert line spans them.
    columns = 2 + len(ue_columns) + len(rcue_columns) + (2 if table.has_year_decision else 1) + 4
    return render(request, "jury/table.html", {
        "access": access, "jury": access.jury, "table": table, "rows": rows, "query": query, "sorts": sorts,
        "ue_columns": ue_columns, "rcue_columns": rcue_columns, "tab": "table",
        "legend": [{"family": f, "label": FAMILY_LABELS[f], "codes": codes} for f, codes in FAMILIES.items()],
        "codes": code_legend(rows),
        "filtered": len(rows) != table.students,
        "marks": len(ue_columns) + len(rcue_columns), "columns": columns,
        # The filters and sort, once for the whole table: static/jury.js adds them to the links to
        # the students (previous / next on a student's page walk the same list).
        "table_kept": f"?{kept}" if kept else "",
        "rows_html": rows_html(rows, year=table.has_year_decision, columns=columns),
    })


@login_required
def jury_checks(request, pk: int):
    access = jury_access(request, pk)
    # The items link to the pages that fix them, as far as this reader may open those pages.
    can = Access(secretariat=access.is_secretariat, admin=request.user.is_staff)
    checks = load_prejury_checks(access.jury, now=timezone.now(), access=can)
    return render(request, "jury/checks.html", {
        "access": access, "jury": access.jury, "checks": checks, "tab": "checks",
        "missing_groups": missing_by_enseignement(checks.missing),
    })
