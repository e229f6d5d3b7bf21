"""Helpers shared by the members services."""

from django.utils.translation import gettext
import calendar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from alliance.models import CharterRules

from ..models import Application, Member

S = Application.Status
M = Member.Status
Route = CharterRules.AdmissionRoute


class TransitionNotAllowed(ValidationError):
    pass


def _refuse(message):
    raise TransitionNotAllowed(message, code="transition")


def _require_applicant(actor, application):
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(gettext("只有申请人本人可以修改或提交该申请。"))


def _refuse_unverified_email(actor):
    """An application is submitted only from an account whose e-mail address is verified: the notices about it go
    there. Drafts may be saved before."""
    if actor is not None and not actor.email_verified:
        raise ValidationError(
            _("请先验证您的电子邮箱（%(email)s）再提交申请：打开注册时收到的验证邮件中的链接，或点击下方链接重新发送。"
              "已填写的内容已保存为草稿。") % {"email": actor.email},
            code="email_unverified",
        )


def _refuse_own_application(actor, application):
    """Nobody decides on their own application, whatever their grants."""
    if actor is not None and actor.pk == application.applicant_id:
        _refuse(_("不能审批本人提交的入会申请，请由其他工作人员办理。"))


def _refuse_second_membership(alliance, user, *, keep=None):
    """One current membership per account and alliance (Member.CURRENT_STATUSES; the database holds it too)."""
    if user is None:
        return
    current = Member.objects.filter(alliance=alliance, user=user, status__in=Member.CURRENT_STATUSES)
    if keep is not None:
        current = current.exclude(pk=keep.pk)
    # The number alone, and no ordering: the partial unique index answers it.
    number = next(iter(current.order_by().values_list("number", flat=True)[:1]), None)
    if number is not None:
        _refuse(_("该账号已是%(alliance)s的成员（编号 %(number)s），不能重复入会。")
                % {"alliance": alliance.name, "number": number})


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _years_later(day, years):
    return _add_months(day, 12 * years)


def _ctx(**extra):
    return {"site_url": settings.SITE_URL, **extra}


def _lock_member(member):
    return Member.objects.select_for_update(of=("self",)).select_related("alliance__rules", "user").get(pk=member.pk)


def member_notify_email(member):
    liaison = getattr(member, "liaison", None)
    if liaison is not None:
        return liaison.email
    if member.application_id and member.application.notify_email:
        return member.application.notify_email
    return member.user.email if member.user_id else ""


def application_people(application):
    """Who hears of an application's steps: the account holder and the form's contact person."""
    return [application.applicant, application.notify_email]


def member_people(member):
    """Who hears of a member's affairs: the member's account and whoever gets its notices (the liaison)."""
    return [member.user if member.user_id else None, member_notify_email(member)]
