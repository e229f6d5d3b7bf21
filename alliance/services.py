"""Writes on the root models: accounts, alliances, announcements, secretariat grants, the e-mail outbox."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from .models import Alliance, Announcement, CharterRules, Email, User
from .permissions import MANAGE_ALLIANCE, require_manage_alliance
from .queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

SECRETARIAT_GROUP = "秘书处工作人员"
# Apps whose every model secretariat staff may work on in the admin; the rows they see are narrowed to
# their own alliances by alliance.permissions.
SECRETARIAT_APPS = ("members", "governance", "projects", "finance")
SECRETARIAT_ROOT_PERMS = (
    "view_alliance", "change_alliance",
    "view_charterrules", "change_charterrules",
    "view_announcement", "add_announcement", "change_announcement", "delete_announcement",
)


def with_history(obj, *, actor, reason=""):
    """Tag obj so that its next save is recorded in history with the actor and the reason."""
    obj._history_user = actor
    obj._change_reason = reason
    return obj


def checked_and_saved(obj, *, actor, reason):
    """obj checked against its model's rules (``full_clean``), then saved with the actor and reason in history."""
    obj.full_clean()
    with_history(obj, actor=actor, reason=reason).save()
    return obj


def secretariat_group_sync():
    """Give the secretariat group the model permissions of every model its staff work on."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS) | Permission.objects.filter(
        content_type__app_label="alliance", codename__in=SECRETARIAT_ROOT_PERMS
    )
    group.permissions.set(perms)
    return group


@transaction.atomic
def secretariat_grant(*, actor, user, alliance):
    """Make user a secretariat staff member of alliance (and of no other)."""
    group = secretariat_group_sync()
    if not user.is_staff:
        user.is_staff = True
        with_history(user, actor=actor, reason=f"任命为{alliance}秘书处工作人员").save(update_fields=["is_staff"])
    user.groups.add(group)
    assign_perm(MANAGE_ALLIANCE, user, alliance)
    logger.info("Secretariat grant: %s -> %s by %s", user, alliance, actor)


@transaction.atomic
def secretariat_revoke(*, actor, user, alliance):
    remove_perm(MANAGE_ALLIANCE, user, alliance)
    logger.info("Secretariat revoke: %s -> %s by %s", user, alliance, actor)


@transaction.atomic
def user_register(*, email, name, password):
    user = User.objects.create_user(email=email, name=name, password=password)
    email_queue(
        to=user.email,
        subject="欢迎注册联盟服务平台",
        template="alliance/email/welcome.txt",
        context={"user": user, "site_url": settings.SITE_URL},
    )
    return user


def email_queue(*, to, subject, template, context):
    """Write an e-mail to the outbox and send it from a worker once the transaction commits."""
    email = Email.objects.create(to=to, subject=subject, body=render_to_string(template, context))
    enqueue_on_commit("alliance.tasks.email_send", email.pk)
    return email


class EmailDeliveryFailed(Exception):
    pass


def email_deliver(*, email_id):
    """Send one outbox e-mail unless it has been sent already (safe to run twice).

    A failed send is recorded on the row and then raised as EmailDeliveryFailed, so the task can retry.
    """
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        email.attempts += 1
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except OSError as exc:  # smtplib's errors are OSErrors too
            error = exc
            email.last_error = str(exc)[:1000]
            email.save(update_fields=["attempts", "last_error"])
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "sent_at"])
            return True
    raise EmailDeliveryFailed(str(error)) from error


def email_pending_ids(*, older_than_seconds=120, max_attempts=10):
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Email.objects.filter(sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=max_attempts)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


@transaction.atomic
def profile_update(*, actor, user, name, phone):
    user.name = name
    user.phone = phone
    with_history(user, actor=actor, reason="修改个人资料").save(update_fields=["name", "phone"])
    return user


# Checks that may refuse a superuser's setting of an alliance's decision rules, registered by the domain apps from
# their AppConfig.ready() (the root app imports none of them): check(*, alliance) raises ValidationError to refuse.
_charter_change_checks = []


def charter_change_check_register(check):
    if check not in _charter_change_checks:
        _charter_change_checks.append(check)


@transaction.atomic
def charter_rules_update(*, actor, rules, **values):
    """Change the charter rules from the admin.

    Staff change the texts shown to people. The decision rules (CharterRules.DECISION_FIELDS) change only by a
    passed amendment (charter_rules_amend); a superuser sets them for a new alliance, while the registered checks
    agree (governance refuses once the alliance has held a vote), recorded as such.
    """
    rules = CharterRules.objects.select_for_update().select_related("alliance").get(pk=rules.pk)
    require_manage_alliance(actor, rules.alliance)
    changed = {name: value for name, value in values.items() if getattr(rules, name) != value}
    if not changed:
        return rules
    decisions = [name for name in changed if name in CharterRules.DECISION_FIELDS]
    reason = _("修改章程规则")
    if decisions:
        if not actor.is_superuser:
            message = _("议事与成员规则只能依据决策机构表决通过的修改章程议案修改。")
            raise ValidationError({name: message for name in decisions})
        for check in _charter_change_checks:
            check(alliance=rules.alliance)
        reason = _("超级管理员设定新联盟的章程规则")
    for name, value in changed.items():
        setattr(rules, name, value)
    checked_and_saved(rules, actor=actor, reason=reason)
    return rules


@transaction.atomic
def charter_rules_amend(*, actor, alliance, values, reason):
    """Put the decision rules of a passed amendment into effect (the decision's own effect calls this, its reason
    naming the motion); refused like the amendment, by CharterRules.amended."""
    rules = CharterRules.objects.select_for_update().get(alliance=alliance)
    return checked_and_saved(rules.amended(values), actor=actor, reason=reason)


# ---- accounts, alliances and announcements as the admin changes them -------------------------------------------

def _require_superuser(actor):
    if actor is None or not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("只有超级管理员可以办理此事项。"))


def set_values(obj, values, allowed):
    """Put form values on obj (files and many-to-many the way a model form does); the names of those changed."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__} values not editable here: {sorted(unknown)}")
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if not field.many_to_many:
            field.save_form_data(obj, value)
        changed.append(str(field.verbose_name))
    return changed


def _save_many_to_many(obj, values):
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            field.save_form_data(obj, value)


def _email_taken(email, *, by=None):
    others = User.objects.filter(email__iexact=email)
    if by is not None:
        others = others.exclude(pk=by.pk)
    if others.exists():
        raise ValidationError({"email": _("该电子邮箱已有账号。")})


ACCOUNT_FIELDS = ("email", "name", "phone", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")


@transaction.atomic
def account_create(*, actor, email, name, password=None, phone=""):
    """A superuser opens an account; without a password, the person sets one through the reset e-mail."""
    _require_superuser(actor)
    email = User.objects.normalize_email(email).lower()
    _email_taken(email)
    user = User(email=email, name=name, phone=phone)
    user.set_password(password)  # None: an unusable password
    user.full_clean(exclude=["password"])
    with_history(user, actor=actor, reason=_("超级管理员创建账号")).save()
    return user


@transaction.atomic
def account_update(*, actor, user, reason="", **values):
    """A superuser changes an account's details, status and permissions (ACCOUNT_FIELDS).

    Nobody takes away their own superuser, staff or active status: another superuser does, so the portal is never
    left without one by a slip.
    """
    _require_superuser(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        lost = {name: _("不能取消自己的这项权限，请由另一位超级管理员办理。")
                for name in ("is_superuser", "is_staff", "is_active") if name in values and not values[name]}
        if lost:
            raise ValidationError(lost)
    if "email" in values:
        values["email"] = User.objects.normalize_email(values["email"]).lower()
        _email_taken(values["email"], by=user)
    changed = set_values(user, values, ACCOUNT_FIELDS)
    user.full_clean(exclude=["password"])
    with_history(user, actor=actor, reason=reason or _("修改账号：%s") % "、".join(changed)).save()
    _save_many_to_many(user, values)
    return user


@transaction.atomic
def account_password_set(*, actor, user, password):
    """A superuser sets an account's password (None: sign-in by password is turned off for it)."""
    _require_superuser(actor)
    user.set_password(password)
    reason = _("超级管理员重设密码") if password is not None else _("超级管理员停用密码登录")
    with_history(user, actor=actor, reason=reason).save(update_fields=["password"])
    return user


# Fixed once the alliance is set up: the code is in every member number and 文号, the slug in every public link,
# the kind decides what the deployment offers. A superuser changes them; staff edit the alliance's texts.
ALLIANCE_SUPERUSER_FIELDS = ("kind", "code", "slug")
ALLIANCE_FIELDS = ("name", "short_name", "name_en", "logo", "summary", "charter_text", "contact_person", "phone",
                   "email", "website", "address", "supervisor_name", "supervisor_contact",
                   "supervisor_phone", "supervisor_email", "is_public", *ALLIANCE_SUPERUSER_FIELDS)


@transaction.atomic
def alliance_create(*, actor, **values):
    """A superuser adds an alliance, with the default charter rules that its staff then set from its charter."""
    _require_superuser(actor)
    alliance = Alliance()
    set_values(alliance, values, ALLIANCE_FIELDS)
    checked_and_saved(alliance, actor=actor, reason=_("创建联盟"))
    rules = CharterRules(alliance=alliance)
    checked_and_saved(rules, actor=actor, reason=_("创建联盟：默认章程规则"))
    return alliance


@transaction.atomic
def alliance_update(*, actor, alliance, reason="", **values):
    """The alliance's staff (or a superuser) change its details; ALLIANCE_SUPERUSER_FIELDS only a superuser."""
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    require_manage_alliance(actor, alliance)
    if not actor.is_superuser:
        fixed = {name: _("只有超级管理员可以修改此项。") for name in ALLIANCE_SUPERUSER_FIELDS if name in values}
        if fixed:
            raise ValidationError(fixed)
    changed = set_values(alliance, values, ALLIANCE_FIELDS)
    checked_and_saved(alliance, actor=actor, reason=reason or _("修改联盟信息：%s") % "、".join(changed))
    return alliance


ANNOUNCEMENT_FIELDS = ("alliance", "title", "body", "published_at", "is_published")


@transaction.atomic
def announcement_create(*, actor, alliance, title, body, published_at=None, is_published=True):
    require_manage_alliance(actor, alliance)
    announcement = Announcement(alliance=alliance, title=title, body=body, is_published=is_published,
                                published_at=published_at or timezone.now())
    checked_and_saved(announcement, actor=actor, reason=_("发布公告") if is_published else _("起草公告"))
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement, reason="", **values):
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    require_manage_alliance(actor, announcement.alliance)
    if "alliance" in values:
        require_manage_alliance(actor, values["alliance"])
    changed = set_values(announcement, values, ANNOUNCEMENT_FIELDS)
    checked_and_saved(announcement, actor=actor, reason=reason or _("修改公告：%s") % "、".join(changed))
    return announcement


@transaction.atomic
def announcement_delete(*, actor, announcement):
    """Delete a draft. A published announcement is part of the public record: it is withdrawn (unpublished), and
    its history keeps what was shown."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    require_manage_alliance(actor, announcement.alliance)
    if announcement.is_published:
        raise ValidationError(_("已发布的公告不能删除；如需撤下，请取消“已发布”后保存。"))
    with_history(announcement, actor=actor, reason=_("删除公告草稿")).delete()
