"""Who hears of an application's steps and a member's affairs: once each, and nobody else."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from alliance.models import Email, Notice
from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from alliance.tests.notices import delivered, recipients
from members import services
from members.models import Certificate, Kind, Member
from members.tests.factories import ApplicationFactory, admitted_member, decided_motion, expelled

pytestmark = pytest.mark.django_db

CONTACT = "zhangmx@example.cn"  # the form's contact person (UNIT_DATA)


def test_a_submission_is_acknowledged_to_the_account_holder_and_the_contact_once_each():
    application = ApplicationFactory()
    services.application_submit(actor=application.applicant, application=application)
    assert recipients("已收到您的入会申请") == sorted([application.applicant.email, CONTACT])


def test_an_individual_whose_form_names_their_own_account_address_gets_one_acknowledgement():
    applicant = UserFactory(email="lihua@example.cn")  # INDIVIDUAL_DATA's e-mail
    application = ApplicationFactory(kind=Kind.INDIVIDUAL, applicant=applicant)
    services.application_submit(actor=applicant, application=application)
    assert recipients("已收到您的入会申请") == ["lihua@example.cn"]


def test_the_alliances_staff_hear_of_a_new_application_and_other_alliances_staff_never():
    application = ApplicationFactory()
    staff, colleague = staff_of(application.alliance), staff_of(application.alliance)
    outsider = staff_of(AllianceFactory())
    services.application_submit(actor=application.applicant, application=application)
    assert recipients("新的入会申请") == sorted([staff.email, colleague.email])
    assert not Email.objects.filter(to=outsider.email).exists()
    body = Email.objects.get(to=staff.email).body
    assert f"/admin/members/application/{application.pk}/change/" in body


def test_a_resubmission_is_announced_to_staff_as_such_and_acknowledged_to_both():
    application = ApplicationFactory()
    staff = staff_of(application.alliance)
    services.application_submit(actor=application.applicant, application=application)
    services.application_return(actor=staff, application=application, reason="请补充证明材料")
    assert recipients("需要修改") == sorted([application.applicant.email, CONTACT])
    Email.objects.all().delete()
    services.application_submit(actor=application.applicant, application=application)
    assert recipients("重新提交的入会申请") == [staff.email]
    assert recipients("已收到您的入会申请") == sorted([application.applicant.email, CONTACT])


def test_approval_and_rejection_reach_the_account_holder_and_the_contact():
    member, _staff = admitted_member()
    assert recipients("入会申请已批准") == sorted([member.user.email, CONTACT])
    application = ApplicationFactory()
    staff = staff_of(application.alliance)
    services.application_submit(actor=application.applicant, application=application)
    services.application_reject(actor=staff, application=application, reason="不从事相关工作")
    assert recipients("未获批准") == sorted([application.applicant.email, CONTACT])


def test_a_decision_reaches_an_applicant_who_turned_application_notices_off():
    from alliance.services import notice_preferences_update

    application = ApplicationFactory()
    applicant = application.applicant
    notice_preferences_update(actor=applicant, user=applicant, enabled=[])
    staff = staff_of(application.alliance)
    services.application_submit(actor=applicant, application=application)
    assert recipients("已收到您的入会申请") == [CONTACT]  # the acknowledgement was turned off; the contact has none
    services.application_reject(actor=staff, application=application, reason="不从事相关工作")
    assert recipients("未获批准") == sorted([applicant.email, CONTACT])


def test_staff_hear_of_a_members_withdrawal_notice_and_other_alliances_staff_never():
    member, staff = admitted_member()
    outsider = staff_of(AllianceFactory())
    services.member_request_withdrawal(actor=member.user, member=member, reason="工作调整，申请退出")
    assert recipients("提交退会通知") == [staff.email]
    assert "工作调整，申请退出" in Email.objects.get(subject__contains="提交退会通知").body
    assert not Email.objects.filter(to=outsider.email).exists()


def test_the_member_hears_that_the_withdrawal_is_completed():
    member, staff = admitted_member()
    services.member_request_withdrawal(actor=member.user, member=member, reason="申请退出")
    services.member_withdraw(actor=staff, member=member)
    assert recipients("退出联盟手续已办结") == sorted([member.user.email, CONTACT])  # CONTACT: the liaison


def test_an_expelled_member_hears_of_the_decision_with_the_motion_it_rests_on():
    member, _staff = admitted_member()
    expelled(member)
    assert recipients("除名决定") == sorted([member.user.email, CONTACT])
    body = Email.objects.filter(subject__contains="除名决定").first().body
    assert "议案“除名”" in body and "已除名" in body


def test_a_sanction_and_its_lifting_are_told_to_the_member_with_the_decision():
    member, staff = admitted_member()
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member], title="取消表决权")
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[sanction])
    assert recipients("取消成员权利") == sorted([member.user.email, CONTACT])
    assert "议案“取消表决权”" in Email.objects.filter(subject__contains="取消成员权利").first().body
    lifted = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member], title="恢复权利")
    services.member_sanction_lift(actor=staff, member=member, decisions=[lifted])
    assert recipients("恢复成员权利") == sorted([member.user.email, CONTACT])


def test_member_notices_are_sent_as_html_from_the_alliance():
    member, _staff = admitted_member()
    Email.objects.all().delete()
    expelled(member)
    messages = [m for m in delivered() if "除名决定" in m.subject]
    assert len(messages) == 2
    assert all(member.alliance.name in m.from_email and m.alternatives for m in messages)
    assert {e.kind for e in Email.objects.filter(subject__contains="除名决定")} == {Notice.DECISIONS}


def _ready_certificate(member):
    certificate = Certificate.objects.get(member=member, revoked_at__isnull=True)
    certificate.file.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    certificate.status = Certificate.Status.READY
    certificate.save()
    return certificate


@pytest.mark.parametrize("ending", ["withdrawn", "expelled"])
def test_a_member_who_left_is_offered_neither_the_certificate_nor_the_liaison_form(client, ending):
    member, staff = admitted_member()
    certificate = _ready_certificate(member)
    if ending == "withdrawn":
        services.member_request_withdrawal(actor=member.user, member=member, reason="申请退出")
        services.member_withdraw(actor=staff, member=member)
    else:
        expelled(member)
    client.force_login(member.user)
    html = client.get(member.get_absolute_url()).content.decode()
    assert reverse("members:certificate_download", args=[certificate.pk]) not in html
    assert reverse("members:member_liaison", args=[member.pk]) not in html
    assert "证书不再有效" in html
    assert client.get(reverse("members:certificate_download", args=[certificate.pk])).status_code == 403
    response = client.post(reverse("members:member_liaison", args=[member.pk]),
                           {"name": "钱联络", "title": "主任", "phone": "13700001111", "email": "qian@example.cn"},
                           follow=True)
    assert response.status_code == 200 and "不能再指定联络员" in response.content.decode()
    member.refresh_from_db()
    assert member.liaison.name != "钱联络"


def test_a_current_member_still_names_its_liaison_and_downloads_its_certificate(client):
    member, _staff = admitted_member()
    certificate = _ready_certificate(member)
    client.force_login(member.user)
    html = client.get(member.get_absolute_url()).content.decode()
    assert reverse("members:member_liaison", args=[member.pk]) in html
    assert client.get(reverse("members:certificate_download", args=[certificate.pk])).status_code == 200
