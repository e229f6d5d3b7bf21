"""How django-axes names the account (settings.AXES_USERNAME_CALLABLE) and the client address
(settings.AXES_CLIENT_IP_CALLABLE) of a login attempt."""

from django.conf import settings

# axes stores the name in a 255-character column: a longer value typed into the login form made the
# failure handler's INSERT fail with a server error (PostgreSQL) instead of a "wrong password" answer.
MAX_LENGTH = 255


def username_of_attempt(request, credentials):
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    # One count per account whatever the letter case typed (e-mail addresses are compared case-insensitively).
    return str(name or "").strip().lower()[:MAX_LENGTH]


def client_address(request):
    """The address the nearest trusted proxy saw (settings.TRUSTED_PROXY_COUNT), else the peer's address.

    Each proxy appends the address it received from to X-Forwarded-For, so with N proxies in front the client is
    the N-th entry from the right; whatever a client wrote into the header itself stands further left, unread.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
