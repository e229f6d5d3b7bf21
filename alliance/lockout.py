"""How django-axes names the account of a login attempt (settings.AXES_USERNAME_CALLABLE)."""

# axes stores the name in a 255-character column: a longer value typed into the login form made the
# failure handler's INSERT fail with a server error (PostgreSQL) instead of a "wrong password" answer.
MAX_LENGTH = 255


def username_of_attempt(request, credentials):
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return str(name or "")[:MAX_LENGTH]
