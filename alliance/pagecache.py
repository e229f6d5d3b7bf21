"""Rendered pages and fragments kept in the shared cache, each valid for one version of the data it shows.

A ``VersionedCache`` keeps a version per scope (an alliance's directory, say): a random token that ``bump``
replaces whenever the scope's data changes (from signal handlers, so the admin's edits count too). An entry is
stored with the version read *before* its data was, and served only while that version is current: a change
shows on the next request, and an entry rendered from data older than a change is never kept under a newer
version. A random token, unlike a counter, cannot come back after the version key was lost (evicted, expired,
the cache restarted). Entries and versions expire after ``TIMEOUT`` seconds, which bounds staleness from a
change whose bump was lost (the cache unreachable at that moment) or from a deploy.

A page shared by anonymous visitors is rendered with a placeholder CSRF token (``render_shared``) and each
visitor's own token is put in when it is served (``shared_response``): no visitor gets another's token.
"""

import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html

TIMEOUT = 600

_PLACEHOLDER = "csrf-token-of-the-visitor"


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


def is_shared(request):
    """Whether the request sees what every anonymous visitor sees: signed out and no message waiting."""
    return not request.user.is_authenticated and not len(get_messages(request))


def render_shared(request, template_name, context):
    """The page for any anonymous visitor, with a placeholder for the CSRF token."""
    return render_to_string(template_name, {**context, "csrf_token": _PLACEHOLDER}, request)


def shared_response(request, html):
    """A page from ``render_shared`` with this visitor's CSRF token (and cookie, set by the CSRF middleware)."""
    return HttpResponse(html.replace(_csrf_input(_PLACEHOLDER), _csrf_input(get_token(request))))
