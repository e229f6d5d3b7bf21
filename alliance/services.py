"""Writes on the root models: accounts, alliances, announcements, secretariat grants, the e-mail outbox."""

from django.utils.translation import gettext, gettext_lazy
import functools
import logging
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from .models import NOTICES_ALWAYS_ON, Alliance, Announcement, CharterRules, Email, Notice, User
from .permissions import MANAGE_ALLIANCE, require_manage_alliance
from .queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

SECRETARIAT_GROUP = gettext_lazy("秘书处工作人员")
# Apps whose every model secretariat staff may work on in the admin; the rows they see are narrowed to
# their own alliances by alliance.permissions.
SECRETARIAT_APPS = ("members", "governance", "projects", "finance")
SECRETARIAT_ROOT_PERMS = (
    "view_alliance", "change_alliance",
    "view_charterrules", "change_charterrules",
    "view_announcement", "add_announcement", "change_announcement", "delete_announcement",
)


def with_history(obj, *, actor, reason=""):
    """Tag obj so that its next save is recorded in history with the actor and the reason. The reason is a record:
    a lazy text is written in the portal's language (site_language), whatever language the actor reads."""
    obj._history_user = actor
    with site_language():
        obj._change_reason = str(reason)
    return obj


def history_record(obj, *, actor, reason):
    """Record obj as it now is in history, for a row just written by a conditional update (which sends no signal):
    the one history row of that change, without saving the row a second time."""
    with site_language():
        reason = str(reason)
    type(obj).history.bulk_history_create([obj], update=True, default_user=actor, default_change_reason=reason)
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
        with_history(user, actor=actor, reason=gettext("任命为%(alliance)s秘书处工作人员") % {"alliance": alliance}).save(update_fields=["is_staff"])
    user.groups.add(group)
    assign_perm(MANAGE_ALLIANCE, user, alliance)
    logger.info("Secretariat grant: %s -> %s by %s", user, alliance, actor)


@transaction.atomic
def secretariat_revoke(*, actor, user, alliance):
    remove_perm(MANAGE_ALLIANCE, user, alliance)
    logger.info("Secretariat revoke: %s -> %s by %s", user, alliance, actor)


# The version of the personal-information texts (templates/registration/_privacy_consent.html and
# templates/alliance/privacy.html) recorded with each consent: change it whenever their facts change.
PRIVACY_NOTICE_VERSION = "2026-12"
EMAIL_VERIFICATION_SALT = "alliance.email-verification"
INVALID_LINK = gettext_lazy("验证链接无效，请检查链接是否完整，或登录后重新发送验证邮件。")
# A resend or a second sign-up with the same address mails the account at most this often, so the forms cannot
# be used to flood a mailbox.
ACCOUNT_MAIL_INTERVAL = timezone.timedelta(minutes=1)


@transaction.atomic
def user_register(*, email, name, password):
    """Open an account from the sign-up form, unverified, and mail it the verification link.

    For an address that has an account already, nothing is opened; the address's owner is told that someone tried
    and how to log in or reset the password (with a new verification link if the account is not verified yet: the
    person who lost the first mail signs up again). The sign-up page answers both alike, so it does not reveal
    which addresses have accounts: the password is hashed either way, so the time taken does not either. Returns
    the new account, or None.
    """
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, name=name, email_verified_at=None, privacy_consent_at=timezone.now(),
                privacy_consent_version=PRIVACY_NOTICE_VERSION)
    user.set_password(password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if _account_mail_claimed(existing):
            email_queue(
                to=existing.email, subject=_("有人尝试使用您的邮箱注册联盟服务平台"),
                template="alliance/email/signup_existing.txt",
                context={"user": existing, "site_url": settings.SITE_URL,
                         "link": None if existing.email_verified else _verification_link(existing)},
            )
        return None
    with_history(user, actor=None, reason=gettext_lazy("注册账号")).save()
    _account_mail_claimed(user)
    _verification_mail(user, subject=_("欢迎注册联盟服务平台，请验证您的电子邮箱"))
    return user


def _account_mail_claimed(user):
    """True (and the time noted) when the account may be sent another verification or sign-up mail now."""
    now = timezone.now()
    free = Q(account_mail_sent_at__isnull=True) | Q(account_mail_sent_at__lte=now - ACCOUNT_MAIL_INTERVAL)
    # One conditional UPDATE: of two requests at the same moment, only one claims the mail.
    return User.objects.filter(free, pk=user.pk).update(account_mail_sent_at=now) == 1


def email_verification_token(user):
    """A signed token naming the account and its address; it stops working when the address changes."""
    return signing.dumps({"id": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT)


def _verification_link(user):
    return settings.SITE_URL + reverse("email_verify", args=[email_verification_token(user)])


def _verification_mail(user, *, subject):
    email_queue(
        to=user.email, subject=subject, template="alliance/email/verify.txt",
        context={"user": user, "link": _verification_link(user), "days": settings.EMAIL_VERIFICATION_DAYS,
                 "site_url": settings.SITE_URL},
    )


@transaction.atomic
def email_verification_resend(*, actor):
    """Mail the signed-in person a new verification link (at most one a minute)."""
    if actor.email_verified:
        raise ValidationError(_("您的电子邮箱已验证，无需再次验证。"), code="verified")
    if not _account_mail_claimed(actor):
        raise ValidationError(_("验证邮件刚刚发出，请一分钟后再试。"), code="throttled")
    _verification_mail(actor, subject=_("请验证您在联盟服务平台的电子邮箱"))


@transaction.atomic
def email_verify(*, token, actor=None):
    """Note that the account the token names has verified its address; returns the account.

    Refused (ValidationError) when the token was tampered with, has expired, names no account, names an address
    the account no longer has, or names another account than the signed-in actor's (nothing changes for either).
    Following a link a second time changes nothing.
    """
    try:
        claim = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=timezone.timedelta(
            days=settings.EMAIL_VERIFICATION_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(_("验证链接已过期，请登录后重新发送验证邮件。"), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(INVALID_LINK, code="invalid") from None
    if actor is not None and actor.is_authenticated and actor.pk != claim.get("id"):
        raise ValidationError(_("该验证链接属于另一个账号。请退出当前账号后再打开链接。"), code="other_account")
    user = User.objects.select_for_update().filter(pk=claim.get("id"), email=claim.get("email")).first()
    if user is None:
        raise ValidationError(INVALID_LINK, code="invalid")
    if not user.email_verified:
        user.email_verified_at = timezone.now()
        with_history(user, actor=user, reason=gettext_lazy("验证电子邮箱")).save(update_fields=["email_verified_at"])
    return user


def _sender(alliance):
    """The From header: the alliance's name where the notice concerns one, the portal's otherwise."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = (alliance.name if alliance is not None else name).replace('"', "").replace("\\", "")
    return f'"{name}" <{address}>' if name else address


def _rendered(template, context, alliance):
    """The plain text (the notice's template, then the footer) and the HTML (the one layout around that text)."""
    context = {"site_url": settings.SITE_URL, "site_operator": settings.SITE_OPERATOR, "site_icp": settings.SITE_ICP,
               "sender": alliance, **context}
    text = render_to_string(template, context).strip()
    footer = render_to_string("alliance/email/footer.txt", context).strip()
    html = render_to_string("alliance/email/layout.html", {**context, "text": text})
    return f"{text}\n\n-- \n{footer}\n", html


def email_queue(*, to, subject, template, context, alliance=None, kind=Notice.ACCOUNT):
    """Write an e-mail to the outbox and send it from a worker once the transaction commits.

    A notice to people goes through notify(), which dedupes and honours their preferences; this writes one.
    """
    [email] = _emails_create([to], subject=subject, template=template, context=context, alliance=alliance,
                             kind=kind)
    return email


def _emails_create(addresses, *, subject, template, context, alliance, kind):
    return _emails_saved(_emails_built(addresses, subject=subject, template=template, context=context,
                                       alliance=alliance, kind=kind))


def _emails_built(addresses, *, subject, template, context, alliance, kind):
    body, html = _rendered(template, context, alliance)
    return [Email(to=address, subject=subject[:200], body=body, html_body=html, kind=kind, from_email=_sender(alliance))
            for address in addresses]


def _emails_saved(emails):
    """Write the e-mails; once committed, one task sends them all (a task per message costs a broker round trip)."""
    if not emails:
        return []
    emails = Email.objects.bulk_create(emails)
    enqueue_on_commit("alliance.tasks.email_send", *[email.pk for email in emails])
    return emails


def site_language():
    """Notices to other people are written in the portal's language (LANGUAGE_CODE: Chinese, as the charters and
    offices read them), whatever language the person acting reads the portal in: their subjects are worked out and
    their templates rendered inside this block. A person's own account e-mails follow that person's language."""
    return translation.override(settings.LANGUAGE_CODE)


def in_site_language(function):
    """site_language() around every call of function (a fresh override per call: one instance is not thread-safe)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with site_language():
            return function(*args, **kwargs)
    return wrapper


def notify(*, to, kind, subject, template, context, alliance=None):
    """Queue one notice to each person in ``to`` (accounts or e-mail addresses, blanks and None skipped): one
    e-mail per address however often it is named, none to an inactive account, and none to an account that
    turned the kind off (decisions, money and the account's own e-mails always go, NOTICES_ALWAYS_ON)."""
    return notify_all([{"to": to, "kind": kind, "subject": subject, "template": template, "context": context,
                        "alliance": alliance}])


def notify_all(notices):
    """Several notices of one event (each a dict of notify()'s arguments), as notify() queues each: the settings of
    the addresses given as text read in one query, the e-mails written in one insert and handed to one task."""
    planned, unknown = [], set()
    for notice in notices:
        kind = notice["kind"]
        addresses, accounts, off = {}, set(), set()
        for person in notice["to"]:
            if isinstance(person, User):
                accounts.add(person.email.lower())
                if not person.is_active or (kind not in NOTICES_ALWAYS_ON and kind in person.notices_off):
                    off.add(person.email.lower())
                person = person.email
            person = (person or "").strip()
            if person:
                addresses.setdefault(person.lower(), person)
        if kind not in NOTICES_ALWAYS_ON:
            unknown.update(key for key in addresses if key not in accounts)
        planned.append((notice, addresses, accounts, off))
    # Addresses given as text: an account using one has its settings honoured too.
    kinds_of = dict(User.objects.filter(email__in=sorted(unknown)).values_list("email", "notices_off")) if unknown else {}
    kinds_of = {email.lower(): kinds or [] for email, kinds in kinds_of.items()}
    emails = []
    for notice, addresses, accounts, off in planned:
        kind = notice["kind"]
        if kind not in NOTICES_ALWAYS_ON:
            off.update(key for key in addresses if key not in accounts and kind in kinds_of.get(key, ()))
        to = [address for key, address in addresses.items() if key not in off]
        if to:
            emails += _emails_built(to, subject=notice["subject"], template=notice["template"],
                                    context=notice["context"], alliance=notice.get("alliance"), kind=kind)
    return _emails_saved(emails)


@transaction.atomic
def notice_preferences_update(*, actor, user, enabled):
    """Keep on the notice kinds in ``enabled`` and turn the others off; those always on stay on whatever is asked."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的通知设置。"))
    enabled = set(enabled) | NOTICES_ALWAYS_ON
    user.notices_off = [kind for kind in Notice.values if kind not in enabled]
    with_history(user, actor=actor, reason=gettext_lazy("修改通知设置")).save(update_fields=["notices_off"])
    return user


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
            message = EmailMultiAlternatives(email.subject, email.body, email.from_email or settings.DEFAULT_FROM_EMAIL,
                                             [email.to])
            if email.html_body:
                message.attach_alternative(email.html_body, "text/html")
            message.send()
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
    with_history(user, actor=actor, reason=gettext_lazy("修改个人资料")).save(update_fields=["name", "phone"])
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
    reason = gettext_lazy("修改章程规则")
    if decisions:
        if not actor.is_superuser:
            message = _("议事与成员规则只能依据决策机构表决通过的修改章程议案修改。")
            raise ValidationError({name: message for name in decisions})
        for check in _charter_change_checks:
            check(alliance=rules.alliance)
        reason = gettext_lazy("超级管理员设定新联盟的章程规则")
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
    with_history(user, actor=actor, reason=gettext_lazy("超级管理员创建账号")).save()
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
    reason = gettext_lazy("超级管理员重设密码") if password is not None else gettext_lazy("超级管理员停用密码登录")
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
    checked_and_saved(alliance, actor=actor, reason=gettext_lazy("创建联盟"))
    rules = CharterRules(alliance=alliance)
    checked_and_saved(rules, actor=actor, reason=gettext_lazy("创建联盟：默认章程规则"))
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
    checked_and_saved(announcement, actor=actor, reason=gettext_lazy("发布公告") if is_published else gettext_lazy("起草公告"))
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
    with_history(announcement, actor=actor, reason=gettext_lazy("删除公告草稿")).delete()
