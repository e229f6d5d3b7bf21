"""Production settings plus the floor views of bench/floors.py, for benchmarks only (never deployed)."""

import os

from alliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  the floors' table and templates
SECURE_SSL_REDIRECT = False  # gunicorn is reached over plain HTTP on loopback
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# To measure the sessions' lever: the engine before it (django.contrib.sessions.backends.db), against the same run.
SESSION_ENGINE = os.environ.get("BENCH_SESSION_ENGINE", SESSION_ENGINE)  # noqa: F405
