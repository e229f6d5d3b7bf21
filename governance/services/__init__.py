"""Every write of the governance app. One module per subject; import from here."""

from .briefings import briefing_create, briefing_number_assign, briefing_publish, briefing_update  # noqa: F401
from .documents import BRIEFING, RESULT, briefing_render, result_render  # noqa: F401
from .meetings import body_create, body_update, meeting_create, meeting_update  # noqa: F401
from .reminders import council_reminders_check  # noqa: F401
from .seats import (  # noqa: F401
    IneligibleSeat, officer_exception_approve, officer_exception_for, rotating_chair_motion_create,
    rotating_chair_next, seat_breaches, seat_delete, seat_eligibility, seat_end, seat_fill, seat_update,
)
from .votes import (  # noqa: F401
    VoteRefused, attendance_check_in, ballot_cast, ballot_record, candidate_delete, candidate_save,
    election_tie_break, motion_create, motion_document_attach, motion_update, show_of_hands_record, vote_close, vote_close_preview,
    vote_open,
)
