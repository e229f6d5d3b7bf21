"""A motion names its subjects by key, read as the one model its kind acts on (no content type chosen)."""

from django.db import migrations, models

# The model each kind acts on (governance.effects registrations); a subject of another model is not kept.
SUBJECT_MODELS = {
    "admit_member": ("members", "application"),
    "expel_member": ("members", "member"),
    "sanction_member": ("members", "member"),
    "remove_officer": ("governance", "seat"),
    "amend_charter": ("alliance", "charterrules"),
}


def subjects_to_keys(apps, schema_editor):
    Motion = apps.get_model("governance", "Motion")
    for motion in Motion.objects.filter(subject_type__isnull=False).select_related("subject_type"):
        model = (motion.subject_type.app_label, motion.subject_type.model)
        if SUBJECT_MODELS.get(motion.kind) == model:
            motion.subject_ids = [motion.subject_id]
            motion.save(update_fields=["subject_ids"])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('governance', '0004_history_reason_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmotion',
            name='subject_ids',
            field=models.JSONField(blank=True, default=list, verbose_name='议案对象'),
        ),
        migrations.AddField(
            model_name='motion',
            name='subject_ids',
            field=models.JSONField(blank=True, default=list, verbose_name='议案对象'),
        ),
        migrations.RunPython(subjects_to_keys, migrations.RunPython.noop),
    ]
