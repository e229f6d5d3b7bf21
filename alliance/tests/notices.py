"""Reading what the outbox holds, for the notice tests of every app."""

from django.core import mail

from alliance import services
from alliance.models import Email


def recipients(subject_contains):
    """The addresses of the outbox rows whose subject contains the text, sorted (a repeat shows twice)."""
    return sorted(Email.objects.filter(subject__contains=subject_contains).values_list("to", flat=True))


def delivered():
    """Send every pending outbox row as the worker does; the messages sent (django.core.mail.outbox)."""
    for pk in Email.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True):
        services.email_deliver(email_id=pk)
    return mail.outbox
