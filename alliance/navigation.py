"""The top navigation by role, and the site search over what the domain apps make public.

The root app knows no domain model: each domain app registers in its AppConfig.ready() the links it shows a
person (a function of the user giving (label, url) or None) and the public records it lets the search find.
"""

import dataclasses
from collections.abc import Callable

from django.core.paginator import Paginator

SEARCH_PAGE_SIZE = 10


@dataclasses.dataclass(frozen=True)
class Link:
    order: int
    link: Callable  # user -> (label, url) or None: the link this person sees, if any


@dataclasses.dataclass(frozen=True)
class SearchSource:
    key: str  # the query-string prefix of its page number: ?<key>_page=2
    title: str
    order: int
    find: Callable  # text -> queryset of matching rows, ordered
    row: Callable  # row -> (text, url, detail)


# By order and by key: registering one again replaces it.
_links = {}
_sources = {}


def link_register(link, *, order):
    _links[order] = Link(order, link)


def search_register(key, title, *, find, row, order):
    _sources[key] = SearchSource(key, title, order, find, row)


def links_for(user):
    """The registered links this person sees, in order: [(label, url)]."""
    shown = (entry.link(user) for entry in sorted(_links.values(), key=lambda e: e.order))
    return [link for link in shown if link]


def search(text, page_numbers):
    """One group per source: (source, page of (text, url, detail)) for every source with a match."""
    groups = []
    for source in sorted(_sources.values(), key=lambda s: s.order):
        page = Paginator(source.find(text), SEARCH_PAGE_SIZE).get_page(page_numbers.get(source.key))
        if page.paginator.count:
            page.object_list = [source.row(row) for row in page.object_list]
            groups.append((source, page))
    return groups
