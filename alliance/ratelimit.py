"""A count of actions per client address in a fixed window, kept in the cache: what keeps a form such as sign-up
from being used in bulk. Logins have django-axes; this is for forms that log nobody in."""

import logging
import time

from django.core.cache import cache

from .lockout import client_address

logger = logging.getLogger(__name__)


def within_limit(request, *, scope, limit, window_seconds):
    """Count this request's action under scope for its client address; False once over limit in the window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    try:
        if cache.add(key, 1, window_seconds):
            return True
        return cache.incr(key) <= limit
    except Exception:
        # A cache that is down (incr raises) or a key that expired between the two calls: let the request through;
        # the per-account limits in the services still hold.
        logger.warning("Rate limit %s not counted: the cache did not answer", scope, exc_info=True)
        return True
