"""The URL matrix: every URL of the site and the admin against nine roles; 0 leaks.

See matrix.py for the site's rules. The admin's model pages follow one rule, checked for every registered
ModelAdmin: models under `AllianceScopedAdmin` are seen and changed by their own alliance's staff only (the
other alliance's rows are neither listed nor opened), other models by superusers only.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.shortcuts import resolve_url
from django.urls import reverse

from alliance.admin import AllianceScopedAdmin
from alliance.permissions import alliance_of

from .matrix import ADMIN, REFUSED, SITE, roles_for
from .urlconf import admin_model_keys, walk
from .world import ROLES, object_of

pytestmark = pytest.mark.django_db
ALL_RULES = {**SITE, **ADMIN}


def test_every_url_pattern_is_classified():
    model_keys = admin_model_keys()
    unclassified = [f"{key}  ({route})" for key, route in walk() if key not in ALL_RULES and key not in model_keys]
    assert not unclassified, "URL patterns the security matrix does not classify:\n" + "\n".join(unclassified)
    stale = set(ALL_RULES) - {key for key, _ in walk()}
    assert not stale, f"matrix rules for URLs that no longer exist: {sorted(stale)}"


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _request(client, url, method):
    response = client.post(url) if method == "POST" else client.get(url)
    return response.status_code, response.get("Location", "")


def _view_on_site_target(world, side):
    member = world.side(side).objects["member"]
    return {"content_type_id": ContentType.objects.get_for_model(member).pk, "object_id": member.pk}


def _site_cases(world):
    for key, r in ALL_RULES.items():
        target = _view_on_site_target if key == "admin:view_on_site" else r.target
        sides = ["x", "y"] if target and key not in ("password_reset_confirm", "admin:app_list") else [None]
        for side in sides:
            kwargs = target(world, side) if target else {}
            url = "/admin/no-such-page/" if key == "admin:catch_all" else reverse(key, kwargs=kwargs)
            yield key, r, side, url


@pytest.mark.parametrize("role", ROLES)
def test_site_and_admin_views_answer_each_role_as_the_matrix_says(world, role):
    client = _client(world, role)
    wrong = []
    for key, r, side, url in _site_cases(world):
        status, location = _request(client, url, r.method)
        allowed = roles_for(r.allowed, side)
        if key == "admin:view_on_site" and role in ("staff_x", "staff_y"):
            allowed.add(role)  # the shortcut only tells the object's public URL; that view checks access
        if role in allowed:
            good = status in r.ok
        elif role == "anonymous" and r.login_required:
            login = "/admin/login/" if key.startswith("admin:") else resolve_url(settings.LOGIN_URL)
            good = status == 302 and location.startswith(login)
        elif key.startswith("admin:") and role not in ("staff_x", "staff_y", "superuser"):
            good = status == 302 and location.startswith("/admin/login/")  # not staff: the admin's login
        else:
            good = status in REFUSED
        if not good:
            wrong.append(f"{key} [{side or '-'}] {r.method} {url}: {status} {location}")
    assert not wrong, f"{role}: {len(wrong)} answers differ from the matrix:\n" + "\n".join(wrong)


# ---- the admin's model pages ---------------------------------------------------------------------------------

def _foreign_rows(world, role, model_admin, response):
    """Rows of another alliance in a changelist (its queryset and the change links on the page)."""
    own = world.side(role[-1]).alliance
    other = world.side("y" if role == "staff_x" else "x")
    foreign = [o for o in response.context["cl"].queryset if _alliance(o, model_admin) != own]
    obj = object_of(world, model_admin, "y" if role == "staff_x" else "x")
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    if obj is not None and reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]) in response.content.decode():
        foreign.append(obj)
    assert other.alliance != own
    return [f"{model_admin.model._meta.label}: {o}" for o in foreign]


def _renders_a_form(role, side, page, scoped):
    """Pages that render a full admin form for someone entitled to them (~0.5 s each): the superuser's are
    checked on X's change page only, the staff's own-alliance pages not at all; every refusal is checked."""
    if role == "superuser":
        return side == "y" or page != "change"
    if role in ("staff_x", "staff_y") and scoped and role == f"staff_{side}":
        return True  # their own rows: the changelist (asserted 200 with every row theirs) covers them
    return False


def _alliance(obj, model_admin):
    return obj if model_admin.alliance_path == "pk" else alliance_of(obj, model_admin.alliance_path)


def _pages(model_admin, obj):
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    pages = {"change": [obj.pk], "delete": [obj.pk], "history": [obj.pk]}
    history = getattr(obj, "history", None)
    if history is not None and f"admin:{info[0]}_{info[1]}_simple_history" in admin_model_keys():
        record = obj.history.order_by("history_id").first()
        if record is not None:
            pages["simple_history"] = [obj.pk, record.history_id]
    return {page: reverse(f"admin:{info[0]}_{info[1]}_{page}", args=args) for page, args in pages.items()}


def test_every_scoped_model_admin_has_an_object_on_each_side(world):
    missing = [f"{m._meta.label} [{side}]" for m, ma in admin.site._registry.items()
               if isinstance(ma, AllianceScopedAdmin) for side in "xy" if object_of(world, ma, side) is None]
    # Built by the world: every scoped model but the ones listed here has a row in X and in Y.
    assert set(missing) <= {f"{label} [{side}]" for label in NOT_IN_WORLD for side in "xy"}, missing


NOT_IN_WORLD = {"alliance.Announcement", "governance.CouncilReminder", "projects.ProvincialContact",
                "projects.Pairing", "projects.Activity", "finance.Income", "finance.Expense", "finance.Distribution"}


@pytest.mark.parametrize("role", ROLES)
def test_admin_model_pages_answer_each_role_as_the_matrix_says(world, role):
    client = _client(world, role)
    user = world.users.get(role)
    wrong, leaks = [], []
    checked = listed = 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        scoped = isinstance(model_admin, AllianceScopedAdmin)
        perm = f"{info[0]}.view_{info[1]}"
        for page, url in [("changelist", reverse(f"admin:{info[0]}_{info[1]}_changelist")),
                          ("add", reverse(f"admin:{info[0]}_{info[1]}_add"))]:
            if page == "add" and role in ("staff_x", "staff_y") and scoped:
                continue  # an empty form of their own models: nothing of another alliance to leak
            response = client.get(url)
            status, location = response.status_code, response.get("Location", "")
            checked += 1
            if page == "changelist" and status == 200 and scoped and role in ("staff_x", "staff_y"):
                listed += 1
                leaks += _foreign_rows(world, role, model_admin, response)
            if role == "superuser":
                good = status in (200, 403) if page == "add" else status == 200  # 403: no adding by hand
            elif role in ("staff_x", "staff_y"):
                if not scoped:
                    good = status == 403
                elif page == "add":
                    good = status in (200, 403)
                else:
                    good = status == (200 if user.has_perm(perm) or user.has_perm(f"{info[0]}.change_{info[1]}")
                                      else 403)
            else:
                good = status == 302 and location.startswith("/admin/login/")
            if not good:
                wrong.append(f"{model._meta.label} {page}: {status} {location}")
        for side in "xy":
            obj = object_of(world, model_admin, side)
            if obj is None:
                continue
            owner_staff = f"staff_{side}"
            for page, url in _pages(model_admin, obj).items():
                if _renders_a_form(role, side, page, scoped):
                    continue  # the slow pages that are not a refusal: checked once (see below), not per side
                status, location = _request(client, url, "GET")
                checked += 1
                if role == "superuser":
                    good = status == 200 or (page == "delete" and status == 403)  # 403: deletion is disabled
                elif role in ("staff_x", "staff_y"):
                    # another alliance's row (or an unscoped model): refused or "does not exist"
                    assert not (scoped and role == owner_staff)
                    good = status in REFUSED or (status == 302 and location == reverse("admin:index"))
                else:
                    good = status == 302 and location.startswith("/admin/login/")
                if not good:
                    wrong.append(f"{model._meta.label} [{side}] {page} {url}: {status} {location}")
    assert checked > 50
    assert not leaks, f"{role} sees rows of another alliance in the changelists: {leaks}"
    if role in ("staff_x", "staff_y"):
        assert listed >= 15, "the staff's changelists were not shown: the no-foreign-rows check would be empty"
    assert not wrong, f"{role}: {len(wrong)} admin answers differ from the matrix:\n" + "\n".join(wrong)
