"""What ``manage.py check --deploy`` says about a portal on several machines (README, "On several machines")."""

from django.conf import settings
from django.core import checks

REDIS = ("redis://", "rediss://", "unix://")


@checks.register(checks.Tags.caches, deploy=True)
def several_machines_share_their_state(app_configs, **kwargs):
    """Private files in an object store mean several machines: then the cache and the broker must be shared too."""
    if settings.MEDIA_STORAGE != "s3":
        return []
    found = []
    if not settings.CACHE_URL:
        found.append(checks.Warning(
            "MEDIA_STORAGE=s3 with the cache in local files: each machine keeps its own rendered pages and "
            "rate-limit counts.", hint="Set CACHE_URL to the Redis every machine uses.", id="alliance.W001"))
    if not settings.CELERY_BROKER_URL.startswith(REDIS):
        found.append(checks.Warning(
            "MEDIA_STORAGE=s3 with a broker that is not Redis: the filesystem broker is one machine's, and the "
            "beats of several machines could not agree on who sends a periodic job (alliance/beat.py).",
            hint="Set CELERY_BROKER_URL to the Redis every machine uses.", id="alliance.W002"))
    return found
