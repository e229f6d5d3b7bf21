"""Load the demo alliances, bodies, officers and accounts from the seed documents.

Idempotent: a second run finds every record as the first left it and writes nothing. Each app that has
demo data keeps it in its own ``demo.py`` with a ``load(out)`` function; they run in dependency order.
"""

from importlib import import_module, util

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_APPS = ["alliance", "governance", "members", "finance", "projects"]


class Command(BaseCommand):
    help = "载入演示数据（联盟、机构、负责人和演示账号）。可重复运行。"

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in DEMO_APPS:
                if util.find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").load(self.stdout)
        from alliance.demo import print_accounts

        print_accounts(self.stdout)
