"""Who a briefing's 发 line reaches beyond the bodies' seats: the member units (seed 003: 发：…成员单位).

Governance knows bodies and seats, not members. The app that keeps the members registers, in its
AppConfig.ready(), how to find them (``members_register``); until it does, a briefing reaches no member.
"""

from alliance.models import Alliance

_members = {}


def members_register(*, alliances_read_by, emails_of):
    """alliances_read_by(user) -> a queryset of the ids of alliances where the user's unit is a current member;
    emails_of(alliance) -> the e-mail addresses of the alliance's current member units' liaisons."""
    _members.update(alliances_read_by=alliances_read_by, emails_of=emails_of)


def alliances_read_by(user):
    reader = _members.get("alliances_read_by")
    return reader(user) if reader else Alliance.objects.none().values("pk")


def member_emails(alliance):
    emails_of = _members.get("emails_of")
    return sorted(set(emails_of(alliance))) if emails_of else []
