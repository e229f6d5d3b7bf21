"""The cache of the public 成员名录 (members/views.py), per alliance slug (the URL's), kept current by signals
rather than by the services, so that the admin's edits count too: saving or deleting a member bumps its
alliance's directory; saving or deleting the alliance bumps it under its slug and, when the slug changes, under
the old one (its name heads the page; a directory no longer public must answer 404). A member never moves to
another alliance. Writes through ``QuerySet.update()`` send no signal: the cache then expires after its timeout.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from alliance.models import Alliance
from alliance.pagecache import VersionedCache

from .models import Member

DIRECTORY_CACHE = VersionedCache("member-directory")


def _member_changed(sender, instance, **kwargs):
    DIRECTORY_CACHE.bump(instance.alliance.slug)


def _alliance_saving(sender, instance, **kwargs):
    if instance.pk is not None:
        old_slug = Alliance.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old_slug not in (None, instance.slug):
            DIRECTORY_CACHE.bump(old_slug)


def _alliance_changed(sender, instance, **kwargs):
    DIRECTORY_CACHE.bump(instance.slug)


def connect_signals():
    pre_save.connect(_alliance_saving, sender=Alliance)
    for signal in (post_save, post_delete):
        signal.connect(_member_changed, sender=Member)
        signal.connect(_alliance_changed, sender=Alliance)
