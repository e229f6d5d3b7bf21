"""The top navigation by role, and the site search over what the domain apps make public.

The root app knows no domain model: each domain app registers in its AppConfig.ready() the links it shows a
person (a function of the user and the facts giving (label, url) or None), the facts about a person its links depend
on (a queryset over rows pointing at the user, whose existence is the fact) and the public records it lets the search
find. The facts of every app are read in one query for a signed-in person, none for a visitor: the navigation is on
every page.
"""

import dataclasses
from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef

SEARCH_PAGE_SIZE = 10


@dataclasses.dataclass(frozen=True)
class Link:
    order: int
    link: Callable  # (user, facts) -> (label, url) or None: the link this person sees, if any


@dataclasses.dataclass(frozen=True)
class SearchSource:
    key: str  # the query-string prefix of its page number: ?<key>_page=2
    title: str
    order: int
    find: Callable  # text -> queryset of matching rows, ordered
    row: Callable  # row -> (text, url, detail)


# By order, by name and by key: registering one again replaces it.
_links = {}
_facts = {}
_sources = {}


def link_register(link, *, order):
    _links[order] = Link(order, link)


def fact_register(name, rows, *, user_field="user"):
    """A fact about a person: whether ``rows`` (a queryset) holds one whose ``user_field`` is the person."""
    _facts[name] = (rows, user_field)


def facts_for(user):
    """{name: bool} of every registered fact, in one query for a signed-in person and none for a visitor."""
    if not user.is_authenticated or not _facts:
        return dict.fromkeys(_facts, False)
    from .models import User

    found = User.objects.filter(pk=user.pk).values(**{
        name: Exists(rows.filter(**{user_field: OuterRef("pk")})) for name, (rows, user_field) in _facts.items()
    }).first()
    return found or dict.fromkeys(_facts, False)


def search_register(key, title, *, find, row, order):
    _sources[key] = SearchSource(key, title, order, find, row)


def links_for(user):
    """The registered links this person sees, in order: [(label, url)]."""
    facts = facts_for(user)
    shown = (entry.link(user, facts) for entry in sorted(_links.values(), key=lambda e: e.order))
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
