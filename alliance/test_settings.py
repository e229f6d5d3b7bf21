"""The test suite's settings: the portal's own, with DEBUG on (and so its development key) unless the
environment says otherwise. Production never loads this module."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The same backend with a flush that empties only the tables a transactional test wrote to.
    DATABASES["default"]["ENGINE"] = "alliance.tests.postgresql"  # noqa: F405

# Hashing a password the production way takes some 0.3 s by design; the suite creates thousands of accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
