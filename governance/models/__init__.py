"""Governance models, one module per subject: bodies and seats, meetings and votes, briefings."""

from .bodies import Body, Seat, SeatQuerySet, age_on  # noqa: F401
from .briefings import Briefing, BriefingArticle  # noqa: F401
from .meetings import Attendance, Ballot, Candidate, CouncilReminder, Meeting, Motion, Result  # noqa: F401
