"""The content type and single key a motion's subject was named by (replaced by the kind's subject keys)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0005_motion_subjects_by_kind'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='motion',
            name='motion_subject_complete_or_empty',
        ),
        migrations.RemoveField(
            model_name='historicalmotion',
            name='subject_id',
        ),
        migrations.RemoveField(
            model_name='historicalmotion',
            name='subject_type',
        ),
        migrations.RemoveField(
            model_name='motion',
            name='subject_id',
        ),
        migrations.RemoveField(
            model_name='motion',
            name='subject_type',
        ),
    ]
