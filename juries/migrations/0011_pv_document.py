from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('juries', '0010_inputs_generation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='documentbatch',
            name='kind',
            field=models.CharField(choices=[('releves', 'relevés de notes'), ('lettres', 'lettres de décision'), ('pv', 'procès-verbal du jury')], default='releves', max_length=8, verbose_name='documents'),
        ),
        migrations.AddField(
            model_name='documentbatch',
            name='digest',
            field=models.CharField(blank=True, db_index=True, default='', max_length=64, verbose_name='empreinte du contenu'),
        ),
    ]
