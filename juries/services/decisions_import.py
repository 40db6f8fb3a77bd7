"""The one write path of import_decisions (docs/formats.md): command and admin both call it.

All or nothing: every row is validated (and every (student, jury) settled through the engine)
before anything is written, in one transaction; the history records the importing user, and each
decision says « reprise » and the file's name (docs/reglement.md, decision codes).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from juries.importers import decisions
from juries.importers.base import ImportReport
from juries.importers.errors import ImportFailed
from juries.importers.tabular import merge_formula_errors, read_table

TITLE = "Décisions de jury (reprise)"
#: The account the command records when no `--user` is given: the history must name someone.
SYSTEM_USERNAME = "reprise-import"


def system_user():
    """The inactive account that imports made from the command line are recorded under."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Reprise", "last_name": "des décisions (commande)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_decisions_file(*, data: bytes, filename: str, dry_run: bool = False, user=None) -> ImportReport:
    """Reads, validates every row, then writes everything or nothing (raises ImportFailed)."""
    rows = read_table(data, filename, required=decisions.REQUIRED)
    report = ImportReport(kind=TITLE, dry_run=dry_run)
    with transaction.atomic():
        plan, errors = decisions.validate(rows)
        errors = merge_formula_errors(rows, errors)
        if errors:
            raise ImportFailed(sorted(errors, key=lambda e: (e.line or 0)))
        assert plan is not None  # validate() withholds the plan only with an error
        decisions.apply(plan, report, user=user or system_user(), filename=filename)
        if dry_run:
            transaction.set_rollback(True)
    return report
