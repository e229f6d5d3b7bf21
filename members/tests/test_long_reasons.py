"""Free text of any length the forms allow is kept whole in history (PostgreSQL enforces column lengths)."""

import pytest

from members import services
from members.models import Member

pytestmark = pytest.mark.django_db


def test_a_withdrawal_reason_of_a_thousand_characters_is_kept_whole_in_history():
    from members.tests.factories import admitted_member

    member, _staff = admitted_member()
    reason = "因学校机构调整，本单位不再承担教师教育协同创新相关工作，特此书面通知。" * 30
    reason = reason[:1000]
    services.member_request_withdrawal(actor=member.user, member=member, reason=reason)
    latest = Member.history.filter(id=member.pk).order_by("-history_id").first()
    assert latest.history_change_reason == f"书面通知退出：{reason}" and len(reason) == 1000
