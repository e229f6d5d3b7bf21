"""Writes on the root models: accounts, secretariat grants, the e-mail outbox."""

import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from .models import CharterRules, Email, User
from .permissions import MANAGE_ALLIANCE
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
    from .tasks import email_send

    email = Email.objects.create(to=to, subject=subject, body=render_to_string(template, context))
    enqueue_on_commit(email_send, email.pk)
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


# Checks that may refuse a change of an alliance's charter rules, registered by the domain apps from their
# AppConfig.ready() (the root app imports none of them): check(*, alliance) raises ValidationError to refuse.
_charter_change_checks = []


def charter_change_check_register(check):
    if check not in _charter_change_checks:
        _charter_change_checks.append(check)


@transaction.atomic
def charter_rules_update(*, actor, rules, **values):
    """Change the charter rules' values.

    Refused while a registered check says no, e.g. while a vote of the alliance is open (its count follows
    the rules frozen at its opening; governance registers that check).
    """
    rules = CharterRules.objects.select_for_update().select_related("alliance").get(pk=rules.pk)
    if all(getattr(rules, name) == value for name, value in values.items()):
        return rules
    for check in _charter_change_checks:
        check(alliance=rules.alliance)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.full_clean()
    with_history(rules, actor=actor, reason="修改章程规则").save()
    return rules


@transaction.atomic
def alliance_save(*, actor, alliance, **values):
    """Create an alliance (alliance unsaved, with the default charter rules) or change its details."""
    created = alliance.pk is None
    for name, value in values.items():
        setattr(alliance, name, value)
    alliance.full_clean()
    with_history(alliance, actor=actor, reason="设立联盟" if created else "修改联盟信息").save()
    if created:
        rules = CharterRules(alliance=alliance)
        rules.full_clean()
        with_history(rules, actor=actor, reason="设立联盟").save()
    return alliance
