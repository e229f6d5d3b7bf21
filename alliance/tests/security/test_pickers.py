"""Pickers: every choice a form of the admin offers, by select, raw id or autocomplete, is a row the person may
see. Staff of X are shown no row and no account of Y, in any admin or inline (the walk reads the registry)."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from alliance.admin import AllianceScopedAdmin

pytestmark = pytest.mark.django_db


def _staff_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.users["staff_x"]
    return request


def _foreign_rows(world):
    y = world.y
    accounts = [world.users[role] for role in ("applicant_b", "director_y", "staff_y")] + [y.objects["member"].user]
    return [y.alliance, *y.objects.values(), *accounts]


def _pickers(request):
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, AllianceScopedAdmin):
            continue
        owners = [model_admin, *(inline(model, admin.site) for inline in model_admin.get_inlines(request, None))]
        for owner in owners:
            for db_field in owner.model._meta.get_fields():
                if isinstance(db_field, (models.ForeignKey, models.ManyToManyField)) and not db_field.auto_created:
                    formfield = owner.formfield_for_dbfield(db_field, request)
                    if formfield is not None:
                        yield f"{type(owner).__name__}.{db_field.name}", db_field, formfield


def test_no_picker_of_any_admin_offers_or_names_a_row_or_an_account_of_another_alliance(world):
    request = _staff_request(world)
    foreign = _foreign_rows(world)
    leaks, walked = [], 0
    for where, db_field, formfield in _pickers(request):
        walked += 1
        offered = formfield.queryset
        for row in foreign:
            if not isinstance(row, db_field.related_model):
                continue
            if offered.filter(pk=row.pk).exists():
                leaks.append(f"{where} offers {row!r}")
            html = formfield.widget.render(db_field.name, row.pk)
            if str(row) in html and not any(str(seen) == str(row) for seen in offered):
                leaks.append(f"{where} names {row}")
    assert walked >= 30
    assert not leaks, "pickers that show what staff of X may not see:\n" + "\n".join(leaks)


def test_the_pickers_still_offer_the_staffs_own_rows_and_people(world):
    request = _staff_request(world)
    x = world.x
    offered = {where: formfield.queryset for where, _, formfield in _pickers(request)}
    assert offered["SeatAdmin.elected_by"].filter(pk=x.objects["motion"].pk).exists()
    assert offered["SeatAdmin.body"].filter(pk=x.objects["body"].pk).exists()
    people = offered["SeatAdmin.user"]
    for account in (world.users["applicant_a"], world.users["director_x"], x.objects["member"].user,
                    world.users["staff_x"]):
        assert people.filter(pk=account.pk).exists(), account
