from django.utils.translation import gettext_lazy
from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    # Model permissions are created by post_migrate, one app after another; syncing after each app means
    # a new model's permissions reach the secretariat group by the end of the next migrate.
    from .services import secretariat_group_sync

    secretariat_group_sync()


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = gettext_lazy("联盟")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="alliance_sync_roles")
        from . import checks, history, navigation, selectors  # noqa: F401 - checks registers the deploy checks

        history.install()

        navigation.search_register("alliances", gettext_lazy("联盟"), find=selectors.alliance_search, row=selectors.alliance_search_row,
                                   order=10)
