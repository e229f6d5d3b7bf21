"""Sessions read from the cache and kept in the database (alliance/sessions.py)."""

import pytest
from django.urls import reverse

from alliance import sessions

pytestmark = pytest.mark.django_db


def test_a_session_is_kept_in_the_database_and_at_most_five_minutes_in_the_cache(monkeypatch):
    store = sessions.SessionStore()
    backend, timeouts = store._cache._cache, []
    set_ = backend.set
    monkeypatch.setattr(backend, "set", lambda key, value, timeout=None, version=None: (
        timeouts.append(timeout), set_(key, value, timeout, version)))
    store["seen"] = 1
    store.save()
    assert timeouts and set(timeouts) == {sessions.CACHE_SECONDS}
    assert store.exists(store.session_key)
    backend.delete(store.cache_key)  # evicted, or Redis restarted: read from the database
    assert sessions.SessionStore(store.session_key)["seen"] == 1


def test_a_signed_out_session_is_gone_from_both(client):
    from alliance.tests.factories import UserFactory

    client.force_login(UserFactory())
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not sessions.SessionStore(key).exists(key)
