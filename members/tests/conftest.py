import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing a password the production way takes ~0.3 s; the members tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
