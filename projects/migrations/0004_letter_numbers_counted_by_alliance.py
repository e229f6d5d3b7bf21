"""Appointment-letter numbers (<code>-<year>-001) are drawn from alliance.numbering: each alliance's year
continues after the highest letter number already given."""

import re

from django.db import migrations


def counters_seeded(apps, schema_editor):
    Letter = apps.get_model("projects", "AppointmentLetter")
    Counter = apps.get_model("alliance", "Counter")
    last = {}
    rows = Letter.objects.values_list("number", "application__project__alliance_id",
                                      "application__project__alliance__code")
    for number, alliance_id, code in rows:
        match = re.fullmatch(rf"{re.escape(code)}-(\d{{4}})-(\d+)", number)
        if match:
            key = (alliance_id, int(match[1]))
            last[key] = max(last.get(key, 0), int(match[2]))
    Counter.objects.bulk_create(
        [Counter(kind="letter", alliance_id=alliance_id, year=year, value=value)
         for (alliance_id, year), value in last.items()]
    )


def counters_removed(apps, schema_editor):
    apps.get_model("alliance", "Counter").objects.filter(kind="letter").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0004_counter"),
        ("projects", "0003_history_reason_text"),
    ]

    operations = [
        migrations.RunPython(counters_seeded, counters_removed),
    ]
