import datetime

import factory
from django.utils import timezone

from alliance.tests.factories import AllianceFactory, UserFactory
from governance.models import Body, Meeting, Motion, Seat


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


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"第{n}次理事会")
    form = Meeting.Form.IN_PERSON
    date = factory.LazyFunction(timezone.localdate)
    place = "北京"


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Motion

    meeting = factory.SubFactory(MeetingFactory)
    kind = Motion.Kind.APPROVE_PLAN
    title = factory.Sequence(lambda n: f"审定年度工作计划{n}")
    text = "审议并通过年度工作计划。"


def council_with_directors(n, *, alliance=None, **rules):
    """A council of n directors with accounts, in office since 2025; rules overrides the charter's."""
    body = BodyFactory(**({"alliance": alliance} if alliance else {}))
    if rules:
        for name, value in rules.items():
            setattr(body.alliance.rules, name, value)
        body.alliance.rules.save()
    seats = [SeatFactory(body=body, user=UserFactory(), order=i) for i in range(n)]
    return body, seats
