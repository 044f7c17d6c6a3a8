
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0002_evaluations'),
    ]

    # The evaluation models moved to ksr_portal.evaluations with their tables (state only).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='evaluation',
                    name='campaigns',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='interviews',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='network',
                ),
                migrations.RemoveField(
                    model_name='finding',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='historicalfinding',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_interviews',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_campaigns',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='historicaldeficiency',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='historicaldeficiency',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldeficiency',
                    name='obliged',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation',
                    name='network',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_interviews',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_campaigns',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_campaigns',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='historicalevaluation_interviews',
                    name='interview',
                ),
                migrations.RemoveField(
                    model_name='historicalfinding',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='Deficiency',
                ),
                migrations.DeleteModel(
                    name='Finding',
                ),
                migrations.DeleteModel(
                    name='Evaluation',
                ),
                migrations.DeleteModel(
                    name='HistoricalDeficiency',
                ),
                migrations.DeleteModel(
                    name='HistoricalEvaluation',
                ),
                migrations.DeleteModel(
                    name='HistoricalEvaluation_campaigns',
                ),
                migrations.DeleteModel(
                    name='HistoricalEvaluation_interviews',
                ),
                migrations.DeleteModel(
                    name='HistoricalFinding',
                ),
            ]
        ),
    ]
