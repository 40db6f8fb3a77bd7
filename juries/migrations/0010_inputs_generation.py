"""The inputs' generation (juries/models/generation.py): one row, moved by triggers on every table
the engine's inputs are read from, so that a cached jury run is keyed by the data it was made of.

PostgreSQL: one statement-level trigger per table, moving the counter once per transaction (the
row is locked from a transaction's first change to its commit; `xact` spares the other
statements of that transaction the update). SQLite has row triggers only (and one writer at a
time): each changed row moves the counter.
"""

import uuid

from django.db import migrations, models

#: Every table a jury's proposals are read from (juries/selectors/jury.py, maquette included).
#: Not here: the history tables (written with their table), the jury's events, the feuille
#: d'appel (its absences are in juries_absence), batches and mails. The relevés issued are in:
#: a relevé downloaded is kept under the generation too (juries/views/releves.py).
TABLES = (
    "juries_formation", "juries_parcours", "juries_competence", "juries_level", "juries_semester",
    "juries_ue", "juries_enseignement", "juries_coefficient", "juries_student", "juries_enrolment",
    "juries_repeatauthorisation", "juries_jurysession", "juries_jurydecision", "juries_evaluation",
    "juries_grade", "juries_absence", "juries_stage", "juries_mobility", "juries_bipparticipation",
    "juries_fraudcase", "juries_reglementsettings", "juries_releve",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION qlio_inputs_changed() RETURNS trigger AS $$
BEGIN
    UPDATE juries_inputsgeneration SET n = n + 1, xact = txid_current()
    WHERE id = 1 AND xact IS DISTINCT FROM txid_current();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _forward(apps, schema_editor):
    apps.get_model("juries", "InputsGeneration").objects.get_or_create(id=1, defaults={"epoch": uuid.uuid4()})
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS qlio_inputs_changed ON {table}", params=None)
            schema_editor.execute(
                f"CREATE TRIGGER qlio_inputs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION qlio_inputs_changed()", params=None)
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"qlio_inputs_changed_{table}_{event.lower()}"
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                    "UPDATE juries_inputsgeneration SET n = n + 1 WHERE id = 1; END", params=None)


def _backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS qlio_inputs_changed ON {table}", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS qlio_inputs_changed()", params=None)
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS qlio_inputs_changed_{table}_{event}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('juries', '0009_evaluation_published'),
    ]

    operations = [
        migrations.CreateModel(
            name='InputsGeneration',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('epoch', models.UUIDField(default=uuid.uuid4)),
                ('n', models.BigIntegerField(default=0)),
                ('xact', models.BigIntegerField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'génération des données du jury',
            },
        ),
        migrations.RunPython(_forward, _backward, elidable=False),
    ]
