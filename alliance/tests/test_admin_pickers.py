"""Pickers of the admin, as staff of COP against GZ's and NMG's records and people: the raw-id label, the account
autocomplete and the select lists show only what COP's staff may see (security review, finding 5)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from finance.models import Income
from governance.models import Seat
from governance.tests.factories import BodyFactory, MotionFactory, SeatFactory
from members.tests.factories import admitted_member, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop_gz_nmg():
    cop, gz, nmg = (AllianceFactory(name=name, code=code) for name, code in
                    (("教师在线实践社区联盟", "COP"), ("广州联盟", "GZ"), ("内蒙古联盟", "NMG")))
    return cop, gz, nmg, staff_of(cop, name="COP秘书")


def _request(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _seat_field(name, user):
    return admin.site._registry[Seat].formfield_for_dbfield(Seat._meta.get_field(name), _request(user))


def test_a_raw_id_field_does_not_name_another_alliances_motion(cop_gz_nmg):
    cop, gz, _, staff = cop_gz_nmg
    theirs = MotionFactory(meeting__body__alliance=gz, title="广州联盟关于除名的议案")
    ours = MotionFactory(meeting__body__alliance=cop, title="COP年度工作计划")
    field = _seat_field("elected_by", staff)
    assert "广州联盟关于除名的议案" not in field.widget.render("elected_by", theirs.pk)
    assert "COP年度工作计划" in field.widget.render("elected_by", ours.pk)
    assert list(field.queryset) == [ours]


def test_the_seat_holder_picker_names_no_account_outside_the_alliance(cop_gz_nmg):
    cop, gz, nmg, staff = cop_gz_nmg
    gz_member, _ = admitted_member(alliance=gz)
    stranger = UserFactory(name="无关的人", email="stranger@example.cn")
    applicant = submitted_application(alliance=cop).applicant
    field = _seat_field("user", staff)
    for account in (gz_member.user, stranger):
        assert account.email not in field.widget.render("user", account.pk)
        assert not field.queryset.filter(pk=account.pk).exists()
    assert applicant.email in field.widget.render("user", applicant.pk)


def test_the_account_autocomplete_finds_the_alliances_people_by_name_and_no_one_else(client, cop_gz_nmg):
    cop, gz, nmg, staff = cop_gz_nmg
    ours = submitted_application(alliance=cop, applicant=UserFactory(name="张老师")).applicant
    director = SeatFactory(body=BodyFactory(alliance=cop), user=UserFactory(name="张理事")).user
    gz_member, _ = admitted_member(alliance=gz, applicant=UserFactory(name="张广州"))
    submitted_application(alliance=nmg, applicant=UserFactory(name="张内蒙"))
    UserFactory(name="张无关")
    client.force_login(staff)
    response = client.get(reverse("admin:autocomplete"),
                          {"app_label": "governance", "model_name": "seat", "field_name": "user", "term": "张"})
    assert response.status_code == 200
    found = {row["text"] for row in response.json()["results"]}
    assert found == {str(ours), str(director)}


def test_staff_still_cannot_open_the_account_list(client, cop_gz_nmg):
    client.force_login(cop_gz_nmg[3])
    assert client.get(reverse("admin:alliance_user_changelist")).status_code == 403


def test_the_finance_forms_offer_only_the_staffs_alliance(client, cop_gz_nmg):
    cop, gz, nmg, staff = cop_gz_nmg
    field = admin.site._registry[Income].formfield_for_dbfield(Income._meta.get_field("alliance"), _request(staff))
    assert list(field.queryset) == [cop]
    client.force_login(staff)
    html = client.get(reverse("admin:finance_income_add")).content.decode()
    assert cop.name in html and gz.name not in html and nmg.name not in html


def test_a_changelist_filter_lists_no_project_of_another_alliance(client, cop_gz_nmg):
    from projects.tests.factories import ProjectFactory

    cop, gz, nmg, staff = cop_gz_nmg
    ProjectFactory(alliance=gz, title="广州未发布的项目")
    ProjectFactory(alliance=nmg, title="内蒙古未发布的项目")
    client.force_login(staff)
    html = client.get(reverse("admin:projects_application_changelist")).content.decode()
    assert "广州未发布的项目" not in html and "内蒙古未发布的项目" not in html
