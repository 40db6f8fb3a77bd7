"""E3 below the ORM on PostgreSQL: raw SQL cannot change the grades or decisions of a deliberated
jury either. The ORM guard (juries/models/guards.py) gives the French message on every path the
application takes; these triggers are the last line for psql and scripts. No-op on SQLite.

A re-opening sets the session back to "ouvert" before anything else changes, and a deliberation
creates its decisions before it sets "délibéré", so the application never trips them."""

from django.db import migrations

FORWARD = ["""
CREATE OR REPLACE FUNCTION qlio_refuse_deliberated_grade() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM juries_enrolment e
        JOIN juries_jurysession j ON j.annee = e.annee AND j.semester_id = e.semester_id
        WHERE j.state = 'delibere'
          AND (e.id = OLD.enrolment_id OR (TG_OP = 'UPDATE' AND e.id = NEW.enrolment_id))
    ) THEN
        RAISE EXCEPTION 'E3 : le jury de ce semestre a délibéré, ses notes sont définitives '
                        '(seule une réouverture du jury permet de les modifier)';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""", """
CREATE OR REPLACE FUNCTION qlio_refuse_deliberated_decision() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM juries_jurysession j
        WHERE j.state = 'delibere'
          AND (j.id = OLD.jury_id OR (TG_OP = 'UPDATE' AND j.id = NEW.jury_id))
    ) THEN
        RAISE EXCEPTION 'E3 : ce jury a délibéré, ses décisions sont définitives '
                        '(seule une réouverture du jury permet de les modifier)';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS qlio_grade_e3 ON juries_grade",
    "CREATE TRIGGER qlio_grade_e3 BEFORE UPDATE OR DELETE ON juries_grade "
    "FOR EACH ROW EXECUTE FUNCTION qlio_refuse_deliberated_grade()",
    "DROP TRIGGER IF EXISTS qlio_decision_e3 ON juries_jurydecision",
    "CREATE TRIGGER qlio_decision_e3 BEFORE UPDATE OR DELETE ON juries_jurydecision "
    "FOR EACH ROW EXECUTE FUNCTION qlio_refuse_deliberated_decision()",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS qlio_grade_e3 ON juries_grade",
    "DROP TRIGGER IF EXISTS qlio_decision_e3 ON juries_jurydecision",
    "DROP FUNCTION IF EXISTS qlio_refuse_deliberated_grade()",
    "DROP FUNCTION IF EXISTS qlio_refuse_deliberated_decision()",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)
    return run


class Migration(migrations.Migration):
    dependencies = [("juries", "0005_student_numero_format")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
