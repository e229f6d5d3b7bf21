"""Production settings plus one bare view, for benchmarks only (never deployed)."""

from alliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False  # gunicorn is reached over plain HTTP on loopback
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
