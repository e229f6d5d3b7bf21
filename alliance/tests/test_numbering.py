"""The one gapless counter behind member, receipt, briefing and appointment-letter numbers."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError

from alliance import numbering
from alliance.models import Counter
from alliance.tests.factories import AllianceFactory

KIND = numbering.Kind.BRIEFING


def _draw(alliance, year=2026):
    with transaction.atomic():
        return numbering.number_next(kind=KIND, alliance=alliance, year=year)


@pytest.mark.django_db
def test_numbers_count_from_one_per_kind_alliance_and_year():
    first, second = AllianceFactory(), AllianceFactory()
    assert [_draw(first), _draw(first), _draw(first, 2027), _draw(second)] == [1, 2, 1, 1]
    with transaction.atomic():
        assert numbering.number_next(kind=numbering.Kind.LETTER, alliance=first, year=2026) == 1


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    alliance = AllianceFactory()
    _draw(alliance)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.number_next(kind=KIND, alliance=alliance, year=2026) == 2
        raise RuntimeError("the record the number was for is not saved")
    assert _draw(alliance) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_not_drawn_outside_a_transaction():
    with pytest.raises(TransactionManagementError):
        numbering.number_next(kind=KIND, alliance=AllianceFactory(), year=2026)
    assert not Counter.objects.exists()


@pytest.mark.django_db
def test_only_the_last_number_given_back_is_drawn_again():
    alliance = AllianceFactory()
    _draw(alliance), _draw(alliance), _draw(alliance)
    with transaction.atomic():
        numbering.number_given_back(kind=KIND, alliance=alliance, year=2026, value=2)
    assert _draw(alliance) == 4
    with transaction.atomic():
        numbering.number_given_back(kind=KIND, alliance=alliance, year=2026, value=4)
    assert _draw(alliance) == 4


@pytest.mark.django_db
def test_numbers_taken_by_loaded_records_are_not_drawn_again():
    alliance = AllianceFactory()
    _draw(alliance)
    with transaction.atomic():
        numbering.numbers_taken(kind=KIND, alliance=alliance, year=2026, value=5)
        numbering.numbers_taken(kind=KIND, alliance=alliance, year=2026, value=3)
    assert _draw(alliance) == 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")
def test_callers_racing_for_a_scope_without_a_counter_create_it_once_and_draw_distinct_numbers():
    alliance = AllianceFactory()
    callers = 8
    barrier = threading.Barrier(callers)
    drawn, errors = [], []

    def draw():
        try:
            barrier.wait()
            with transaction.atomic():
                drawn.append(numbering.number_next(kind=KIND, alliance=alliance, year=2026))
                # Held open, so every other caller finds no committed row and takes the path that creates it.
                time.sleep(0.2)
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(drawn) == list(range(1, callers + 1))
    assert Counter.objects.get(kind=KIND, alliance=alliance, year=2026).value == callers
