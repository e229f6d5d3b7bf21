"""The root models in the admin: alliances, announcements and accounts change through their services (with the
actor and reason in history); a refusal shows on the form with nothing saved; the outbox is read only."""

import pytest
from django.contrib.messages import get_messages
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from alliance import services
from alliance.models import Alliance, Announcement, User
from alliance.tests.factories import AllianceFactory, AnnouncementFactory, UserFactory, staff_of

pytestmark = pytest.mark.django_db


def page_data(response, **changes):
    """What the browser would post back from an admin change page: every form's current values, with changes."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if isinstance(value, FieldFile):
                continue  # files are not posted back
            if value is True:
                value = "on"
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                value = [getattr(v, "pk", v) for v in value]
            data[form.add_prefix(name)] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _refuse(field, text):
    def service(**kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError({field: text})
    return service


# ---- alliances ---------------------------------------------------------------------------------------------

def test_staff_change_their_alliances_texts_through_the_service_recorded_in_history(client):
    alliance = AllianceFactory(summary="旧简介")
    staff = staff_of(alliance)
    client.force_login(staff)
    url = reverse("admin:alliance_alliance_change", args=[alliance.pk])
    response = client.post(url, page_data(client.get(url), summary="新简介"))
    assert response.status_code == 302
    alliance.refresh_from_db()
    assert alliance.summary == "新简介"
    record = alliance.history.first()
    assert record.history_user == staff and record.history_change_reason == "修改联盟信息：简介"


def test_staff_cannot_change_the_code_slug_or_kind_of_their_alliance(client):
    alliance = AllianceFactory(code="COP")
    client.force_login(staff_of(alliance))
    url = reverse("admin:alliance_alliance_change", args=[alliance.pk])
    response = client.get(url)
    assert "code" not in response.context["adminform"].form.fields
    client.post(url, page_data(response, code="XX", slug="elsewhere", kind="agency"))
    alliance.refresh_from_db()
    assert (alliance.code, alliance.kind) == ("COP", "alliance")
    with pytest.raises(Exception, match="只有超级管理员可以修改此项"):
        services.alliance_update(actor=staff_of(alliance), alliance=alliance, code="XX")


def test_a_refused_alliance_change_shows_on_the_form_and_saves_nothing(client, monkeypatch):
    alliance = AllianceFactory(summary="旧简介")
    client.force_login(staff_of(alliance))
    url = reverse("admin:alliance_alliance_change", args=[alliance.pk])
    data = page_data(client.get(url), summary="新简介")
    monkeypatch.setattr(services, "alliance_update", _refuse("summary", "简介须经秘书长审定。"))
    response = client.post(url, data)
    assert response.status_code == 200 and "简介须经秘书长审定。" in response.content.decode()
    assert "新简介" in response.content.decode()  # nothing typed is lost
    alliance.refresh_from_db()
    assert alliance.summary == "旧简介" and not _messages(response)


def test_a_superuser_adds_an_alliance_with_default_charter_rules(client):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:alliance_alliance_add"), {
        "kind": "alliance", "name": "新联盟", "name_en": "new", "slug": "new", "code": "NEW", "is_public": "on",
    })
    alliance = Alliance.objects.get(code="NEW")
    assert response.status_code == 302 and f"/{alliance.pk}/change/" in " ".join(_messages(response))
    assert alliance.rules.pk and alliance.history.first().history_user == admin_user


# ---- announcements -----------------------------------------------------------------------------------------

def _announcement_post(alliance, **overrides):
    return {"alliance": alliance.pk, "title": "关于召开理事会的通知", "body": "正文", "published_at_0": "2026-03-01",
            "published_at_1": "09:00:00", "is_published": "on", **overrides}


def test_an_announcement_is_published_through_the_service(client):
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    client.force_login(staff)
    response = client.post(reverse("admin:alliance_announcement_add"), _announcement_post(alliance))
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and f"/{announcement.pk}/change/" in " ".join(_messages(response))
    record = announcement.history.first()
    assert record.history_user == staff and record.history_change_reason == "发布公告"


def test_a_refused_announcement_shows_on_the_form_and_saves_nothing(client, monkeypatch):
    alliance = AllianceFactory()
    client.force_login(staff_of(alliance))
    monkeypatch.setattr(services, "announcement_create", _refuse("title", "标题与已发布的公告重复。"))
    response = client.post(reverse("admin:alliance_announcement_add"), _announcement_post(alliance))
    assert response.status_code == 200 and "标题与已发布的公告重复。" in response.content.decode()
    assert not Announcement.objects.exists() and not _messages(response)


def test_staff_cannot_move_an_announcement_to_another_alliance(client):
    announcement = AnnouncementFactory()
    other = AllianceFactory()
    client.force_login(staff_of(announcement.alliance))
    url = reverse("admin:alliance_announcement_change", args=[announcement.pk])
    response = client.post(url, page_data(client.get(url), alliance=other.pk))
    assert response.status_code == 200
    announcement.refresh_from_db()
    assert announcement.alliance != other


def test_a_published_announcement_is_withdrawn_not_deleted_and_a_draft_is_deleted_in_history(client):
    published = AnnouncementFactory(is_published=True)
    draft = AnnouncementFactory(alliance=published.alliance, is_published=False)
    staff = staff_of(published.alliance)
    client.force_login(staff)
    response = client.post(reverse("admin:alliance_announcement_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 302 and Announcement.objects.filter(pk=published.pk).exists()
    assert any("已发布的公告不能删除" in m for m in _messages(response))
    client.post(reverse("admin:alliance_announcement_delete", args=[draft.pk]), {"post": "yes"})
    assert not Announcement.objects.filter(pk=draft.pk).exists()
    assert Announcement.history.filter(id=draft.pk, history_type="-").get().history_user == staff


# ---- accounts ----------------------------------------------------------------------------------------------

@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_superuser=True, is_staff=True, name="超级管理员")
    client.force_login(user)
    return client, user


def test_a_superuser_changes_an_account_through_the_service(superuser_client):
    client, admin_user = superuser_client
    person = UserFactory(name="旧名")
    url = reverse("admin:alliance_user_change", args=[person.pk])
    response = client.post(url, page_data(client.get(url), name="新名", email="NEW@Example.cn"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.email) == ("新名", "new@example.cn")
    record = person.history.first()
    assert record.history_user == admin_user and record.history_change_reason == "修改账号：电子邮箱、姓名"


def test_a_superuser_cannot_take_away_their_own_superuser_status(superuser_client):
    client, admin_user = superuser_client
    url = reverse("admin:alliance_user_change", args=[admin_user.pk])
    response = client.post(url, page_data(client.get(url), is_superuser=None, name="改名"))
    assert response.status_code == 200 and "不能取消自己的这项权限" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser and admin_user.name == "超级管理员" and not _messages(response)


def test_a_superuser_opens_an_account_and_sets_its_password_through_the_services(superuser_client):
    client, admin_user = superuser_client
    response = client.post(reverse("admin:alliance_user_add"), {
        "email": "New.Person@example.cn", "name": "新人", "password1": "pass-word-456", "password2": "pass-word-456",
    })
    person = User.objects.get(email="new.person@example.cn")
    assert response.status_code == 302 and f"/{person.pk}/" in response.url
    assert person.check_password("pass-word-456")
    assert person.history.first().history_change_reason == "超级管理员创建账号"
    client.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                {"password1": "another-pass-789", "password2": "another-pass-789", "usable_password": "true"})
    person.refresh_from_db()
    assert person.check_password("another-pass-789")
    record = person.history.first()
    assert record.history_user == admin_user and record.history_change_reason == "超级管理员重设密码"


def test_accounts_and_outbox_e_mails_are_never_deleted_or_edited_in_the_admin(superuser_client):
    client, _ = superuser_client
    person = UserFactory()
    assert client.post(reverse("admin:alliance_user_delete", args=[person.pk]), {"post": "yes"}).status_code == 403
    email = services.email_queue(to="a@example.cn", subject="主题", template="alliance/email/verify.txt",
                                 context={"user": person, "site_url": ""})
    response = client.post(reverse("admin:alliance_email_change", args=[email.pk]), {"subject": "改过", "to": "b@x.cn"})
    email.refresh_from_db()
    assert response.status_code == 403 or email.subject == "主题"
    assert email.subject == "主题"
    assert client.get(reverse("admin:alliance_email_history", args=[email.pk])).status_code == 200


def test_charter_rules_are_changed_only_by_the_alliances_own_staff():
    from django.core.exceptions import PermissionDenied

    from alliance.services import charter_rules_update
    from alliance.tests.factories import AllianceFactory, staff_of

    mine, theirs = AllianceFactory(), AllianceFactory()
    with pytest.raises(PermissionDenied):
        charter_rules_update(actor=staff_of(mine), rules=theirs.rules, pass_numerator=1, pass_denominator=2)
    theirs.rules.refresh_from_db()
    assert (theirs.rules.pass_numerator, theirs.rules.pass_denominator) != (1, 2)
