import datetime

import factory

from alliance.tests.factories import AllianceFactory
from governance.models import Body, Seat


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    alliance = factory.SubFactory(AllianceFactory)
    kind = Body.Kind.COUNCIL
    name = factory.Sequence(lambda n: f"理事会{n}")


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    role = Seat.Role.DIRECTOR
    person_name = factory.Sequence(lambda n: f"理事{n}")
    start_date = datetime.date(2025, 1, 1)
