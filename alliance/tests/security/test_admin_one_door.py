"""One door for every change: the walk over every registered admin.

Every admin of the portal derives from OneDoorAdmin, whose Django writes raise; each add, change, delete or
editable inline that an admin permits is routed to a service by an override (the services' own tests and each
admin's tests show the refusals on the form). Whatever an admin does not permit is refused on POST, and no
history version page restores anything. The walk reads ``admin.site._registry``, so a new admin cannot escape it.
"""

import pytest
from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse

from alliance.admin import OneDoorAdmin

from .world import object_of

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"alliance", "members", "governance", "projects", "finance"}
# Admins of the libraries the portal uses, for superusers only (the matrix proves staff are refused): the groups
# that hold the secretariat's model permissions, and django-axes' lock-out records (a superuser clears a lock-out).
LIBRARY_ADMINS = {"auth.Group", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}


def _portal_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PORTAL_APPS]


def _overrides(model_admin, *names):
    return any(getattr(type(model_admin), name) is not getattr(OneDoorAdmin, name) for name in names)


def _superuser_request(world):
    request = RequestFactory().post("/admin/")
    request.user = world.users["superuser"]
    return request


def test_every_admin_is_the_portals_or_a_listed_library_admin_for_superusers():
    others = {model._meta.label for model in admin.site._registry if model._meta.app_label not in PORTAL_APPS}
    assert others <= LIBRARY_ADMINS, f"admins outside the one-door walk: {sorted(others - LIBRARY_ADMINS)}"
    open_doors = [model._meta.label for model, model_admin in _portal_admins()
                  if not isinstance(model_admin, OneDoorAdmin)]
    assert not open_doors, f"admins that write with Django's own save, not through a service: {open_doors}"


def test_every_write_an_admin_permits_is_routed_to_a_service(world):
    request = _superuser_request(world)
    unrouted = []
    for model, model_admin in _portal_admins():
        obj = object_of(world, model_admin, "x")
        label = model._meta.label
        if model_admin.has_add_permission(request) and not _overrides(model_admin, "save_model"):
            unrouted.append(f"{label}: add")
        if obj is not None and model_admin.has_change_permission(request, obj) \
                and not _overrides(model_admin, "save_model"):
            unrouted.append(f"{label}: change")
        if obj is not None and model_admin.has_delete_permission(request, obj) \
                and not (_overrides(model_admin, "delete_model") and _overrides(model_admin, "delete_queryset")):
            unrouted.append(f"{label}: delete")
        for inline in model_admin.get_inline_instances(request, obj):
            edits = (inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj)
                     or (inline.can_delete and inline.has_delete_permission(request, obj)))
            if edits and not _overrides(model_admin, "save_formset", "save_related"):
                unrouted.append(f"{label}: inline {inline.model._meta.label}")
    assert not unrouted, "admin writes with no service behind them:\n" + "\n".join(unrouted)


def _row(obj):
    obj.refresh_from_db()
    return model_to_dict(obj)


def _post_data(obj):
    """obj's fields as a form would post them (files and empty values left out, related rows by key)."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if isinstance(value, FieldFile) or value is None:
            continue
        data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, (list, tuple)) else value
    return data


def test_an_admin_refuses_a_post_for_what_it_does_not_permit(world):
    request = _superuser_request(world)
    client = Client()
    client.force_login(world.users["superuser"])
    wrong, tried = [], 0
    for model, model_admin in _portal_admins():
        info = model._meta.app_label, model._meta.model_name
        if not model_admin.has_add_permission(request):
            tried += 1
            before = model._default_manager.count()
            response = client.post(reverse(f"admin:{info[0]}_{info[1]}_add"), {})
            if response.status_code != 403 or model._default_manager.count() != before:
                wrong.append(f"{model._meta.label} add: {response.status_code}")
        obj = object_of(world, model_admin, "x")
        if obj is not None and not model_admin.has_change_permission(request, obj):
            tried += 1
            before = _row(obj)
            response = client.post(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]), _post_data(obj))
            if response.status_code not in (200, 403) or _row(obj) != before:  # 200: the read-only view
                wrong.append(f"{model._meta.label} change: {response.status_code}")
        if obj is not None and not model_admin.has_delete_permission(request, obj):
            tried += 1
            response = client.post(reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk]), {"post": "yes"})
            if response.status_code != 403 or not model._default_manager.filter(pk=obj.pk).exists():
                wrong.append(f"{model._meta.label} delete: {response.status_code}")
    assert tried >= 10
    assert not wrong, "refused writes that were not refused:\n" + "\n".join(wrong)


def test_a_post_to_every_history_version_page_restores_nothing(world):
    """simple-history's version page saved the whole old version on POST (a paid invoice back to unpaid, an
    expelled member reinstated); it answers GET only, for the superuser and the row's own staff alike."""
    posted = []
    for role in ("superuser", "staff_x"):
        client = Client()
        client.force_login(world.users[role])
        for model, model_admin in admin.site._registry.items():
            obj = object_of(world, model_admin, "x")
            if obj is None or not hasattr(obj, "history"):
                continue
            version = obj.history.order_by("history_id").first()
            if version is None:
                continue
            info = model._meta.app_label, model._meta.model_name
            url = reverse(f"admin:{info[0]}_{info[1]}_simple_history", args=[obj.pk, version.history_id])
            before, versions = _row(obj), obj.history.count()
            response = client.post(url, _post_data(version.instance))
            assert response.status_code in (403, 405), f"{role} POST {url}: {response.status_code}"
            assert _row(obj) == before and obj.history.count() == versions, f"{role} POST {url} changed the row"
            posted.append(model._meta.label)
            if role == "superuser":
                assert client.get(url).status_code == 200, f"the version page {url} is no longer readable"
    assert len(set(posted)) >= 15
