"""The inputs' generation (juries/generation.py): a row, PostgreSQL's log of changing
transactions, and the triggers on every table a jury's run is read from."""

import uuid

from django.db import migrations, models


def _install(apps, schema_editor):
    from juries.generation import install

    install(schema_editor.connection)


def _uninstall(apps, schema_editor):
    from juries.generation import uninstall

    uninstall(schema_editor.connection)


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
            ],
            options={
                'verbose_name': 'génération des données du jury',
            },
        ),
        migrations.CreateModel(
            name='InputsChange',
            fields=[
                ('xact', models.BigIntegerField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'transaction ayant modifié les données du jury',
            },
        ),
        migrations.RunPython(_install, _uninstall, elidable=False),
    ]
