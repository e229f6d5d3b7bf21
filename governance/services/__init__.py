"""Every write of the governance app. One module per subject; import from here."""

from .briefings import briefing_create, briefing_number_assign, briefing_publish, briefing_update  # noqa: F401
from .cooperation import (  # noqa: F401
    agreement_create, agreement_update, lead_task_create, lead_task_update, target_create, target_progress_record,
    target_update,
)
from .documents import BRIEFING, RESULT, briefing_render, result_render  # noqa: F401
from .meetings import body_create, body_update, meeting_create, meeting_update  # noqa: F401
from .notices import vote_deadline_reminders_run  # noqa: F401
from .reports import (  # noqa: F401
    REPORT, annual_report_create, annual_report_render, annual_report_update, follow_up_record, follow_up_update,
)
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
from .records import (  # noqa: F401
    OFFICER_CONDITION_FIELDS, charter_interpretation_record, interpretation_decisions, member_referral_record,
    officer_condition_create, officer_condition_update, referral_decisions,
)
from .seats import officer_conditions_for  # noqa: F401
