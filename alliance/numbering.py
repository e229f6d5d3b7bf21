"""Gapless numbers per kind, alliance and year: member numbers, receipts, briefings, appointment letters.

Callers draw inside their own transaction. The counter row stays locked until that transaction ends, so
concurrent callers take numbers one after another, and a transaction that rolls back gives its number back.
"""

from django.db import transaction
from django.db.transaction import TransactionManagementError

from .models import Counter

Kind = Counter.Kind


def _locked_counter(*, kind, alliance, year):
    key = {"kind": kind, "alliance": alliance, "year": year}
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the lock would end at once and a later failure of the caller leave a gap.
        raise TransactionManagementError("Numbers are drawn inside the transaction that uses them.")
    counter = Counter.objects.select_for_update().filter(**key).first()
    if counter is None:
        # The first number of a scope: two callers may both find no row. INSERT … ON CONFLICT DO NOTHING makes
        # the second wait for the first to commit and then insert nothing, where get_or_create would fail
        # with an IntegrityError that aborts the transaction on PostgreSQL.
        Counter.objects.bulk_create([Counter(**key)], ignore_conflicts=True)
        counter = Counter.objects.select_for_update().get(**key)
    return counter


def number_next(*, kind, alliance, year):
    """The next number of ``kind`` for the alliance and year (1, 2, 3 …), the counter locked until commit."""
    counter = _locked_counter(kind=kind, alliance=alliance, year=year)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def number_given_back(*, kind, alliance, year, value):
    """A numbered row left the scope (a briefing moved to another year): when it held the last number, the
    next one drawn is that number again, so the scope keeps no gap at its end."""
    counter = _locked_counter(kind=kind, alliance=alliance, year=year)
    if counter.value == value:
        counter.value -= 1
        counter.save(update_fields=["value"])


def numbers_taken(*, kind, alliance, year, value):
    """Numbers up to ``value`` were given outside number_next (loaded records): continue after them."""
    counter = _locked_counter(kind=kind, alliance=alliance, year=year)
    if counter.value < value:
        counter.value = value
        counter.save(update_fields=["value"])
