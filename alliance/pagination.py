"""Pages of long lists whose cost does not grow with the rows: no count of the whole list.

A full ``COUNT(*)`` reads every row the filters match (a national deployment's members, invoices, ballots), so a
list page would cost more the longer the alliance exists. ``CappedCountPaginator`` (the admin's changelists)
counts at most ``CAP`` rows past the start of the page asked for: the count is exact below that, and "more
than" above it. ``page_of`` (the site's own lists) fetches one row more than a page to know whether there is a
next one and shows no total at all.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedCountPaginator(Paginator):
    """Counts up to ``cap`` rows from the start of ``page_number``'s page (exact when fewer).

    ``capped`` says the count is a lower bound; ``at_least`` is then the number of rows known to exist. A page
    number past the end falls back to the full count, so the admin can send the person back to the list.
    """

    cap = CAP

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, page_number=1):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.page_number, self.capped = max(page_number, 1), False

    @cached_property
    def count(self):
        start = (self.page_number - 1) * self.per_page
        # How many rows from the start of the page (up to the cap) does not depend on their order, nor on the
        # columns the list shows (an annotation such as a count of attachments would be computed for each row).
        seen = self.object_list.order_by().values("pk")[start:start + self.cap + 1].count()
        if not seen and start:
            return self.object_list.count()
        self.capped = seen > self.cap
        return start + seen

    @property
    def at_least(self):
        return self.count - 1 if self.capped else self.count


def page_number_of(value):
    """A page number from a query string; anything else is the first page."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


class LookaheadPage:
    """One page of a list and whether another follows, read with one query of ``per_page + 1`` rows."""

    def __init__(self, queryset, per_page, number):
        self.number = page_number_of(number)
        start = (self.number - 1) * per_page
        rows = list(queryset[start:start + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_of(queryset, per_page, number):
    return LookaheadPage(queryset, per_page, number)
