"""Member numbers are drawn from alliance.numbering: the per-alliance-and-year counters move there."""

from django.db import migrations


def counters_moved(apps, schema_editor):
    Old = apps.get_model("members", "MemberNumberCounter")
    Counter = apps.get_model("alliance", "Counter")
    Counter.objects.bulk_create(
        [Counter(kind="member", alliance_id=old.alliance_id, year=old.year, value=old.last_seq)
         for old in Old.objects.all()]
    )


def counters_moved_back(apps, schema_editor):
    Old = apps.get_model("members", "MemberNumberCounter")
    Counter = apps.get_model("alliance", "Counter")
    counters = Counter.objects.filter(kind="member")
    Old.objects.bulk_create(
        [Old(alliance_id=c.alliance_id, year=c.year, last_seq=c.value) for c in counters]
    )
    counters.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0004_counter"),
        ("members", "0003_member_one_current_per_account"),
    ]

    operations = [
        migrations.RunPython(counters_moved, counters_moved_back),
        migrations.DeleteModel(
            name="MemberNumberCounter",
        ),
    ]
