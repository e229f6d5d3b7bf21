"""Reading what the outbox holds, for the notice tests of every app."""

import re

from django.core import mail

from alliance import services
from alliance.models import Email


def recipients(subject_contains):
    """The addresses of the outbox rows whose subject contains the text, sorted (a repeat shows twice)."""
    return sorted(Email.objects.filter(subject__contains=subject_contains).values_list("to", flat=True))


# A line that signs a message: "<alliance>秘书处" (the footer's, with its phone) or the portal's name.
SIGN_OFF = re.compile(r"^(\S.*秘书处(　联系电话：.*)?|联盟服务平台)$", re.MULTILINE)


def sign_offs(message):
    """The lines that sign the message's text, and those of its HTML below the banner (which names the sender
    as a letterhead does)."""
    [(html, _mimetype)] = message.alternatives
    html_lines = re.sub(r"<[^>]+>", "\n", html.split("</td></tr>", 1)[1])
    return SIGN_OFF.findall(message.body), SIGN_OFF.findall(html_lines)


def delivered():
    """Send every pending outbox row as the worker does; the messages sent (django.core.mail.outbox).

    Every message names its sender once, in the footer: no template signs off again above it."""
    for pk in Email.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True):
        services.email_deliver(email_id=pk)
    for message in mail.outbox:
        text, html = sign_offs(message)
        assert len(text) == 1 and len(html) == 1, (message.subject, text, html)
    return mail.outbox
