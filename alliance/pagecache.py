"""Rendered pages and fragments kept in the shared cache, each valid for one version of the data it shows.

A ``VersionedCache`` keeps a version per scope (an alliance's directory, say): a random token that ``bump``
replaces whenever the scope's data changes (from signal handlers, so the admin's edits count too). An entry is
stored with the version read *before* its data was, and served only while that version is current: a change
shows on the next request, and an entry rendered from data older than a change is never kept under a newer
version. A random token, unlike a counter, cannot come back after the version key was lost (evicted, expired,
the cache restarted). Entries and versions expire after ``TIMEOUT`` seconds, which bounds staleness from a
change whose bump was lost (the cache unreachable at that moment) or from a deploy.

A page is shared by the visitors who see the same layout (``layout_of``): every anonymous visitor, or the
signed-in people with the same links of their roles. It is rendered with placeholders for the CSRF token and the
visitor's name (``render_shared``), and each visitor's own are put in when it is served (``shared_response``): no
visitor gets another's token or name. A page with a message waiting is the visitor's alone and is not shared.
"""

import hashlib
import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .navigation import links_for

TIMEOUT = 600

_PLACEHOLDER = "csrf-token-of-the-visitor"
# Escaped text (a member's name, say) cannot contain a comment's brackets, so only the layout's own is replaced.
_NAME = mark_safe("<!-- the visitor's name -->")


def _csrf_input(token):
    # What {% csrf_token %} writes. Escaped text (a member's name, say) cannot contain its quotes and brackets,
    # so only the template's own fields are replaced.
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


class VersionedCache:
    def __init__(self, name):
        self.name = name

    def get_or_render(self, scope, key, render):
        """The cached value, or ``render()``'s: it returns (value, keep), and the value is stored when keep."""
        version_key, entry_key = f"{self.name}:{scope}:version", f"{self.name}:{scope}:{key}"
        found = cache.get_many([version_key, entry_key])
        version, entry = found.get(version_key), found.get(entry_key)
        if version is not None and entry is not None and entry[0] == version:
            return entry[1]
        value, keep = render()
        if keep and version is None:
            version = uuid.uuid4().hex
            # Fails when a request or a bump set a version since our read: this render may predate a change.
            keep = cache.add(version_key, version, TIMEOUT)
        if keep:
            cache.set(entry_key, (version, value), TIMEOUT)
        return value

    def bump(self, scope):
        """Invalidate every entry of the scope: now, and again once the transaction commits (a request that read
        the data before the commit may have stored it under the version set now)."""
        version_key = f"{self.name}:{scope}:version"
        cache.set(version_key, uuid.uuid4().hex, TIMEOUT)
        transaction.on_commit(lambda: cache.set(version_key, uuid.uuid4().hex, TIMEOUT), robust=True)


def layout_of(request):
    """The layout this visitor shares with others, as (key, context to render it with), or None when the page is
    theirs alone (a message is waiting). Every anonymous visitor shares one; signed-in people share one by the
    links of their roles and whether they are staff (base.html shows nothing else of the person but the name)."""
    if len(get_messages(request)):
        return None
    user = request.user
    if not user.is_authenticated:
        return "anonymous", {}
    links = [(str(label), url) for label, url in links_for(user)]
    digest = hashlib.blake2b(repr((links, user.is_staff)).encode(), digest_size=8).hexdigest()
    return f"user-{digest}", {"nav_links": links, "visitor_name": _NAME}


def render_shared(request, template_name, context):
    """The page for everyone of the visitor's layout (``context`` holds ``layout_of``'s), with placeholders for the
    CSRF token and the name."""
    return render_to_string(template_name, {**context, "csrf_token": _PLACEHOLDER}, request)


def shared_response(request, html):
    """A page from ``render_shared`` with this visitor's CSRF token (and cookie, set by the CSRF middleware) and
    name."""
    html = html.replace(_csrf_input(_PLACEHOLDER), _csrf_input(get_token(request)))
    if request.user.is_authenticated:
        html = html.replace(_NAME, escape(request.user.get_short_name()))
    return HttpResponse(html)
