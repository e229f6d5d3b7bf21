"""Receipt numbers are drawn from alliance.numbering: the per-alliance-and-year counters move there."""

from django.db import migrations


def counters_moved(apps, schema_editor):
    Old = apps.get_model("finance", "ReceiptCounter")
    Counter = apps.get_model("alliance", "Counter")
    Counter.objects.bulk_create(
        [Counter(kind="receipt", alliance_id=old.alliance_id, year=old.year, value=old.last_seq)
         for old in Old.objects.all()]
    )


def counters_moved_back(apps, schema_editor):
    Old = apps.get_model("finance", "ReceiptCounter")
    Counter = apps.get_model("alliance", "Counter")
    counters = Counter.objects.filter(kind="receipt")
    Old.objects.bulk_create(
        [Old(alliance_id=c.alliance_id, year=c.year, last_seq=c.value) for c in counters]
    )
    counters.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0004_counter"),
        ("finance", "0004_history_reason_text"),
    ]

    operations = [
        migrations.RunPython(counters_moved, counters_moved_back),
        migrations.DeleteModel(
            name="ReceiptCounter",
        ),
    ]
