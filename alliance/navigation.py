"""The top navigation by role, and the site search over what the domain apps make public.

The root app knows no domain model: each domain app registers in its AppConfig.ready() the links it shows a
person (a function of the user and the facts giving (label, url) or None), the facts about a person its links depend
on (a queryset over rows pointing at the user, whose existence is the fact) and the public records it lets the search
find. The facts of every app are read in one query for a signed-in person, none for a visitor, and kept in the
shared cache: the navigation is on every page. Saving or deleting a row of a fact's model forgets the person's
facts (now and once the transaction commits); a row moved to another person (a seat given to someone else), or
written in bulk, leaves the links as they were for at most ``FACTS_TIMEOUT``. Only links depend on the facts: every page
checks access itself.
"""

import dataclasses
from collections.abc import Callable

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save

SEARCH_PAGE_SIZE = 10
FACTS_TIMEOUT = 300


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


def _facts_key(user_pk):
    return f"navigation-facts:{user_pk}"


def facts_forget(user_pk):
    """Read the person's facts afresh on their next page (and again after the commit: a page that read them before
    it may have kept the old ones)."""
    if user_pk is not None:
        key = _facts_key(user_pk)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key), robust=True)


def fact_register(name, rows, *, user_field="user"):
    """A fact about a person: whether ``rows`` (a queryset) holds one whose ``user_field`` is the person."""
    _facts[name] = (rows, user_field)

    def changed(sender, instance, **kwargs):
        facts_forget(getattr(instance, f"{user_field}_id"))

    for signal, event in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(changed, sender=rows.model, weak=False, dispatch_uid=f"navigation-fact-{name}-{event}")


def facts_for(user):
    """{name: bool} of every registered fact: from the cache, or one query, for a signed-in person; none for a
    visitor."""
    if not user.is_authenticated or not _facts:
        return dict.fromkeys(_facts, False)
    from .models import User

    key = _facts_key(user.pk)
    found = cache.get(key)
    if found is None or found.keys() != _facts.keys():
        found = User.objects.filter(pk=user.pk).values(**{
            name: Exists(rows.filter(**{user_field: OuterRef("pk")})) for name, (rows, user_field) in _facts.items()
        }).first() or dict.fromkeys(_facts, False)
        cache.set(key, found, FACTS_TIMEOUT)
    return found


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
