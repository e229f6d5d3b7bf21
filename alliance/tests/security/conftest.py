import pytest

from .world import built_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two-alliance world, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), built_world(tmp_path_factory.getbasetemp() / "media") as world:
        yield world
