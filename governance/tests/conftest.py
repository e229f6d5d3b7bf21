import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Councils of 100 directors each need an account; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
