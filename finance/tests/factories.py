import datetime
from decimal import Decimal

from members.tests.factories import admitted_member, alliance_with

DUE = datetime.date(2026, 3, 31)


def dues_alliance():
    return alliance_with(dues_apply=True)


def billed_member(alliance=None, *, amount="2000.00", year=2026):
    """An admitted member of an alliance with dues, with that year's invoice issued; returns (invoice, staff)."""
    from finance import services

    alliance = alliance or dues_alliance()
    member, staff = admitted_member(alliance=alliance)
    services.dues_schedule_set(actor=staff, alliance=alliance, member_kind=member.kind, year=year,
                               amount=Decimal(amount), due_date=DUE.replace(year=year))
    services.invoices_issue(actor=staff, alliance=alliance, year=year)
    return member.invoices.get(year=year), staff
