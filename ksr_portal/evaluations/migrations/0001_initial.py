
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "evaluation",
    "finding",
    "deficiency",
    "historicalevaluation",
    "historicalfinding",
    "historicaldeficiency",
    "historicalevaluation_campaigns",
    "historicalevaluation_interviews",
]
# The history of the m2m fields is kept in tables named after the app; everything else keeps
# its table (db_table / table_name on the models).
RENAMED_TABLES = [
    ("surveys_historicalevaluation_campaigns", "evaluations_historicalevaluation_campaigns"),
    ("surveys_historicalevaluation_interviews", "evaluations_historicalevaluation_interviews"),
]


def move_content_types(apps, schema_editor, old="surveys", new="evaluations"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="evaluations", new="surveys")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('networks', '0002_membership_ordering'),
        ('stakeholders', '0002_historicalorganisation_organisation_and_more'),
        ('surveys', '0003_evaluations_moved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # The models come from surveys (0003 removed them there, state only): no data is touched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Evaluation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('period_start', models.DateField(verbose_name='period from')),
                        ('period_end', models.DateField(verbose_name='period to')),
                        ('method', models.CharField(choices=[('own', 'own evaluation'), ('external', 'external evaluation')], default='own', max_length=16, verbose_name='method')),
                        ('evaluators', models.TextField(help_text='Persons or institution carrying out the evaluation.', verbose_name='evaluators')),
                        ('aim', models.TextField(blank=True, verbose_name='aim of the evaluation')),
                        ('conclusion', models.TextField(blank=True, verbose_name='conclusion (reasumpcja)')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed on')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('campaigns', models.ManyToManyField(blank=True, related_name='evaluations', to='surveys.campaign', verbose_name='survey campaigns')),
                        ('interviews', models.ManyToManyField(blank=True, related_name='evaluations', to='surveys.interview', verbose_name='interviews')),
                        ('network', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='networks.network', verbose_name='network')),
                    ],
                    options={
                        'verbose_name': 'evaluation',
                        'verbose_name_plural': 'evaluations',
                        'db_table': 'surveys_evaluation',
                        'ordering': ['-period_end'],
                    },
                ),
                migrations.CreateModel(
                    name='Deficiency',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='deficiency')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('removed_on', models.DateField(blank=True, null=True, verbose_name='removed on')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('obliged', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deficiencies', to='stakeholders.organisation', verbose_name='obliged partner')),
                        ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deficiencies', to='evaluations.evaluation', verbose_name='evaluation')),
                    ],
                    options={
                        'verbose_name': 'deficiency',
                        'verbose_name_plural': 'deficiencies',
                        'db_table': 'surveys_deficiency',
                        'ordering': ['deadline'],
                    },
                ),
                migrations.CreateModel(
                    name='Finding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('barrier', 'barrier / deficit'), ('success', 'success'), ('need', 'need'), ('other', 'other finding')], max_length=16, verbose_name='kind')),
                        ('audience', models.CharField(blank=True, choices=[('institutions', 'institutions of the local environment'), ('members', 'members of the partnership'), ('residents', 'residents')], max_length=16, verbose_name='respondent group')),
                        ('text', models.TextField(verbose_name='finding')),
                        ('share', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='share of indications (%)')),
                        ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='evaluations.evaluation', verbose_name='evaluation')),
                    ],
                    options={
                        'verbose_name': 'finding',
                        'verbose_name_plural': 'findings',
                        'db_table': 'surveys_finding',
                        'ordering': ['evaluation', 'kind', '-share'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalDeficiency',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='deficiency')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('removed_on', models.DateField(blank=True, null=True, verbose_name='removed on')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('evaluation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluations.evaluation', verbose_name='evaluation')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('obliged', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='stakeholders.organisation', verbose_name='obliged partner')),
                    ],
                    options={
                        'verbose_name': 'historical deficiency',
                        'verbose_name_plural': 'historical deficiencies',
                        'db_table': 'surveys_historicaldeficiency',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalEvaluation',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('period_start', models.DateField(verbose_name='period from')),
                        ('period_end', models.DateField(verbose_name='period to')),
                        ('method', models.CharField(choices=[('own', 'own evaluation'), ('external', 'external evaluation')], default='own', max_length=16, verbose_name='method')),
                        ('evaluators', models.TextField(help_text='Persons or institution carrying out the evaluation.', verbose_name='evaluators')),
                        ('aim', models.TextField(blank=True, verbose_name='aim of the evaluation')),
                        ('conclusion', models.TextField(blank=True, verbose_name='conclusion (reasumpcja)')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed on')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('network', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.network', verbose_name='network')),
                    ],
                    options={
                        'verbose_name': 'historical evaluation',
                        'verbose_name_plural': 'historical evaluations',
                        'db_table': 'surveys_historicalevaluation',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalEvaluation_campaigns',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('campaign', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.campaign')),
                        ('evaluation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluations.evaluation')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='evaluations.historicalevaluation')),
                    ],
                    options={
                        'verbose_name': 'HistoricalEvaluation_campaigns',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalEvaluation_interviews',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('evaluation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluations.evaluation')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='evaluations.historicalevaluation')),
                        ('interview', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.interview')),
                    ],
                    options={
                        'verbose_name': 'HistoricalEvaluation_interviews',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFinding',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('barrier', 'barrier / deficit'), ('success', 'success'), ('need', 'need'), ('other', 'other finding')], max_length=16, verbose_name='kind')),
                        ('audience', models.CharField(blank=True, choices=[('institutions', 'institutions of the local environment'), ('members', 'members of the partnership'), ('residents', 'residents')], max_length=16, verbose_name='respondent group')),
                        ('text', models.TextField(verbose_name='finding')),
                        ('share', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='share of indications (%)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('evaluation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluations.evaluation', verbose_name='evaluation')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical finding',
                        'verbose_name_plural': 'historical findings',
                        'db_table': 'surveys_historicalfinding',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='evaluation',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='evaluation_period_in_order'),
                ),
                migrations.AddConstraint(
                    model_name='finding',
                    constraint=models.CheckConstraint(condition=models.Q(('share__isnull', True), models.Q(('share__gte', 0), ('share__lte', 100)), _connector='OR'), name='finding_share_0_100'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {old} RENAME TO {new}", f"ALTER TABLE {new} RENAME TO {old}"
                )
                for old, new in RENAMED_TABLES
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
