"""Notices: one e-mail per address, in text and HTML from the alliance, and the person's notice settings."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alliance import services
from alliance.models import Email, Notice
from alliance.tests.factories import AllianceFactory, UserFactory
from alliance.tests.notices import delivered, recipients

pytestmark = pytest.mark.django_db


def notify_test(to, *, kind=Notice.VOTES, alliance=None):
    return services.notify(to=to, kind=kind, subject="测试通知", template="alliance/email/verify.txt",
                           context={"user": {"name": "张三"}, "link": "http://portal.test/accounts/verify/x/", "days": 3},
                           alliance=alliance)


def test_a_person_named_twice_or_by_account_and_address_gets_one_email():
    person = UserFactory(email="zhang@example.cn")
    notify_test([person, "ZHANG@example.cn ", "", None, "li@example.cn", "li@example.cn"])
    assert recipients("测试通知") == ["li@example.cn", "zhang@example.cn"]


def test_an_inactive_account_gets_no_notice():
    notify_test([UserFactory(is_active=False)])
    assert not Email.objects.exists()


def test_a_kind_turned_off_stops_that_kind_only_for_that_person():
    quiet, other = UserFactory(), UserFactory()
    services.notice_preferences_update(actor=quiet, user=quiet, enabled=[Notice.PROJECTS])
    notify_test([quiet, quiet.email, other])  # by account and by address: both honour the setting
    notify_test([quiet], kind=Notice.PROJECTS)
    assert recipients("测试通知") == sorted([other.email, quiet.email])
    assert Email.objects.get(to=quiet.email).kind == Notice.PROJECTS


@pytest.mark.parametrize("kind", [Notice.DECISIONS, Notice.MONEY, Notice.ACCOUNT])
def test_decisions_money_and_account_emails_cannot_be_turned_off(kind):
    person = UserFactory()
    services.notice_preferences_update(actor=person, user=person, enabled=[])
    person.refresh_from_db()
    assert Notice.DECISIONS not in person.notices_off and Notice.MONEY not in person.notices_off
    notify_test([person], kind=kind)
    assert recipients("测试通知") == [person.email]


def test_nobody_changes_another_persons_notice_settings():
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.notice_preferences_update(actor=UserFactory(), user=person, enabled=[])


def test_a_notice_is_sent_as_text_and_html_from_the_alliance_with_its_contact_in_the_footer(settings):
    settings.SITE_OPERATOR, settings.SITE_ICP = "某某教育科技有限公司", "京ICP备12345678号"
    settings.SITE_URL = "http://portal.test"
    alliance = AllianceFactory(name="靠谱 COP 联盟", phone="010-68902177", address="北京市海淀区西三环北路105号")
    notify_test(["a@example.cn"], alliance=alliance)
    [message] = delivered()
    assert message.from_email == '"靠谱 COP 联盟" <noreply@localhost>'
    assert "张三，您好" in message.body
    for text in ("靠谱 COP 联盟秘书处", "010-68902177", "北京市海淀区西三环北路105号", "京ICP备12345678号",
                 "某某教育科技有限公司"):
        assert text in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "张三，您好" in html and "010-68902177" in html and "北京市海淀区西三环北路105号" in html
    assert '<a href="http://portal.test/accounts/verify/x/">' in html  # a link in the text is a link


def test_an_email_about_no_alliance_comes_from_the_portal():
    notify_test(["a@example.cn"])
    [message] = delivered()
    assert message.from_email == '"联盟服务平台" <noreply@localhost>'
    assert "联盟服务平台" in message.body and message.alternatives


def test_the_profile_page_offers_each_kind_with_decisions_and_money_ticked_and_fixed(client):
    person = UserFactory()
    client.force_login(person)
    form = client.get(reverse("profile")).context["notices_form"]
    assert form["decisions"].field.disabled and form["money"].field.disabled
    assert form["decisions"].value() is True and form["votes"].value() is True
    assert "account" not in form.fields


def test_turning_a_kind_off_on_the_profile_page_keeps_decisions_and_money_on(client):
    person = UserFactory()
    client.force_login(person)
    # votes left unticked; decisions and money posted as off are ignored (the fields are fixed)
    response = client.post(reverse("profile"), {"notices": "1", "applications": "on", "secretariat": "on",
                                                "projects": "on", "membership": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.notices_off == [Notice.VOTES]
    assert person.history.first().history_change_reason == "修改通知设置"
    assert client.get(reverse("profile")).context["notices_form"]["votes"].value() is False


def test_saving_the_profile_leaves_the_notice_settings_alone(client):
    person = UserFactory()
    services.notice_preferences_update(actor=person, user=person, enabled=[])
    client.force_login(person)
    client.post(reverse("profile"), {"name": "新名字", "phone": ""})
    person.refresh_from_db()
    assert person.name == "新名字" and Notice.VOTES in person.notices_off


def test_text_people_typed_is_escaped_in_the_html_part():
    services.notify(to=["a@example.cn"], kind=Notice.VOTES, subject="测试通知", template="alliance/email/verify.txt",
                    context={"user": {"name": '<script>alert(1)</script>"张三'}})
    [message] = delivered()
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<script>alert(1)</script>"张三' in message.body  # the plain text stays as typed


def test_no_notice_template_signs_off_above_the_footer_that_names_the_sender():
    """The footer (alliance/email/footer.txt and layout.html) names the alliance's secretariat or the portal; a
    template's own last line saying it again made every e-mail say it twice. Those delivered in the notices tests
    are counted by delivered() too."""
    root = Path(__file__).resolve().parents[2]
    paths = [path for path in root.glob("*/templates/*/email/*.txt") if path.name != "footer.txt"]
    paths.append(root / "templates" / "registration" / "password_reset_email.html")
    assert len(paths) > 20
    for path in paths:
        lines = [line for line in path.read_text().splitlines() if line.strip() and line != "{% endautoescape %}"]
        assert not re.search(r"秘书处$|^联盟服务平台$|\"联盟服务平台\" %}$", lines[-1]), path


def test_notices_are_written_in_chinese_when_the_person_acting_reads_the_portal_in_english():
    """Staff working in English admit, bill and refuse: every notice to the applicant or member is Chinese, subject
    and body, as the offices receiving them read it (English would be "Your membership application ...")."""
    from django.utils import translation

    from finance.tests.factories import billed_member
    from members import services as members
    from members.tests.factories import ApplicationFactory
    from alliance.tests.factories import staff_of

    with translation.override("en"):
        billed_member()
        application = ApplicationFactory()
        members.application_submit(actor=application.applicant, application=application)
        members.application_reject(actor=staff_of(application.alliance), application=application, reason="不符合条件")
    subjects = list(Email.objects.values_list("subject", "body"))
    assert any("入会申请已批准" in subject for subject, _ in subjects)
    assert any("会费缴费通知" in subject for subject, _ in subjects)
    assert any("您的入会申请未获批准" in subject for subject, _ in subjects)
    english = re.compile(r"\b(Your|application|membership|invoice|Dear|secretariat)\b", re.I)
    assert not [subject for subject, body in subjects if english.search(subject) or english.search(body)]
