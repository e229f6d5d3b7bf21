"""The one place that answers "may this user do this to this object".

Secretariat staff act only inside the alliances they were granted: the grant is a django-guardian object
permission ``alliance.manage_alliance`` on the Alliance row. Every view and admin queryset that shows
alliance-owned records goes through these helpers; nothing else calls ``has_perm`` on alliance data.
"""

from django.utils.translation import gettext
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_objects_for_user

from .models import Alliance

MANAGE_ALLIANCE = "alliance.manage_alliance"


def alliances_managed_by(user):
    """The alliances whose records this user may see and change as secretariat staff."""
    if not user.is_authenticated:
        return Alliance.objects.none()
    if not user.is_active:
        return Alliance.objects.none()
    if user.is_superuser:
        return Alliance.objects.all()
    if not user.is_staff:
        return Alliance.objects.none()
    return get_objects_for_user(user, MANAGE_ALLIANCE, klass=Alliance, accept_global_perms=False)


def can_manage_alliance(user, alliance):
    if alliance is None:
        return False
    return alliances_managed_by(user).filter(pk=alliance.pk).exists()


def require_manage_alliance(user, alliance):
    if not can_manage_alliance(user, alliance):
        raise PermissionDenied(gettext("您无权管理该联盟的事务。"))


def scope_to_managed(queryset, user, *, path="alliance", managed=None):
    """Narrow a queryset of alliance-owned rows to the alliances this user manages.

    ``path`` is the lookup from the queryset's model to its Alliance, e.g. ``"body__alliance"``. ``managed``:
    the pks of ``alliances_managed_by(user)`` when the caller has them already.
    """
    if user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": alliances_managed_by(user) if managed is None else managed})


def alliance_of(obj, path):
    """Follow a ``__``-separated lookup path from obj to its Alliance."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def secretariat_user_ids(alliance_pks):
    """The pks of the accounts granted the secretariat of any of these alliances (a subquery)."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    return UserObjectPermission.objects.filter(
        permission__codename=MANAGE_ALLIANCE.split(".")[1], content_type=ContentType.objects.get_for_model(Alliance),
        object_pk__in=[str(pk) for pk in alliance_pks],
    ).values("user")


def secretariat_staff(alliance):
    """The active staff accounts granted this alliance's secretariat (not superusers by their status alone)."""
    from .models import User

    return User.objects.filter(pk__in=secretariat_user_ids([alliance.pk]), is_active=True, is_staff=True).order_by("pk")
