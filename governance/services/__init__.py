"""Every write of the governance app. One module per subject; import from here."""

from .briefings import briefing_create, briefing_number_assign, briefing_publish  # noqa: F401
from .reminders import council_reminders_check  # noqa: F401
from .seats import (  # noqa: F401
    IneligibleSeat, rotating_chair_motion_create, rotating_chair_next, seat_breaches, seat_eligibility, seat_end,
    seat_fill,
)
from .votes import (  # noqa: F401
    VoteRefused, attendance_check_in, ballot_cast, election_tie_break, motion_create, vote_close, vote_open,
)
