"""Load the demo alliances, bodies, officers and accounts from the seed documents.

Idempotent: a second run finds every record as the first left it and writes nothing. Each app that has
demo data keeps it in its own ``demo.py`` with a ``load(out)`` function; they run in dependency order (a piece that
needs a later app's records is a module of its own, listed after that app).
"""

from importlib import import_module, util

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = ["alliance.demo", "governance.demo", "members.demo", "governance.demo_records", "finance.demo",
                "projects.demo"]


class Command(BaseCommand):
    help = "载入演示数据（联盟、机构、负责人和演示账号）。可重复运行。"

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in DEMO_MODULES:
                if util.find_spec(module) is not None:
                    import_module(module).load(self.stdout)
        from alliance.demo import print_accounts

        print_accounts(self.stdout)
