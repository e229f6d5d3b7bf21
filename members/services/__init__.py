"""Every write of the members app: one function per business action, each checking its transition.

Services are ``@transaction.atomic`` (not durable): the governance service that closes a passed motion calls
the admission and expulsion handlers inside its own transaction, and ``loaddemo`` runs in one transaction too.
"""

from .applications import (  # noqa: F401
    admission_deciders, admission_failed_on_motion, admit_member_on_motion, application_approve,
    application_fields, application_reject, application_return, application_save, application_submit,
    applications_ratification_motion_create, attachment_add, attachment_delete, expel_member_on_motion,
    member_enrol_by_charter,
)
from .certificates import CERTIFICATE, certificate_reissue, certificate_render  # noqa: F401
from .decisions import CONSENT_KINDS, WITHDRAWAL_KINDS  # noqa: F401
from .common import TransitionNotAllowed, member_notify_email, member_people  # noqa: F401
from .imports import (  # noqa: F401
    ACTIONS as IMPORT_ACTIONS, member_import_row, members_import_plan, members_import_run, members_import_start,
)
from .lifecycle import (  # noqa: F401
    REMINDER_DAYS, liaison_set, member_expel, member_lapse, member_renew, member_request_withdrawal,
    member_sanction_lift, member_suspend, member_withdraw, member_withdrawal_record, members_expiry_run,
    sanction_deciders,
)
from .assessments import (  # noqa: F401
    assessable_members, assessment_correct, assessment_enter, assessment_round_create, assessment_round_publish,
    criteria_parse, is_supporter, supporter_alliances,
)
