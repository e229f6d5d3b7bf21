"""A motion title up to its 200-character limit goes into the history reasons of what the close does (PostgreSQL
enforces column lengths; a 100-character reason column rolled the whole close back)."""

import pytest

from governance import services
from governance.models import Candidate, Motion, Seat
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


def test_an_election_with_a_two_hundred_character_title_closes_and_seats_the_elected():
    body, seats = council_with_directors(3)
    body.alliance.rules.officer_age_limit = None
    body.alliance.rules.save()
    title = ("关于选举靠谱COP联盟第二届理事会副理事长并明确其分管教师教育协同创新、名师工作室与县域教研共同体建设工作的议案" * 4)[:200]
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1,
                           title=title)
    candidate = Candidate.objects.create(motion=motion, person_name="甲", role=Seat.Role.VICE_CHAIR, order=1)
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="", candidate_ids=[candidate.pk])
    services.vote_close(actor=None, motion=motion)
    seat = Seat.objects.get(elected_by=motion)
    assert len(title) == 200
    assert seat.history.order_by("-history_id").first().history_change_reason == f"依据议案“{title}”任职"
