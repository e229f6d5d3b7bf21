"""Meetings, attendance and votes: opening, casting, closing and the frozen result (000 arts. 11–13).

Every cast and the close lock the motion: casts share the lock, so they run side by side, while the close
(like the opening) takes it alone: it waits for the casts in flight, and casts that come meanwhile queue
behind it. A ballot that reaches the lock before the close is counted by it; one that reaches it after
finds the vote closed and is refused with a message. Nothing is lost.

Who is present follows the form of the meeting (000 arts. 12–13, Meeting.counts_attendance): at an in-person
or online meeting, the directors recorded as attending, and only their ballots count; by correspondence, those
who returned a ballot by the deadline. Directors vote on the site, or staff record their ballots (paper, roll
call) or, for a motion counted by show of hands, the totals the tellers counted.
"""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from alliance import documents, numbering
from alliance.dates import cn_date
from alliance.models import CharterRules
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved, with_history
from alliance.uploads import MB, PDF, UploadKind, safe_name, stored_name, upload_check
from governance import effects
from governance.models import Attendance, Ballot, Candidate, HandCount, Meeting, Motion, Result, Seat
from governance.models.meetings import document_date

from .documents import RESULT
from .notices import vote_opened_notify, vote_result_notify
from .seats import IneligibleSeat, officer_exception_for, seat_end, seat_fill

logger = logging.getLogger(__name__)


class VoteRefused(ValidationError):
    """A ballot or a transition that the state of the vote does not allow; the message is for the person."""


def _in_office_on(meeting):
    # Correspondence votes run over days: who is in office is read on the day of the open or the close.
    return timezone.localdate() if meeting.is_correspondence else meeting.date


def seat_of(*, user, body, on, lock=False, motion=None):
    """The user's seat in the body (or its key) on that day, or None; with lock, the seat's row is held until the
    end of the transaction, so that one person's writes through it run one at a time. With motion, read in the
    same query: ``attended``, whether the person is recorded present at its meeting. (Not their ballot: a query
    that waited for the seat's lock reads the other tables as they were before the wait, and a double click's
    second cast must see the first one's ballot.)"""
    if user is None or not user.is_authenticated:
        return None
    seats = Seat.objects.in_office(on=on).filter(body=body, user=user).order_by("pk")
    if motion is not None:
        seats = seats.annotate(
            attended=Exists(Attendance.objects.filter(seat__user=OuterRef("user"), meeting=motion.meeting_id)),
        )
    if lock:
        seats = seats.select_for_update(no_key=True, of=("self",))
    return seats.first()


def _person_key(seat):
    # A person holding two seats in one body (chair and director) is one director.
    return _key(user_id=seat.user_id, seat_id=seat.pk)


def _key(*, user_id, seat_id):
    return f"u{user_id}" if user_id else f"s{seat_id}"


def _entry(seat):
    return {"seat": seat.pk, "user": seat.user_id, "name": seat.holder_name, "role": seat.get_role_display()}


def _roll(*, motion, on, roll=None):
    """(in office, present) at this moment: lists of directors, one entry per person, in seat order.

    roll, the people on the roll frozen when the vote opened (person keys), keeps out anyone seated since
    (or seated back-dated): they neither vote nor count in this vote.
    """
    seats = list(Seat.objects.in_office(on=on).filter(body=motion.meeting.body).order_by("order", "pk"))
    in_office = {}
    for seat in seats:
        if roll is None or _person_key(seat) in roll:
            in_office.setdefault(_person_key(seat), seat)
    if motion.meeting.counts_attendance:
        attended_seats = set(Attendance.objects.filter(meeting=motion.meeting).values_list("seat_id", flat=True))
        present_keys = {_person_key(s) for s in seats if s.pk in attended_seats}
    else:
        # 000 art. 13: those who returned a ballot (ballots after the deadline are refused).
        present_keys = {_key(user_id=u, seat_id=s)
                        for u, s in Ballot.objects.filter(motion=motion).values_list("seat__user_id", "seat_id")}
    present = {key: seat for key, seat in in_office.items() if key in present_keys}
    return list(in_office.values()), list(present.values())


def _frozen_roll(motion):
    """The person keys of the directors in office when the vote opened."""
    return {_key(user_id=e["user"], seat_id=e["seat"]) for e in motion.open_snapshot.get("in_office", [])}


# Everything the count of a vote reads from the charter, frozen in the motion's snapshot at the opening.
TALLY_RULES = ("quorum_numerator", "quorum_denominator", "quorum_rule_text", "pass_numerator", "pass_denominator",
               "pass_rule_text", "abstentions_in_base", "tie_rule")


def _rules_of(motion):
    """The charter rules an open or closed vote counts by: those frozen when it opened (a vote opened before
    the snapshot kept them counts by the alliance's rules)."""
    frozen = motion.open_snapshot.get("rules")
    if frozen is None:
        return motion.meeting.body.alliance.rules
    # Snapshots taken before presence followed the meeting's form also hold a present_rule: not read.
    return CharterRules(alliance_id=motion.meeting.body.alliance_id,
                        **{name: value for name, value in frozen.items() if name in TALLY_RULES})


def _queue(motion_id, *, shared):
    """Wait for the motion's turn, until the end of the transaction: casts share it, a change of the
    motion's state (open, close) has it alone. A PostgreSQL advisory lock keyed on the motion's table and
    id, because its waiters queue in order: a cast that comes while a close is waiting lines up behind the
    close. (Shared row locks skip a waiting FOR UPDATE, and a steady flow of ballots would hold off the
    close for as long as it lasts.) SQLite runs one write transaction at a time: there is nothing to queue."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock{'_shared' if shared else ''}(%s::regclass::oid::int, %s)",
                       [Motion._meta.db_table, motion_id])


def _lock(motion_id):
    """The motion, read again and held for a change of its state; waits for the casts in flight."""
    _queue(motion_id, shared=False)
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("meeting__body__alliance__rules")
        .get(pk=motion_id)
    )


def _lock_shared(motion):
    """Hold the motion's row against a change of its state, sharing it with other casts, and read the
    state again under the lock (Django has no select_for_share)."""
    _queue(motion.pk, shared=True)
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, open_snapshot, counting FROM {Motion._meta.db_table} WHERE id = %s{share}",
                       [motion.pk])
        row = cursor.fetchone()
    if row is None:
        raise Motion.DoesNotExist
    motion.status, motion.counting = row[0], row[2]
    motion.open_snapshot = Motion._meta.get_field("open_snapshot").from_db_value(row[1], None, connection)
    return motion


def _subject_ids(kind, subjects):
    """The keys of the motion's subjects, refused unless each is a row of the model the kind acts on (the
    alliance is checked by Motion.clean)."""
    subject = effects.subject_for(kind)
    if subjects and (subject is None or any(type(obj) is not subject.model for obj in subjects)):
        raise ValidationError({"subject_ids": _("议案对象的类型与议案类型不符。")})
    return [obj.pk for obj in subjects]


# What staff may set on a motion before its vote opens (status, times and the snapshot are the votes' own).
MOTION_FIELDS = ("meeting", "order", "kind", "title", "text", "officer_role", "officer_name", "officer_unit",
                 "officer_user", "officer_birth_date", "officer_start_date", "seats_to_fill", "charter_values",
                 "counting")


@transaction.atomic
def motion_create(*, actor, meeting, kind, title, text="", subjects=(), **fields):
    """Put a motion on the meeting's agenda; subjects are the rows it acts on (governance.effects)."""
    if set(fields) - set(MOTION_FIELDS):
        raise TypeError(f"motion_create() does not set {sorted(set(fields) - set(MOTION_FIELDS))}")
    if not fields.get("order"):
        fields["order"] = (meeting.motions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    effects.decision_body_check(kind=kind, body=meeting.body)
    motion = Motion(meeting=meeting, kind=kind, title=title, text=text, **fields)
    motion.subject_ids = _subject_ids(kind, subjects)
    checked_and_saved(motion, actor=actor, reason="提出议案")
    return motion


@transaction.atomic
def motion_update(*, actor, motion, subjects=None, **values):
    """Change a motion before its vote opens; afterwards it is what the directors voted on."""
    if set(values) - set(MOTION_FIELDS):
        raise TypeError(f"motion_update() does not set {sorted(set(values) - set(MOTION_FIELDS))}")
    motion = _lock(motion.pk)
    if motion.status != Motion.Status.DRAFT:
        raise VoteRefused(_("表决开始后，议案不能再修改。"))
    for name, value in values.items():
        setattr(motion, name, value)
    if subjects is not None:
        motion.subject_ids = _subject_ids(motion.kind, subjects)
    effects.decision_body_check(kind=motion.kind, body=motion.meeting.body)
    checked_and_saved(motion, actor=actor, reason="修改议案")
    return motion


# The document a motion puts to the vote: one PDF, as the secretariat prints it for the directors.
MOTION_DOCUMENT = UploadKind(what=gettext_lazy("议案文件"), record=gettext_lazy("议案"), types=(PDF,), types_label="PDF", max_bytes=20 * MB,
                             max_count=1)


@transaction.atomic
def motion_document_attach(*, actor, motion, uploaded):
    """Attach (or replace) the document the motion puts to the vote; before the vote opens only, as the text."""
    require_manage_alliance(actor, motion.meeting.body.alliance)
    motion = _lock(motion.pk)
    if motion.status != Motion.Status.DRAFT:
        raise VoteRefused(_("表决开始后，议案文件不能再更换。"))
    try:
        content_type = upload_check(uploaded, kind=MOTION_DOCUMENT)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    old = motion.document.name
    motion.document.save(stored_name(f"governance/motions/{motion.pk}", content_type), uploaded, save=False)
    motion.document_name = safe_name(uploaded.name)
    checked_and_saved(motion, actor=actor, reason="上传议案文件")
    if old:
        # The replaced file goes once the new one is committed (a rollback keeps the old one in place).
        storage = motion.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return motion


def _draft_of(motion):
    motion = _lock(motion.pk)
    if motion.status != Motion.Status.DRAFT:
        raise VoteRefused(_("表决开始后，候选人不能再修改。"))
    return motion


@transaction.atomic
def candidate_save(*, actor, motion, candidate=None, **values):
    """Add a candidate to an election motion (candidate None) or change one, before the vote opens."""
    motion = _draft_of(motion)
    if candidate is None:
        candidate = Candidate(motion=motion)
    elif candidate.motion_id != motion.pk:
        raise ValidationError(_("该候选人不属于本议案。"))
    for name, value in values.items():
        setattr(candidate, name, value)
    if effects.seat_right_suspended(seat_of(user=candidate.user, body=motion.meeting.body, on=motion.meeting.date),
                                    effects.RIGHT_STAND):
        raise ValidationError({"person_name": _("该人选所代表的成员单位已被取消被选举权，不能作为候选人。")})
    checked_and_saved(candidate, actor=actor, reason="修改候选人" if candidate.pk else "提名候选人")
    return candidate


@transaction.atomic
def candidate_delete(*, actor, motion, candidate):
    motion = _draft_of(motion)
    if candidate.motion_id != motion.pk:
        raise ValidationError(_("该候选人不属于本议案。"))
    with_history(candidate, actor=actor, reason="撤回候选人").delete()


@transaction.atomic
def attendance_check_in(*, actor, meeting, seat=None, checked_in_at=None):
    """Record a director's check-in (once; the first time is kept), the record of who was in the room.

    Directors check themselves in, on the meeting's day only. Staff record a director's seat on or after the
    meeting's day (the secretariat writes up the sign-in sheet), at the time they give: on the meeting's day
    and not later than now.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        raise VoteRefused(_("会议已取消。"))
    if meeting.is_correspondence:
        raise VoteRefused(_("通讯形式的会议无需签到：按期交回表决票的理事即为出席。"))
    today, now = timezone.localdate(), timezone.now()
    if seat is None:
        seat = seat_of(user=actor, body=meeting.body, on=meeting.date)
        if seat is None:
            raise PermissionDenied(_("您不是该机构的在任理事。"))
        if not meeting.is_today:
            raise VoteRefused(_("只能在会议当日（%(cn_date)s）签到。") % {"cn_date": cn_date(meeting.date)})
    else:
        require_manage_alliance(actor, meeting.body.alliance)
        if seat.body_id != meeting.body_id:
            raise ValidationError({"seat": _("该任职不属于召开会议的机构。")})
        if not Seat.objects.in_office(on=meeting.date).filter(pk=seat.pk).exists():
            raise ValidationError({"seat": _("会议当日该任职不在任期内。")})
        if today < meeting.date:
            raise ValidationError({"seat": _("会议尚未召开（%(cn_date)s），不能登记出席。") % {"cn_date": cn_date(meeting.date)}})
        if checked_in_at is not None and checked_in_at > now:
            raise ValidationError({"checked_in_at": _("签到时间不能晚于当前时间。")})
        if checked_in_at is not None and timezone.localdate(checked_in_at) != meeting.date:
            raise ValidationError({"checked_in_at": _("签到时间须在会议当日（%(cn_date)s）。") % {"cn_date": cn_date(meeting.date)}})
        if checked_in_at is None and today != meeting.date:
            raise ValidationError({"checked_in_at": _("请填写会议当日（%(cn_date)s）的签到时间。") % {"cn_date": cn_date(meeting.date)}})
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, seat=seat, defaults={"checked_in_at": checked_in_at or now, "recorded_by": actor}
    )
    return attendance


@transaction.atomic
def vote_open(*, actor, motion):
    motion = _lock(motion.pk)
    meeting = motion.meeting
    # Read under a lock: a change of the rules (alliance.services) waits for the opening; a superuser's is then
    # refused (the alliance has voted), an amendment's applies to the votes opened after it.
    rules = CharterRules.objects.select_for_update(no_key=True).get(alliance_id=meeting.body.alliance_id)
    if motion.status != Motion.Status.DRAFT:
        raise VoteRefused(_("该议案的表决已开始或已结束。"))
    if meeting.status == Meeting.Status.CANCELLED:
        raise VoteRefused(_("会议已取消，不能表决。"))
    if meeting.is_correspondence and not rules.correspondence_allowed:
        raise VoteRefused(_("本联盟章程不允许以通讯形式表决。"))
    if motion.is_election and motion.candidates.count() < 1:
        raise VoteRefused(_("选举议案须至少有一名候选人。"))
    if motion.by_show_of_hands and meeting.is_correspondence:
        raise VoteRefused(_("通讯形式的会议不能举手表决，请改为逐人计票。"))
    in_office, present = _roll(motion=motion, on=_in_office_on(meeting))
    if not in_office:
        raise VoteRefused(_("该机构暂无在任理事，不能表决。"))
    motion.status = Motion.Status.OPEN
    motion.voting_opened_at = timezone.now()
    # The roll and the rules of the count, as they are now: the close computes from these alone.
    motion.open_snapshot = {"in_office": [_entry(s) for s in in_office], "present": [_entry(s) for s in present],
                            "rules": {name: getattr(rules, name) for name in TALLY_RULES}}
    with_history(motion, actor=actor, reason="开始表决").save()
    vote_opened_notify(motion)
    return motion


@transaction.atomic
def ballot_cast(*, actor, motion, choice, candidate_ids=()):
    """Cast or change the actor's ballot on an open motion. Returns (ballot, created).

    The motion's state and its opening's snapshot (the roll, the rules of the count) are read again under the
    shared lock; its meeting is taken as the caller read it with the motion (selectors.motion_for_ballot). Only
    a director on the roll frozen at the opening votes. The director's seat is held too, so two casts of one
    director (a double click) run one after the other and leave one ballot.
    """
    _lock_shared(motion)
    meeting = motion.meeting
    seat = seat_of(user=actor, body=meeting.body_id, on=_in_office_on(meeting), lock=True, motion=motion)
    if seat is None:
        raise PermissionDenied(_("您不是该机构的在任理事，不能投票。"))
    now = timezone.now()
    _may_vote(motion=motion, seat=seat, now=now, who=_("您"))
    choice, candidates = _choice_of(motion=motion, choice=choice, candidate_ids=candidate_ids)
    ballot = _ballot_of(motion=motion, seat=seat)
    if ballot is not None and ballot.recorded_by_id:
        raise VoteRefused(_("秘书处已登记您对本议案的表决，不能在网上重复投票。"))
    return _ballot_save(motion=motion, ballot=ballot, seat=seat, choice=choice, candidates=candidates, now=now,
                        actor=actor, recorded_by=None)


@transaction.atomic
def ballot_record(*, actor, motion, seat, choice, candidate_ids=()):
    """Staff record the ballot a director gave on paper or aloud (a director without an account, most often).
    Returns (ballot, created).

    The same locks and rules as ballot_cast: the director (the seat's holder) is on the roll frozen at the
    opening and, at an in-person or online meeting, recorded present. A ballot the director cast on the site
    is theirs and is not recorded over; one staff recorded may be corrected while the vote is open.
    """
    require_manage_alliance(actor, motion.meeting.body.alliance)
    _lock_shared(motion)
    meeting = motion.meeting
    if seat.body_id != meeting.body_id:
        raise ValidationError({"seat": _("该任职不属于表决的机构。")})
    on = _in_office_on(meeting)
    # The row ballot_cast holds for the same person, so a web cast and a record of one director take turns.
    if seat.user_id:
        held = seat_of(user=seat.user, body=meeting.body, on=on, lock=True)
    else:
        held = Seat.objects.in_office(on=on).filter(pk=seat.pk).select_for_update(no_key=True).first()
    if held is None:
        raise ValidationError({"seat": _("该理事不在任，不能登记表决。")})
    now = timezone.now()
    _may_vote(motion=motion, seat=held, now=now, who=_("该理事"))
    choice, candidates = _choice_of(motion=motion, choice=choice, candidate_ids=candidate_ids)
    ballot = _ballot_of(motion=motion, seat=held)
    if ballot is not None and not ballot.recorded_by_id:
        raise ValidationError({"seat": _("该理事已在网上投票，不能重复登记。")})
    return _ballot_save(motion=motion, ballot=ballot, seat=held, choice=choice, candidates=candidates, now=now,
                        actor=actor, recorded_by=actor)


def _may_vote(*, motion, seat, now, who):
    """Refuse a ballot of the seat's holder that the state of the vote does not allow."""
    meeting = motion.meeting
    if effects.seat_right_suspended(seat, effects.RIGHT_VOTE):
        raise VoteRefused(_("%(who)s所代表的成员单位已被取消表决权，不能投票。") % {"who": who})
    if motion.status == Motion.Status.DRAFT:
        raise VoteRefused(_("该议案尚未开始表决。"))
    if motion.status != Motion.Status.OPEN:
        raise VoteRefused(_("表决已结束，%(who)s的选票未被计入。") % {"who": who})
    if motion.by_show_of_hands:
        raise VoteRefused(_("本议案以举手表决，计票结果由秘书处登记。"))
    if _person_key(seat) not in _frozen_roll(motion):
        raise VoteRefused(_("%(who)s在本次表决开始时不在任，不参加本次表决。") % {"who": who})
    if meeting.is_correspondence and meeting.correspondence_deadline and now > meeting.correspondence_deadline:
        raise VoteRefused(_("通讯表决已过截止时间，%(who)s的选票未被计入。") % {"who": who})
    # 000 art. 12: at an in-person or online meeting only the directors recorded present (到会理事) vote.
    if meeting.counts_attendance and not _attended(meeting=meeting, seat=seat):
        raise VoteRefused(_("%(who)s未登记出席本次会议，选票不能计入：请先签到或由秘书处登记出席。") % {"who": who})


def _attended(*, meeting, seat):
    if hasattr(seat, "attended"):  # read with the seat (seat_of)
        return seat.attended
    person = Q(seat__user=seat.user_id) if seat.user_id else Q(seat=seat)
    return Attendance.objects.filter(person, meeting=meeting).exists()


def _ballot_of(*, motion, seat):
    """The ballot of the seat's holder on the motion, or None (one per person: per account, or per seat)."""
    person = Q(voter=seat.user_id) if seat.user_id else Q(seat=seat)
    return Ballot.objects.filter(person, motion=motion).first()


def _choice_of(*, motion, choice, candidate_ids):
    """(choice, candidates) of a ballot, checked; an election's choice follows from the candidates chosen."""
    candidates = []
    if motion.is_election:
        candidates = list(motion.candidates.filter(pk__in=candidate_ids))
        if len(candidates) != len(set(candidate_ids)):
            raise VoteRefused(_("所选候选人不属于本次选举。"))
        if len(candidates) > motion.seats_to_fill:
            raise VoteRefused(ngettext("最多可选 %(n)s 名候选人。", "最多可选 %(n)s 名候选人。", motion.seats_to_fill) % {"n": motion.seats_to_fill})
        choice = Ballot.Choice.FOR if candidates else Ballot.Choice.ABSTAIN
    if choice not in Ballot.Choice.values:
        raise VoteRefused(_("请选择赞成、反对或弃权。"))
    return choice, candidates


def _ballot_save(*, motion, ballot, seat, choice, candidates, now, actor, recorded_by):
    created = ballot is None
    if created:
        ballot = Ballot(motion=motion, voter_id=seat.user_id, seat=seat, cast_at=now)
    ballot.choice, ballot.changed_at, ballot.recorded_by = choice, now, recorded_by
    reason = ("投票" if created else "修改投票") if recorded_by is None else ("登记表决票" if created else "修改登记的表决票")
    with_history(ballot, actor=actor, reason=reason).save()
    if motion.is_election:
        ballot.candidates.set(candidates)
    return ballot, created


@transaction.atomic
def show_of_hands_record(*, actor, motion, votes_for, votes_against, abstentions, tellers):
    """Staff record the totals the tellers counted for a motion voted by show of hands, while its vote is open
    (again to correct them); the close counts from them, the directors present who raised no hand counted as
    not voting."""
    require_manage_alliance(actor, motion.meeting.body.alliance)
    motion = _lock(motion.pk)
    if not motion.by_show_of_hands:
        raise VoteRefused(_("本议案逐人计票，不能登记举手表决结果。"))
    if motion.status != Motion.Status.OPEN:
        raise VoteRefused(_("该议案不在表决中，不能登记举手表决结果。"))
    if min(votes_for, votes_against, abstentions) < 0:
        raise ValidationError({"votes_for": _("票数不能为负数。")})
    if not tellers.strip():
        raise ValidationError({"tellers": _("请填写计票人姓名。")})
    _in_office, present = _roll(motion=motion, on=_in_office_on(motion.meeting), roll=_frozen_roll(motion))
    if votes_for + votes_against + abstentions > len(present):
        raise ValidationError({"votes_for": _("赞成、反对、弃权合计不能超过出席理事人数（%(len)s 人）。") % {"len": len(present)}})
    hands = HandCount.objects.filter(motion=motion).first() or HandCount(motion=motion)
    hands.votes_for, hands.votes_against, hands.abstentions = votes_for, votes_against, abstentions
    hands.tellers, hands.recorded_by, hands.recorded_at = tellers.strip(), actor, timezone.now()
    return checked_and_saved(hands, actor=actor, reason="登记举手表决结果")


def _tally(*, motion, ballots, base, rules):
    """Rank candidates by votes; the top ``seats_to_fill`` that reach the pass rule are elected.

    A tie across the last seat elects none of the tied candidates: the seat stays open, or, where the
    charter's tie rule lets the chair decide, waits for election_tie_break. (With "以上" including the
    number, a yes/no motion has no tie to break: exactly the threshold passes.)
    """
    counts = {c.pk: 0 for c in motion.candidates.all()}
    for ballot in ballots:
        for cid in ballot.candidate_ids:
            counts[cid] += 1
    rows = []
    for rank, cand in enumerate(sorted(motion.candidates.all(), key=lambda c: (-counts[c.pk], c.order, c.pk)), 1):
        rows.append({"candidate": cand.pk, "name": cand.person_name, "unit": cand.unit_name,
                     "role": cand.get_role_display(), "votes": counts[cand.pk], "rank": rank,
                     "reaches_rule": rules.motion_passes(votes_for=counts[cand.pk], base=base), "elected": False})
    n = motion.seats_to_fill
    tie = False
    qualifying = [r for r in rows if r["reaches_rule"]]
    if len(qualifying) > n and qualifying[n - 1]["votes"] == qualifying[n]["votes"]:
        tie = True
        boundary = qualifying[n - 1]["votes"]
        winners = [r for r in qualifying[:n] if r["votes"] > boundary]
        for row in qualifying:
            row["tied"] = row["votes"] == boundary
    else:
        winners = qualifying[:n]
    for row in winners:
        row["elected"] = True
    return rows, tie


def _compute(*, motion, rules, on):
    in_office, present = _roll(motion=motion, on=on, roll=_frozen_roll(motion))
    present_keys = {_person_key(s) for s in present}
    if motion.by_show_of_hands:
        hands = motion.hand_count
        ballots = []
        counts = {"for": hands.votes_for, "against": hands.votes_against, "abstain": hands.abstentions}
        not_voting = len(present) - sum(counts.values())
        recorders, recorded, tellers = [hands.recorded_by], 0, hands.tellers
    else:
        # Only the ballots of the directors present count (000 art. 12).
        ballots = [b for b in motion.ballots.select_related("seat", "recorded_by").prefetch_related("candidates")
                   if _person_key(b.seat) in present_keys]
        for b in ballots:
            b.candidate_ids = [c.pk for c in b.candidates.all()]
        counts = {choice: sum(1 for b in ballots if b.choice == choice) for choice in Ballot.Choice.values}
        voted = {_person_key(b.seat) for b in ballots}
        not_voting = len([key for key in present_keys if key not in voted])
        recorders = [b.recorded_by for b in ballots if b.recorded_by_id]
        recorded, tellers = len(recorders), ""
    # 000 art. 12 counts the directors present: one who is present and casts no ballot weighs like an
    # abstention, in the base exactly when the charter puts abstentions there.
    base = rules.pass_base(
        votes_for=counts["for"], votes_against=counts["against"], abstentions=counts["abstain"] + not_voting
    )
    quorum_met = rules.quorum_met(present=len(present), in_office=len(in_office))
    tally, tie = [], False
    if motion.is_election:
        tally, tie = _tally(motion=motion, ballots=ballots, base=base, rules=rules)
        passed = quorum_met and any(r["elected"] for r in tally)
    else:
        passed = quorum_met and rules.motion_passes(votes_for=counts["for"], base=base)
    return {
        "in_office_seats": in_office, "present_seats": present, "votes_for": counts["for"],
        "votes_against": counts["against"], "abstentions": counts["abstain"], "not_voting": not_voting,
        "base": base, "quorum_met": quorum_met, "passed": passed, "tie": tie, "tally": tally,
        "recorded_ballots": recorded, "tellers": tellers,
        "recorded_by": "、".join(dict.fromkeys(user.get_full_name() for user in recorders)),
    }


_CN_DIGITS = "零一二三四五六七八九十"


def _fractions_in(text):
    """The fractions a charter's wording states: 2/3, 三分之二, 半数."""
    found = [(int(n), int(d)) for n, d in re.findall(r"(\d+)\s*/\s*(\d+)", text)]
    found += [(_CN_DIGITS.index(n), _CN_DIGITS.index(d))
              for d, n in re.findall(f"([{_CN_DIGITS}])分之([{_CN_DIGITS}])", text)]
    if "半数" in text:
        found.append((1, 2))
    return found


def _with_wording(sentence, wording, numerator, denominator):
    """The sentence made from the numbers the count used, followed by the charter's own wording only when
    that states the same fraction (a wording that disagrees with the numbers is left out)."""
    if not wording or any(n * denominator != numerator * d for n, d in _fractions_in(wording)):
        return sentence
    room = Result._meta.get_field("pass_rule").max_length - len(sentence) - 2
    if len(wording) > room:
        wording = wording[:room - 1] + "…"
    return f"{sentence}——{wording}"


def _in_record_language():
    """The result's rule texts and the motion's execution note are kept on the record, as the minutes are:
    in the portal's language, whichever language the person closing the vote reads."""
    return translation.override(settings.LANGUAGE_CODE)


def _rule_texts(rules):
    quorum = _with_wording(f"出席理事不少于在任理事的 {rules.quorum_numerator}/{rules.quorum_denominator}",
                           rules.quorum_rule_text, rules.quorum_numerator, rules.quorum_denominator)
    passing = _with_wording(
        f"赞成票不少于表决基数的 {rules.pass_numerator}/{rules.pass_denominator}（含本数）",
        rules.pass_rule_text, rules.pass_numerator, rules.pass_denominator,
    )
    if rules.abstentions_in_base:
        base = "表决基数为出席理事人数：赞成、反对、弃权及出席未投票者均计入"
    else:
        base = "表决基数为赞成票与反对票之和，弃权不计入"
    return quorum, passing, base, rules.get_tie_rule_display()


@transaction.atomic
def vote_close(*, actor, motion):
    """Close the vote, freeze the result from the roll and the charter rules frozen when it opened, and apply
    the motion if it passed."""
    motion = _lock(motion.pk)
    if motion.status != Motion.Status.OPEN:
        raise VoteRefused(_("该议案不在表决中，不能结束表决。"))
    if motion.by_show_of_hands and not HandCount.objects.filter(motion=motion).exists():
        raise VoteRefused(_("请先登记举手表决的计票结果，再结束表决。"))
    rules = _rules_of(motion)
    figures = _compute(motion=motion, rules=rules, on=_in_office_on(motion.meeting))
    with _in_record_language():
        quorum_rule, pass_rule, base_rule, tie_rule = _rule_texts(rules)
    now = timezone.now()
    result = Result(
        motion=motion,
        in_office_at_open=motion.open_snapshot.get("in_office", []),
        present_at_open=motion.open_snapshot.get("present", []),
        in_office_at_close=[_entry(s) for s in figures["in_office_seats"]],
        present_at_close=[_entry(s) for s in figures["present_seats"]],
        in_office=len(figures["in_office_seats"]), present=len(figures["present_seats"]),
        votes_for=figures["votes_for"], votes_against=figures["votes_against"],
        abstentions=figures["abstentions"], not_voting=figures["not_voting"], base=figures["base"],
        quorum_threshold=rules.quorum_threshold(in_office=len(figures["in_office_seats"])),
        pass_threshold=rules.pass_threshold(base=figures["base"]),
        quorum_met=figures["quorum_met"], passed=figures["passed"], tie=figures["tie"],
        quorum_rule=quorum_rule, pass_rule=pass_rule, base_rule=base_rule,
        tie_rule=tie_rule if figures["tie"] else "", tally=figures["tally"], counting=motion.counting,
        recorded_ballots=figures["recorded_ballots"], recorded_by=figures["recorded_by"][:200],
        tellers=figures["tellers"], computed_at=now,
        number=numbering.number_next(kind=numbering.Kind.RESOLUTION, alliance=motion.meeting.body.alliance,
                                     year=document_date(motion.meeting, now).year),
    )
    checked_and_saved(result, actor=actor, reason="计票")
    motion.status = Motion.Status.PASSED if result.passed else Motion.Status.FAILED
    motion.voting_closed_at = now
    if result.passed:
        with _in_record_language():
            motion.effect_note = _apply(motion=motion, result=result, actor=actor)
    else:
        effects.apply_failed(motion, actor=actor)
    if result.tie:
        waiting = "，待会议主持人决定" if rules.tie_rule == rules.TieRule.CHAIR_DECIDES else "，该名额空缺"
        motion.effect_note = "；".join(filter(None, [motion.effect_note, f"末位候选人得票相同{waiting}"]))
    with_history(motion, actor=actor, reason="结束表决").save()
    meeting = motion.meeting
    if meeting.status == Meeting.Status.SCHEDULED:  # its first vote is counted: the meeting has been held
        meeting.status = Meeting.Status.HELD
        with_history(meeting, actor=actor, reason="表决结束，会议已召开").save(update_fields=["status"])
    enqueue_on_commit("governance.tasks.result_render_pdfs", result.pk)
    vote_result_notify(motion, result)
    return result


def _seat_from_motion(*, motion, actor, role, person_name, unit_name, user, birth_date):
    start = motion.officer_start_date or motion.meeting.date
    body = motion.meeting.body
    try:
        with transaction.atomic():
            seat = seat_fill(
                actor=actor, body=body, role=role, start_date=start, person_name=person_name,
                unit_name=unit_name, user=user, birth_date=birth_date, elected_by=motion,
                exception_motion=officer_exception_for(body=body, role=role, person_name=person_name, start_date=start),
                reason=f"依据议案“{motion.title}”任职",
            )
    except (IneligibleSeat, ValidationError) as exc:
        return f"{person_name or unit_name} 未能就任：{'；'.join(exc.messages)}"
    return f"{seat.holder_name} 就任{seat.get_role_display()}"


def _seat_candidates(*, motion, candidate_ids, actor):
    return [
        _seat_from_motion(motion=motion, actor=actor, role=cand.role, person_name=cand.person_name,
                          unit_name=cand.unit_name, user=cand.user, birth_date=cand.birth_date)
        for cand in motion.candidates.filter(pk__in=candidate_ids).order_by("order", "pk")
    ]


def _presides(*, user, motion):
    """The meeting's chair (理事长 or 轮值主席 of the body on the day), who presides (000 art. 17)."""
    on = _in_office_on(motion.meeting)
    return Seat.objects.in_office(on=on).filter(
        body=motion.meeting.body, user=user, role__in=[Seat.Role.CHAIR, Seat.Role.ROTATING_CHAIR]
    ).exists()


@transaction.atomic
def election_tie_break(*, actor, motion, candidate_ids):
    """Where the charter's tie rule lets the chair decide, the chair picks among the candidates tied
    across the last seat; the choice is added to the result, with who made it and when."""
    motion = _lock(motion.pk)
    rules = _rules_of(motion)
    result = Result.objects.select_for_update().filter(motion=motion).first()  # None while the vote is open
    if result is None or not result.tie or rules.tie_rule != rules.TieRule.CHAIR_DECIDES:
        raise VoteRefused(_("该表决没有须由会议主持人决定的平票。"))
    if result.tie_decided_at is not None:
        raise VoteRefused(_("平票已由会议主持人决定。"))
    if not _presides(user=actor, motion=motion):
        raise PermissionDenied(_("只有会议主持人可以决定平票。"))
    tied = {row["candidate"] for row in result.tally if row.get("tied")}
    open_seats = motion.seats_to_fill - sum(1 for row in result.tally if row["elected"])
    chosen = set(candidate_ids)
    if not chosen <= tied or len(chosen) != open_seats:
        raise VoteRefused(ngettext("请从得票相同的候选人中选定 %(n)s 名。", "请从得票相同的候选人中选定 %(n)s 名。", open_seats) % {"n": open_seats})
    for row in result.tally:
        if row["candidate"] in chosen:
            row["elected"] = row["chair_decided"] = True
    result.passed = True
    result.tie_decided_by, result.tie_decided_at = actor, timezone.now()
    # The documents are printed again with the decision; the counts themselves do not change.
    result.minutes_pdf = result.resolution_pdf = ""
    documents.reset(RESULT, result)
    with_history(result, actor=actor, reason="会议主持人决定平票").save()
    with _in_record_language():
        notes = _seat_candidates(motion=motion, candidate_ids=chosen, actor=actor)
    motion.status = Motion.Status.PASSED
    motion.effect_note = "；".join([motion.effect_note, "平票由会议主持人决定", *notes])
    with_history(motion, actor=actor, reason="会议主持人决定平票").save()
    enqueue_on_commit("governance.tasks.result_render_pdfs", result.pk)
    return result


def _apply(*, motion, result, actor):
    """What a passed motion changes; returns a note for the minutes. Other apps' kinds go to effects."""
    K = Motion.Kind
    notes = []
    if motion.kind in (K.ELECT_OFFICER, K.APPOINT_DEPUTY) and motion.is_election:
        elected = [row["candidate"] for row in result.tally if row["elected"]]
        notes += _seat_candidates(motion=motion, candidate_ids=elected, actor=actor)
    elif motion.kind in (K.ELECT_OFFICER, K.APPOINT_DEPUTY) and motion.officer_role:
        notes.append(_seat_from_motion(
            motion=motion, actor=actor, role=motion.officer_role, person_name=motion.officer_name,
            unit_name=motion.officer_unit, user=motion.officer_user, birth_date=motion.officer_birth_date,
        ))
    elif motion.kind == K.REMOVE_OFFICER:
        [seat] = effects.motion_subjects(motion, model=Seat)
        seat = seat_end(actor=actor, seat=seat, end_date=motion.meeting.date, reason=f"依据议案“{motion.title}”罢免")
        notes.append(f"{seat.holder_name} 的{seat.get_role_display()}职务于{seat.end_date:%Y年%m月%d日}终止")
    elif motion.kind == K.OFFICER_EXCEPTION:
        # The exception names its person and term; a seat cites the motion when it is filled (seats.py).
        notes.append("任职例外经表决通过，报秘书处批准同意后方可任职（第十五条）")
    elif effects.handler_for(motion.kind) is not None:
        effects.apply(motion, actor=actor)
        notes.append("已执行")
    logger.debug("Motion %s passed: %s", motion.pk, notes)
    return "；".join(notes)


def vote_count_live(*, motion):
    """The running count for staff while a vote is open (never shown to directors)."""
    counts = {c: 0 for c in Ballot.Choice.values}
    for choice in motion.ballots.values_list("choice", flat=True):
        counts[choice] += 1
    return counts



def vote_close_preview(*, motion):
    """What closing the vote would do, for the page that asks staff to confirm it (nothing is written):
    ``warnings`` (the correspondence deadline not reached, present directors without a ballot) and ``effect``,
    what the motion does if it passes."""
    warnings = []
    meeting = motion.meeting
    deadline = meeting.correspondence_deadline if meeting.is_correspondence else None
    if deadline and timezone.now() < deadline:  # 000 art. 13: ballots returned by the deadline count
        local = timezone.localtime(deadline)
        warnings.append(_("通讯表决截止时间%(date)s %(time)s尚未到，提前结束将不再接受表决票。") % {
            "date": cn_date(local), "time": f"{local:%H:%M}"})
    if not motion.by_show_of_hands:
        figures = _compute(motion=motion, rules=_rules_of(motion), on=_in_office_on(meeting))
        if figures["not_voting"]:
            warnings.append(ngettext("尚有 %(n)s 位出席理事未投票，结束后按未投票计。", "尚有 %(n)s 位出席理事未投票，结束后按未投票计。",
                                     figures["not_voting"]) % {"n": figures["not_voting"]})
    return {"motion": motion, "warnings": warnings, "effect": _effect_preview(motion)}


def _effect_preview(motion):
    K = Motion.Kind
    count = len(motion.subject_ids)
    if motion.kind == K.ADMIT_MEMBER:
        return ngettext("通过后将吸收 %(count)s 个成员入会。", "通过后将吸收 %(count)s 个成员入会。", count) % {"count": count}
    if motion.kind == K.EXPEL_MEMBER:
        return ngettext("通过后将对 %(count)s 个成员除名。", "通过后将对 %(count)s 个成员除名。", count) % {"count": count}
    if motion.kind == K.SANCTION_MEMBER:
        return ngettext("通过后将可依据本议案取消 %(count)s 个成员的部分权利。", "通过后将可依据本议案取消 %(count)s 个成员的部分权利。", count) % {"count": count}
    if motion.kind in (K.ELECT_OFFICER, K.APPOINT_DEPUTY) and motion.is_election:
        return ngettext("通过后将按得票选出 %(n)s 名%(role)s并任职。", "通过后将按得票选出 %(n)s 名%(role)s并任职。", motion.seats_to_fill) % {
            "n": motion.seats_to_fill, "role": motion.get_officer_role_display()}
    if motion.kind in (K.ELECT_OFFICER, K.APPOINT_DEPUTY) and motion.officer_role:
        return _("通过后%(officer_name)s将就任%(officer_role)s。") % {"officer_name": motion.officer_name, "officer_role": motion.get_officer_role_display()}
    if motion.kind == K.REMOVE_OFFICER:
        return _("通过后被罢免者的职务即行终止。")
    if motion.kind == K.AMEND_CHARTER:
        return _("通过后将按议案修改章程规则。")
    return ""
