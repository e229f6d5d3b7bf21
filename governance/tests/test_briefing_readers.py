"""A published briefing reaches those its 发 line names: the member units (seed 003: 发：…成员单位)."""

import datetime

import pytest
from django.urls import reverse

from alliance.models import Email
from governance import services, tasks
from governance.tests.factories import BodyFactory
from members import services as member_services
from members.models import Member
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db


def _unit_with_liaison(*, alliance=None, email):
    member, staff = admitted_member(**({"alliance": alliance} if alliance else {}))
    member_services.liaison_set(actor=staff, member=member, name="联络员", title="", phone="", email=email)
    return member


def _briefing(alliance, *, to_members=True):
    body = BodyFactory(alliance=alliance, name="秘书处")
    return services.briefing_create(
        actor=None, alliance=alliance, issued_on=datetime.date(2026, 10, 18), issuers=[body],
        distributed_to="全国教师教育网络联盟成员单位", to_members=to_members, articles=[(1, "工作动态", "正文")],
    )


def test_publishing_a_briefing_sent_to_the_members_emails_each_active_units_liaison_once():
    member = _unit_with_liaison(email="liaison@unit.cn")
    withdrawn = _unit_with_liaison(alliance=member.alliance, email="left@unit.cn")
    Member.objects.filter(pk=withdrawn.pk).update(status=Member.Status.WITHDRAWN)  # a unit that has left
    _unit_with_liaison(email="other@unit.cn")  # another alliance's member
    briefing = _briefing(member.alliance)
    services.briefing_publish(actor=None, briefing=briefing)
    services.briefing_publish(actor=None, briefing=briefing)  # a re-publish renders again, mails no one again
    mails = list(Email.objects.filter(subject__contains="工作简报"))
    assert [mail.to for mail in mails] == ["liaison@unit.cn"]
    assert "2026年第1期" in mails[0].subject and "2026年10月18日" in mails[0].body


def test_a_briefing_not_sent_to_the_members_mails_and_shows_them_nothing(client):
    member = _unit_with_liaison(email="liaison@unit.cn")
    briefing = _briefing(member.alliance, to_members=False)
    services.briefing_publish(actor=None, briefing=briefing)
    assert not Email.objects.filter(to="liaison@unit.cn", subject__contains="工作简报").exists()
    client.force_login(member.user)
    assert client.get(reverse("governance:briefing_pdf", args=[briefing.pk])).status_code == 404


def test_a_member_units_user_reads_the_briefing_on_the_member_page(client):
    member = _unit_with_liaison(email="liaison@unit.cn")
    briefing = _briefing(member.alliance)
    services.briefing_publish(actor=None, briefing=briefing)
    tasks.briefing_render_pdf(briefing.pk)
    client.force_login(member.user)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    pdf_url = reverse("governance:briefing_pdf", args=[briefing.pk])
    assert "工作简报 2026年第1期" in page and pdf_url in page
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2026年第1期" in client.get(reverse("governance:briefing_list")).content.decode()


def test_a_member_of_another_alliance_cannot_open_the_briefing(client):
    member = _unit_with_liaison(email="liaison@unit.cn")
    outsider = _unit_with_liaison(email="other@unit.cn")
    briefing = _briefing(member.alliance)
    services.briefing_publish(actor=None, briefing=briefing)
    tasks.briefing_render_pdf(briefing.pk)
    client.force_login(outsider.user)
    assert client.get(reverse("governance:briefing_pdf", args=[briefing.pk])).status_code == 404
    assert "2026年第1期" not in client.get(reverse("members:member_detail", args=[outsider.pk])).content.decode()
    assert "2026年第1期" not in client.get(reverse("governance:briefing_list")).content.decode()
