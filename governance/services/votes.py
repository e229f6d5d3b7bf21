"""Meetings, attendance and votes: opening, casting, closing and the frozen result (000 arts. 11–13).

Every cast and the close lock the motion: casts share the lock, so they run side by side, while the close
(like the opening) takes it alone: it waits for the casts in flight, and casts that come meanwhile queue
behind it. A ballot that reaches the lock before the close is counted by it; one that reaches it after
finds the vote closed and is refused with a message. Nothing is lost.
"""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from alliance import documents
from alliance.models import CharterRules
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved, with_history
from governance import effects
from governance.models import Attendance, Ballot, Candidate, Meeting, Motion, Result, Seat

from .documents import RESULT
from .seats import IneligibleSeat, officer_exception_for, seat_end, seat_fill

logger = logging.getLogger(__name__)


class VoteRefused(ValidationError):
    """A ballot or a transition that the state of the vote does not allow; the message is for the person."""


def _in_office_on(meeting):
    # Correspondence votes run over days: who is in office is read on the day of the open or the close.
    return timezone.localdate() if meeting.is_correspondence else meeting.date


def seat_of(*, user, body, on, lock=False):
    """The user's seat in the body on that day, or None; with lock, the seat's row is held until the end of
    the transaction, so that one person's writes through it run one at a time."""
    if user is None or not user.is_authenticated:
        return None
    seats = Seat.objects.in_office(on=on).filter(body=body, user=user).order_by("pk")
    if lock:
        seats = seats.select_for_update(no_key=True)
    return seats.first()


def _person_key(seat):
    # A person holding two seats in one body (chair and director) is one director.
    return f"u{seat.user_id}" if seat.user_id else f"s{seat.pk}"


def _entry(seat):
    return {"seat": seat.pk, "user": seat.user_id, "name": seat.holder_name, "role": seat.get_role_display()}


def _roll(*, motion, on, rules, roll=None):
    """(in office, present) at this moment: lists of directors, one entry per person, in seat order.

    roll, the people on the roll frozen when the vote opened (person keys), keeps out anyone seated since
    (or seated back-dated): they neither vote nor count in this vote.
    """
    seats = list(Seat.objects.in_office(on=on).filter(body=motion.meeting.body).order_by("order", "pk"))
    in_office = {}
    for seat in seats:
        if roll is None or _person_key(seat) in roll:
            in_office.setdefault(_person_key(seat), seat)
    attended_seats = set(Attendance.objects.filter(meeting=motion.meeting).values_list("seat_id", flat=True))
    present_keys = {_person_key(s) for s in seats if s.pk in attended_seats}
    # Correspondence votes (and any meeting whose charter counts returned ballots) count those who voted.
    if rules.present_rule == rules.PresentRule.ATTENDED_OR_BALLOT:
        voters = set(Ballot.objects.filter(motion=motion).values_list("voter_id", flat=True))
        present_keys |= {f"u{uid}" for uid in voters}
    present = {key: seat for key, seat in in_office.items() if key in present_keys}
    return list(in_office.values()), list(present.values())


def _frozen_roll(motion):
    """The person keys of the directors in office when the vote opened."""
    return {f"u{e['user']}" if e["user"] else f"s{e['seat']}" for e in motion.open_snapshot.get("in_office", [])}


# Everything the count of a vote reads from the charter, frozen in the motion's snapshot at the opening.
TALLY_RULES = ("quorum_numerator", "quorum_denominator", "quorum_rule_text", "pass_numerator", "pass_denominator",
               "pass_rule_text", "abstentions_in_base", "present_rule", "tie_rule")


def _rules_of(motion):
    """The charter rules an open or closed vote counts by: those frozen when it opened (a vote opened before
    the snapshot kept them counts by the alliance's rules)."""
    frozen = motion.open_snapshot.get("rules")
    if frozen is None:
        return motion.meeting.body.alliance.rules
    return CharterRules(alliance_id=motion.meeting.body.alliance_id, **frozen)


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
        cursor.execute(f"SELECT status, open_snapshot FROM {Motion._meta.db_table} WHERE id = %s{share}",
                       [motion.pk])
        row = cursor.fetchone()
    if row is None:
        raise Motion.DoesNotExist
    motion.status = row[0]
    motion.open_snapshot = Motion._meta.get_field("open_snapshot").from_db_value(row[1], None, connection)
    return motion


def _subject_ids(kind, subjects):
    """The keys of the motion's subjects, refused unless each is a row of the model the kind acts on (the
    alliance is checked by Motion.clean)."""
    subject = effects.subject_for(kind)
    if subjects and (subject is None or any(type(obj) is not subject.model for obj in subjects)):
        raise ValidationError({"subject_ids": "议案对象的类型与议案类型不符。"})
    return [obj.pk for obj in subjects]


# What staff may set on a motion before its vote opens (status, times and the snapshot are the votes' own).
MOTION_FIELDS = ("meeting", "order", "kind", "title", "text", "officer_role", "officer_name", "officer_unit",
                 "officer_user", "officer_birth_date", "officer_start_date", "seats_to_fill", "charter_values")


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
        raise VoteRefused("表决开始后，议案不能再修改。")
    for name, value in values.items():
        setattr(motion, name, value)
    if subjects is not None:
        motion.subject_ids = _subject_ids(motion.kind, subjects)
    effects.decision_body_check(kind=motion.kind, body=motion.meeting.body)
    checked_and_saved(motion, actor=actor, reason="修改议案")
    return motion


def _draft_of(motion):
    motion = _lock(motion.pk)
    if motion.status != Motion.Status.DRAFT:
        raise VoteRefused("表决开始后，候选人不能再修改。")
    return motion


@transaction.atomic
def candidate_save(*, actor, motion, candidate=None, **values):
    """Add a candidate to an election motion (candidate None) or change one, before the vote opens."""
    motion = _draft_of(motion)
    if candidate is None:
        candidate = Candidate(motion=motion)
    elif candidate.motion_id != motion.pk:
        raise ValidationError("该候选人不属于本议案。")
    for name, value in values.items():
        setattr(candidate, name, value)
    if effects.seat_right_suspended(seat_of(user=candidate.user, body=motion.meeting.body, on=motion.meeting.date),
                                    effects.RIGHT_STAND):
        raise ValidationError({"person_name": "该人选所代表的成员单位已被取消被选举权，不能作为候选人。"})
    checked_and_saved(candidate, actor=actor, reason="修改候选人" if candidate.pk else "提名候选人")
    return candidate


@transaction.atomic
def candidate_delete(*, actor, motion, candidate):
    motion = _draft_of(motion)
    if candidate.motion_id != motion.pk:
        raise ValidationError("该候选人不属于本议案。")
    with_history(candidate, actor=actor, reason="撤回候选人").delete()


@transaction.atomic
def attendance_check_in(*, actor, meeting, seat=None, checked_in_at=None):
    """Record a director's check-in (once; the first time is kept). Directors check themselves in; staff
    record another director's seat, at the time they give (not later than now)."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise VoteRefused("会议已取消。")
    if seat is None:
        seat = seat_of(user=actor, body=meeting.body, on=meeting.date)
        if seat is None:
            raise PermissionDenied("您不是该机构的在任理事。")
    elif seat.body_id != meeting.body_id:
        raise ValidationError({"seat": "该任职不属于召开会议的机构。"})
    elif not Seat.objects.in_office(on=meeting.date).filter(pk=seat.pk).exists():
        raise ValidationError({"seat": "会议当日该任职不在任期内。"})
    now = timezone.now()
    if checked_in_at is not None and checked_in_at > now:
        raise ValidationError({"checked_in_at": "签到时间不能晚于当前时间。"})
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
        raise VoteRefused("该议案的表决已开始或已结束。")
    if meeting.status == Meeting.Status.CANCELLED:
        raise VoteRefused("会议已取消，不能表决。")
    if meeting.is_correspondence and not rules.correspondence_allowed:
        raise VoteRefused("本联盟章程不允许以通讯形式表决。")
    if motion.is_election and motion.candidates.count() < 1:
        raise VoteRefused("选举议案须至少有一名候选人。")
    in_office, present = _roll(motion=motion, on=_in_office_on(meeting), rules=rules)
    if not in_office:
        raise VoteRefused("该机构暂无在任理事，不能表决。")
    motion.status = Motion.Status.OPEN
    motion.voting_opened_at = timezone.now()
    # The roll and the rules of the count, as they are now: the close computes from these alone.
    motion.open_snapshot = {"in_office": [_entry(s) for s in in_office], "present": [_entry(s) for s in present],
                            "rules": {name: getattr(rules, name) for name in TALLY_RULES}}
    with_history(motion, actor=actor, reason="开始表决").save()
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
    seat = seat_of(user=actor, body=meeting.body, on=_in_office_on(meeting), lock=True)
    if seat is None:
        raise PermissionDenied("您不是该机构的在任理事，不能投票。")
    if effects.seat_right_suspended(seat, effects.RIGHT_VOTE):
        raise VoteRefused("您所代表的成员单位已被取消表决权，不能投票。")
    if motion.status == Motion.Status.DRAFT:
        raise VoteRefused("该议案尚未开始表决。")
    if motion.status != Motion.Status.OPEN:
        raise VoteRefused("表决已结束，您的选票未被计入。")
    if _person_key(seat) not in _frozen_roll(motion):
        raise VoteRefused("您在本次表决开始时不在任，不参加本次表决。")
    rules = _rules_of(motion)
    now = timezone.now()
    if meeting.is_correspondence and meeting.correspondence_deadline and now > meeting.correspondence_deadline:
        raise VoteRefused("通讯表决已过截止时间，您的选票未被计入。")
    if rules.present_rule == rules.PresentRule.ATTENDED and not meeting.is_correspondence and not (
        Attendance.objects.filter(meeting=meeting, seat__user=actor).exists()
    ):
        raise VoteRefused("请先签到，再参加表决。")
    candidates = []
    if motion.is_election:
        candidates = list(motion.candidates.filter(pk__in=candidate_ids))
        if len(candidates) != len(set(candidate_ids)):
            raise VoteRefused("所选候选人不属于本次选举。")
        if len(candidates) > motion.seats_to_fill:
            raise VoteRefused(f"最多可选 {motion.seats_to_fill} 名候选人。")
        choice = Ballot.Choice.FOR if candidates else Ballot.Choice.ABSTAIN
    if choice not in Ballot.Choice.values:
        raise VoteRefused("请选择赞成、反对或弃权。")
    try:
        ballot, created = Ballot.objects.get(motion=motion, voter=actor), False
    except Ballot.DoesNotExist:
        ballot, created = Ballot(motion=motion, voter=actor, seat=seat, cast_at=now), True
    ballot.choice = choice
    ballot.changed_at = now
    with_history(ballot, actor=actor, reason="投票" if created else "修改投票").save()
    if motion.is_election:
        ballot.candidates.set(candidates)
    return ballot, created


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
    in_office, present = _roll(motion=motion, on=on, rules=rules, roll=_frozen_roll(motion))
    in_office_users = {s.user_id for s in in_office if s.user_id}
    ballots = [b for b in motion.ballots.prefetch_related("candidates") if b.voter_id in in_office_users]
    for b in ballots:
        b.candidate_ids = [c.pk for c in b.candidates.all()]
    counts = {choice: sum(1 for b in ballots if b.choice == choice) for choice in Ballot.Choice.values}
    voted = {b.voter_id for b in ballots}
    not_voting = len([s for s in present if not s.user_id or s.user_id not in voted])
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
        raise VoteRefused("该议案不在表决中，不能结束表决。")
    rules = _rules_of(motion)
    figures = _compute(motion=motion, rules=rules, on=_in_office_on(motion.meeting))
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
        tie_rule=tie_rule if figures["tie"] else "", tally=figures["tally"], computed_at=now,
    )
    checked_and_saved(result, actor=actor, reason="计票")
    motion.status = Motion.Status.PASSED if result.passed else Motion.Status.FAILED
    motion.voting_closed_at = now
    if result.passed:
        motion.effect_note = _apply(motion=motion, result=result, actor=actor)
    else:
        effects.apply_failed(motion, actor=actor)
    if result.tie:
        waiting = "，待会议主持人决定" if rules.tie_rule == rules.TieRule.CHAIR_DECIDES else "，该名额空缺"
        motion.effect_note = "；".join(filter(None, [motion.effect_note, f"末位候选人得票相同{waiting}"]))
    with_history(motion, actor=actor, reason="结束表决").save()
    enqueue_on_commit("governance.tasks.result_render_pdfs", result.pk)
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
        raise VoteRefused("该表决没有须由会议主持人决定的平票。")
    if result.tie_decided_at is not None:
        raise VoteRefused("平票已由会议主持人决定。")
    if not _presides(user=actor, motion=motion):
        raise PermissionDenied("只有会议主持人可以决定平票。")
    tied = {row["candidate"] for row in result.tally if row.get("tied")}
    open_seats = motion.seats_to_fill - sum(1 for row in result.tally if row["elected"])
    chosen = set(candidate_ids)
    if not chosen <= tied or len(chosen) != open_seats:
        raise VoteRefused(f"请从得票相同的候选人中选定 {open_seats} 名。")
    for row in result.tally:
        if row["candidate"] in chosen:
            row["elected"] = row["chair_decided"] = True
    result.passed = True
    result.tie_decided_by, result.tie_decided_at = actor, timezone.now()
    # The documents are printed again with the decision; the counts themselves do not change.
    result.minutes_pdf = result.resolution_pdf = ""
    documents.reset(RESULT, result)
    with_history(result, actor=actor, reason="会议主持人决定平票").save()
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

