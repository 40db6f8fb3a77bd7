"""The inputs' generation: the database itself counts the changes to what the engine reads.

A jury's run and a downloaded relevé are kept in the cache with the generation they were made at
(juries/selectors/generation.py); the generation must move on every change, whoever makes it — a
page, an import, the admin, a bulk update, raw SQL — so it is kept by triggers, not by the code:

- PostgreSQL: a statement trigger on every table of TABLES adds the writing transaction's id to
  ``juries_inputschange`` (once per transaction, no row shared between writers: no lock is
  taken that another writer waits for). The generation is ``n + count(juries_inputschange)``
  read in one statement: the set of committed changes only grows, so two readings that count the
  same number saw the same changes. Past 1,000 rows a reader folds them into ``n`` (one
  statement: the sum is unchanged).
- SQLite (one writer at a time): row triggers add one to ``n``.

`install` makes the row and the triggers that are missing; it runs from migration 0010 and after
every ``migrate`` and ``flush`` (post_migrate): SQLite drops a table's triggers when a migration
rebuilds the table, and a flush empties the row.
"""

from __future__ import annotations

import uuid

#: Every table a jury's run or a relevé is computed from (juries/selectors/jury.py, the maquette,
#: the relevés issued). Not here: the history tables (written with their table), the jury's
#: events, the feuille d'appel (its absences are in juries_absence), batches and mails.
TABLES = (
    "juries_formation", "juries_parcours", "juries_competence", "juries_level", "juries_semester",
    "juries_ue", "juries_enseignement", "juries_coefficient", "juries_student", "juries_enrolment",
    "juries_repeatauthorisation", "juries_jurysession", "juries_jurydecision", "juries_evaluation",
    "juries_grade", "juries_absence", "juries_stage", "juries_mobility", "juries_bipparticipation",
    "juries_fraudcase", "juries_reglementsettings", "juries_releve",
)
#: Tables of which only some columns are shown by what is kept: the names of the jury's deciders
#: and president (a sign-in, which writes last_login, moves nothing).
COLUMNS = {"auth_user": ("first_name", "last_name", "username")}

TRIGGER = "qlio_inputs_changed"
#: Past this many transactions recorded, a reader folds them into the counter.
FOLD_AT = 1000

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    INSERT INTO juries_inputschange (xact) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _watched() -> list[tuple[str, tuple[str, ...]]]:
    return [(t, ()) for t in TABLES] + list(COLUMNS.items())


def _sqlite_events(columns: tuple[str, ...]) -> list[str]:
    return [f"UPDATE OF {', '.join(columns)}"] if columns else ["INSERT", "UPDATE", "DELETE"]


def _missing(cursor, vendor: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(table, columns, event) of every trigger not there: on PostgreSQL one per table (event
    ""), on SQLite one per table and event, named after both."""
    if vendor == "postgresql":
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = %s", [TRIGGER])
        tables = {row[0] for row in cursor.fetchall()}
        return [(t, cols, "") for t, cols in _watched() if t not in tables]
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}%"])
    names = {row[0] for row in cursor.fetchall()}
    return [(t, cols, event) for t, cols in _watched() for event in _sqlite_events(cols)
            if _sqlite_name(t, event) not in names]


def _sqlite_name(table: str, event: str) -> str:
    return f"{TRIGGER}_{table}_{event.split()[0].lower()}"


def install(connection) -> None:
    """The generation row (a new epoch when it is missing) and every missing trigger."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM juries_inputsgeneration WHERE id = 1")
        if cursor.fetchone() is None:
            cursor.execute("INSERT INTO juries_inputsgeneration (id, epoch, n) VALUES (1, %s, 0)",
                           [uuid.uuid4().hex if vendor == "sqlite" else str(uuid.uuid4())])
        missing = _missing(cursor, vendor)
        if vendor == "postgresql" and missing:
            cursor.execute(_PG_FUNCTION)
        for table, columns, event in missing:
            if vendor == "postgresql":
                events = (f"UPDATE OF {', '.join(columns)}" if columns
                          else "INSERT OR UPDATE OR DELETE OR TRUNCATE")
                cursor.execute(f"CREATE TRIGGER {TRIGGER} AFTER {events} ON {table} "
                               f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()")
            else:
                cursor.execute(f"CREATE TRIGGER {_sqlite_name(table, event)} AFTER {event} ON {table} "
                               "FOR EACH ROW BEGIN UPDATE juries_inputsgeneration SET n = n + 1 WHERE id = 1; END")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, _columns in _watched():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        elif connection.vendor == "sqlite":
            for table, columns in _watched():
                for event in _sqlite_events(columns):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_sqlite_name(table, event)}")


def missing_triggers(connection) -> list[str]:
    """The watched tables missing a trigger (what `install` would make)."""
    with connection.cursor() as cursor:
        return sorted({table for table, _columns, _event in _missing(cursor, connection.vendor)})


def read(connection) -> tuple[str, int] | None:
    """(epoch, generation) as committed now; None without the row or the table."""
    from django.db import DatabaseError

    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT g.epoch, g.n, (SELECT count(*) FROM juries_inputschange) "
                               "FROM juries_inputsgeneration g WHERE g.id = 1")
                row = cursor.fetchone()
                if row is None:
                    return None
                epoch, n, recorded = row
                if recorded > FOLD_AT:
                    # The changes seen are deleted and counted in n in one statement: n + count
                    # stays what it is for every reader; a transaction still running keeps its row.
                    cursor.execute("WITH gone AS (DELETE FROM juries_inputschange RETURNING 1) "
                                   "UPDATE juries_inputsgeneration SET n = n + (SELECT count(*) FROM gone) "
                                   "WHERE id = 1")
                return str(epoch), int(n) + int(recorded)
            cursor.execute("SELECT epoch, n FROM juries_inputsgeneration WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None  # a database restored from a backup older than the table, before `migrate`
    return (str(row[0]), int(row[1])) if row else None
