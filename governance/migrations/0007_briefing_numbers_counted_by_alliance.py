"""Briefing numbers are drawn from alliance.numbering: each alliance's year continues after its last number."""

from django.db import migrations
from django.db.models import Max


def counters_seeded(apps, schema_editor):
    Briefing = apps.get_model("governance", "Briefing")
    Counter = apps.get_model("alliance", "Counter")
    last = Briefing.objects.values("alliance_id", "year").annotate(last=Max("number")).order_by()
    Counter.objects.bulk_create(
        [Counter(kind="briefing", alliance_id=row["alliance_id"], year=row["year"], value=row["last"]) for row in last]
    )


def counters_removed(apps, schema_editor):
    apps.get_model("alliance", "Counter").objects.filter(kind="briefing").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0004_counter"),
        ("governance", "0006_motion_subject_type_removed"),
    ]

    operations = [
        migrations.RunPython(counters_seeded, counters_removed),
    ]
