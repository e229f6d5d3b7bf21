"""Governance models, one module per subject: bodies and seats, meetings and votes, briefings, the secretariat's
records of decisions, and what the members undertook together."""

from .bodies import Body, Seat, SeatQuerySet, age_on  # noqa: F401
from .briefings import Briefing, BriefingArticle  # noqa: F401
from .cooperation import Agreement, LeadTask, Target, TargetProgress  # noqa: F401
from .meetings import (  # noqa: F401
    Attendance, Ballot, Candidate, CouncilReminder, HandCount, Meeting, Motion, Result,
)
from .records import CharterInterpretation, MemberReferral, OfficerCondition, SeatAttestation  # noqa: F401
from .reports import AnnualReport, ResolutionFollowUp  # noqa: F401
