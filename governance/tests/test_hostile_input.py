"""Signed-in people posting what the pages' forms never send get a message, never a server error."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import Ballot
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db
NOT_KEYS = ["²", "٣x", "99999999999999999999", "-1", "abc", ""]


@pytest.fixture
def open_motion():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    return motion, seats


def test_a_ballot_with_candidate_keys_that_are_not_keys_is_cast_without_them(client, open_motion):
    motion, seats = open_motion
    client.force_login(seats[0].user)
    response = client.post(reverse("governance:motion_vote", args=[motion.pk]),
                           {"choice": "for", "candidate": NOT_KEYS})
    assert response.status_code == 302
    assert Ballot.objects.get(motion=motion, voter=seats[0].user).choice == "for"


def test_a_tie_break_on_a_motion_still_open_is_refused_with_a_message(client, open_motion):
    motion, seats = open_motion
    client.force_login(seats[0].user)
    response = client.post(reverse("governance:motion_tie_break", args=[motion.pk]), {"candidate": NOT_KEYS},
                           follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
