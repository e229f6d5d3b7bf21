"""What a passed amendment of the charter does, and when the charter rules may still be set directly.

000 has no amendment article and gives the interpretation of the charter to the council (art. 22); 001's joint
meeting adopts and revises it (arts. 13, 24). The body holding that power is the charter's decision body
(CharterRules.decision_body_kind): an AMEND_CHARTER motion is voted there (Motion.clean) and, once passed,
puts its values into effect through alliance.services.charter_rules_amend.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alliance.services import charter_rules_amend
from governance.models import Motion


def motion_charter_apply(*, motion, actor):
    """governance.effects handler of AMEND_CHARTER: the new rules count for the votes opened from now on; a
    vote already open keeps the rules frozen at its opening (votes.py)."""
    charter_rules_amend(actor=actor, alliance=motion.meeting.body.alliance, values=motion.charter_values,
                        reason=f"依据议案“{motion.title}”修改章程规则")


def charter_set_before_votes(*, alliance):
    """alliance.services check: a superuser sets the decision rules of an alliance that has held no vote yet;
    afterwards only an amendment changes them."""
    if Motion.objects.filter(meeting__body__alliance=alliance, voting_opened_at__isnull=False).exists():
        raise ValidationError(_("本联盟已有表决记录，议事与成员规则只能依据决策机构表决通过的修改章程议案修改。"))
