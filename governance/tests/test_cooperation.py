"""002 art. 8 (二): the shared target and its progress; seed 003: the four tasks led by named universities and the
cooperation agreement kept with the alliance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from governance import services
from governance.models import Agreement, Target
from governance.tests.factories import BodyFactory, SeatFactory
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def five_year_target(alliance, staff):
    # 002 art. 8 (二): 每五年数字资源补充更新率不低于20%
    return services.target_create(actor=staff, alliance=alliance, title="数字资源补充更新", measure="数字资源补充更新率",
                                  unit="%", threshold=Decimal("20"), start_date=datetime.date(2025, 1, 1),
                                  end_date=datetime.date(2030, 1, 1), article="第八条（二）")


def test_002_art_8_a_target_is_behind_when_its_progress_is_under_the_straight_line_pace():
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    target = five_year_target(alliance, staff)
    services.target_progress_record(actor=staff, target=target, recorded_on=datetime.date(2026, 1, 1),
                                    value=Decimal("3.50"))
    # 2026-01-01 is 365 of 1826 days in: the pace is 4.00 %; 3.50 % is behind, 4.00 % is on it.
    assert target.expected_on(datetime.date(2026, 1, 1)) == Decimal("4.00")
    assert target.is_behind(datetime.date(2026, 1, 1))
    services.target_progress_record(actor=staff, target=target, recorded_on=datetime.date(2026, 1, 1),
                                    value=Decimal("4.00"), note="更正")
    assert not Target.objects.get(pk=target.pk).is_behind(datetime.date(2026, 1, 1))
    assert target.progress.count() == 1  # the second entry of a date corrects the first
    # A year later with no new entry the same 4.00 % has fallen behind.
    assert target.is_behind(datetime.date(2027, 1, 1))
    assert not target.is_behind(datetime.date(2025, 1, 1))  # nothing is due on the first day


def test_002_art_8_the_alliance_page_shows_the_target_with_its_progress_and_the_flag(client):
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    target = five_year_target(alliance, staff)
    services.target_progress_record(actor=staff, target=target, recorded_on=datetime.date(2025, 6, 30),
                                    value=Decimal("0.50"))
    page = client.get(alliance.get_absolute_url()).content.decode()
    assert "数字资源补充更新率：0.50%" in page and "落后于进度" in page


def test_002_art_8_a_target_ends_after_it_starts_and_progress_is_not_recorded_before_the_start():
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    with pytest.raises(ValidationError) as refused:
        services.target_create(actor=staff, alliance=alliance, title="t", measure="m", unit="%", threshold=20,
                               start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1))
    assert "end_date" in refused.value.message_dict
    target = five_year_target(alliance, staff)
    with pytest.raises(ValidationError):
        services.target_progress_record(actor=staff, target=target, recorded_on=datetime.date(2024, 12, 31), value=1)


def test_002_art_8_staff_of_another_alliance_cannot_record_progress():
    alliance = AllianceFactory()
    target = five_year_target(alliance, staff_of(alliance))
    with pytest.raises(PermissionDenied):
        services.target_progress_record(actor=staff_of(AllianceFactory()), target=target,
                                        recorded_on=datetime.date(2026, 1, 1), value=1)


def test_003_a_task_is_led_by_a_member_of_that_alliance_only(client):
    member, staff = admitted_member(unit_name="北京师范大学")
    alliance = member.alliance
    task = services.lead_task_create(actor=staff, alliance=alliance, title="免费师范生优质课程教学资源共享",
                                     lead_member=member, source="工作协调组工作任务方案")
    assert "免费师范生优质课程教学资源共享 — 牵头：北京师范大学" in client.get(alliance.get_absolute_url()).content.decode()
    outsider, _ = admitted_member()
    with pytest.raises(ValidationError) as refused:
        services.lead_task_update(actor=staff, task=task, lead_member=outsider)
    assert "lead_member" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.lead_task_create(actor=staff_of(outsider.alliance), alliance=alliance, title="t", lead_member=member)


def agreement_of(alliance, staff, content=PDF):
    return services.agreement_create(
        actor=staff, alliance=alliance, title="六所部属师范大学合作协议", parties="北京师范大学\n华东师范大学",
        signed_on=datetime.date(2010, 6, 30), signing=Agreement.Signing.CORRESPONDENCE,
        file=SimpleUploadedFile("协议.pdf", content, content_type="application/pdf"))


def test_003_the_agreement_is_listed_with_the_alliance_and_downloaded_only_by_those_allowed(client):
    member, staff = admitted_member()
    alliance = member.alliance
    agreement = agreement_of(alliance, staff)
    url = reverse("governance:agreement_file", args=[agreement.pk])
    page = client.get(alliance.get_absolute_url()).content.decode()
    assert "六所部属师范大学合作协议" in page and "北京师范大学、华东师范大学" in page and "通讯方式签署" in page
    assert client.get(url).status_code == 302  # sign in first
    for stranger in (UserFactory(), staff_of(AllianceFactory()), admitted_member()[0].user):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    director = SeatFactory(body=BodyFactory(alliance=alliance), user=UserFactory()).user
    for reader in (staff, member.user, director):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff" and b"".join(response.streaming_content) == PDF


def test_003_an_agreement_file_is_judged_by_its_content():
    alliance = AllianceFactory()
    with pytest.raises(ValidationError) as refused:
        agreement_of(alliance, staff_of(alliance), content=b"MZ not a pdf")
    assert "file" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_003_staff_of_another_alliance_neither_see_nor_change_agreements_and_tasks_in_the_admin(client):
    member, staff = admitted_member()
    agreement = agreement_of(member.alliance, staff)
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=staff_of(AllianceFactory()), agreement=agreement, title="改")
    client.force_login(staff_of(AllianceFactory()))
    assert client.get(reverse("admin:governance_agreement_change", args=[agreement.pk])).status_code == 302
    assert agreement.title not in client.get(reverse("admin:governance_agreement_changelist")).content.decode()


def test_003_staff_add_an_agreement_in_the_admin_and_a_bad_file_shows_on_the_form(client):
    alliance = AllianceFactory()
    client.force_login(staff_of(alliance))
    data = {"alliance": alliance.pk, "title": "合作协议", "parties": "甲\n乙", "signed_on": "2010-06-30",
            "signing": "in_person", "summary": ""}
    url = reverse("admin:governance_agreement_add")
    response = client.post(url, {**data, "file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert response.status_code == 200 and "按文件内容判断" in response.content.decode()
    assert not Agreement.objects.exists()
    response = client.post(url, {**data, "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 302 and Agreement.objects.get().file_type == "application/pdf"
