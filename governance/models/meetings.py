"""Meetings of a body, attendance, motions, ballots and the frozen result of a vote (000 arts. 11–13)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.documents import JOB_FIELDS, DocumentJob, status_field
from governance import effects

from .bodies import Body, Seat


class Meeting(models.Model):
    class Form(models.TextChoices):
        IN_PERSON = "in_person", gettext_lazy("现场会议")
        ONLINE = "online", gettext_lazy("线上会议")
        CORRESPONDENCE = "correspondence", gettext_lazy("通讯形式")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", gettext_lazy("已安排")
        HELD = "held", gettext_lazy("已召开")
        CANCELLED = "cancelled", gettext_lazy("已取消")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=gettext_lazy("机构"))
    title = models.CharField(gettext_lazy("会议名称"), max_length=200)
    form = models.CharField(gettext_lazy("会议形式"), max_length=20, choices=Form.choices, default=Form.IN_PERSON)
    date = models.DateField(gettext_lazy("会议日期"))
    place = models.CharField(gettext_lazy("地点"), max_length=200, blank=True, help_text=gettext_lazy("现场会议的地点或线上会议的平台。"))
    agenda = models.TextField(gettext_lazy("议程"), blank=True)
    correspondence_deadline = models.DateTimeField(gettext_lazy("通讯表决截止时间"), null=True, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("会议")
        verbose_name_plural = gettext_lazy("会议")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["body", "date"])]
        constraints = [
            # 000 art. 13: a meeting by correspondence is a vote by post with a deadline for the ballots.
            models.CheckConstraint(
                condition=~Q(form="correspondence") | Q(correspondence_deadline__isnull=False),
                name="meeting_correspondence_has_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.body}·{self.title}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_correspondence(self):
        return self.form == self.Form.CORRESPONDENCE

    @property
    def is_today(self):
        """Directors check themselves in on the meeting's day only (attendance_check_in)."""
        return self.date == timezone.localdate()

    @property
    def counts_attendance(self):
        """000 arts. 12–13: at an in-person or online meeting the directors present are those recorded as
        attending (到会理事); in a vote by correspondence, those who returned a ballot by the deadline."""
        return not self.is_correspondence

    def clean(self):
        if self.form == self.Form.CORRESPONDENCE and not self.correspondence_deadline:
            raise ValidationError({"correspondence_deadline": _("通讯形式的会议须填写表决截止时间。")})
        # 000 art. 13 allows correspondence "in special cases"; a charter may not allow it at all.
        if self.form == self.Form.CORRESPONDENCE and self.body_id and not self.body.alliance.rules.correspondence_allowed:
            raise ValidationError({"form": _("本联盟章程不允许以通讯形式召开会议。")})


class Attendance(models.Model):
    """A director's check-in at a meeting, by the director or recorded by staff (recorded_by says who); the
    time is kept, the seat says in which capacity."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=gettext_lazy("会议"))
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="attendances", verbose_name=gettext_lazy("任职"))
    checked_in_at = models.DateTimeField(gettext_lazy("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("登记人"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("出席记录")
        verbose_name_plural = gettext_lazy("出席记录")
        ordering = ["checked_in_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat")]

    def __str__(self):
        return f"{self.seat.holder_name} {self.checked_in_at:%Y-%m-%d %H:%M}"


def _stored_as_named(instance, filename):
    return filename  # the service names the file (alliance.uploads.stored_name)


class Motion(models.Model):
    class Kind(models.TextChoices):
        # 000 art. 11 (一)–(六), 002 art. 7, plus the exception of art. 15.
        ELECT_OFFICER = "elect_officer", gettext_lazy("选举负责人")
        REMOVE_OFFICER = "remove_officer", gettext_lazy("罢免负责人")
        ADMIT_MEMBER = effects.ADMIT_MEMBER, gettext_lazy("吸收成员")
        EXPEL_MEMBER = effects.EXPEL_MEMBER, gettext_lazy("成员除名")
        SANCTION_MEMBER = effects.SANCTION_MEMBER, gettext_lazy("处分成员")
        SET_UP_OFFICE = "set_up_office", gettext_lazy("设立办事机构")
        APPOINT_DEPUTY = "appoint_deputy", gettext_lazy("聘任副秘书长或办事机构负责人")
        ADOPT_RULES = "adopt_rules", gettext_lazy("制定内部管理制度")
        APPROVE_PLAN = "approve_plan", gettext_lazy("审定年度工作计划")
        APPROVE_REPORT = "approve_report", gettext_lazy("审定年度工作报告")
        AMEND_CHARTER = "amend_charter", gettext_lazy("修改章程")
        OFFICER_EXCEPTION = "officer_exception", gettext_lazy("负责人任职例外")
        OTHER = "other", gettext_lazy("其他重大事项")

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("待表决")
        OPEN = "open", gettext_lazy("表决中")
        PASSED = "passed", gettext_lazy("通过")
        FAILED = "failed", gettext_lazy("未通过")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions", verbose_name=gettext_lazy("会议"))
    order = models.PositiveSmallIntegerField(gettext_lazy("议程序号"), default=1)
    kind = models.CharField(gettext_lazy("议案类型"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(gettext_lazy("议案标题"), max_length=200)
    text = models.TextField(gettext_lazy("议案正文"), blank=True)
    # What the motion acts on, by primary key: always rows of the one model its kind acts on, of the motion's
    # own alliance (governance.effects): the Applications to admit, the Member to expel, the Seat to end.
    subject_ids = models.JSONField(gettext_lazy("议案对象"), default=list, blank=True)
    # The officer a motion seats (elect/appoint) or excuses (exception): 000 arts. 11, 14–16, 18.
    officer_role = models.CharField(gettext_lazy("拟任职务"), max_length=30, choices=Seat.Role.choices, blank=True)
    officer_name = models.CharField(gettext_lazy("拟任人选"), max_length=50, blank=True)
    officer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("拟任人选账号"),
    )
    officer_unit = models.CharField(gettext_lazy("拟任人选单位"), max_length=100, blank=True)
    officer_birth_date = models.DateField(gettext_lazy("拟任人选出生日期"), null=True, blank=True)
    officer_start_date = models.DateField(gettext_lazy("任期开始"), null=True, blank=True)
    seats_to_fill = models.PositiveSmallIntegerField(
        gettext_lazy("应选名额"), default=0, help_text=gettext_lazy("选举时填写应选人数（每位理事最多选这么多名候选人）；普通议案为 0。")
    )
    class Counting(models.TextChoices):
        BALLOTS = "ballots", gettext_lazy("逐人计票（网上投票或秘书处登记）")
        SHOW_OF_HANDS = "show_of_hands", gettext_lazy("举手表决（秘书处登记计票结果）")

    # How the votes are counted, chosen with the motion and fixed when its vote opens (motion_update).
    counting = models.CharField(gettext_lazy("计票方式"), max_length=20, choices=Counting.choices, default=Counting.BALLOTS)
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The text the directors vote on (a work plan, a report, the amended charter), attached by the secretariat
    # before the vote opens (governance.services.motion_document_attach); stored under a random name.
    document = models.FileField(gettext_lazy("议案文件"), upload_to=_stored_as_named, blank=True, max_length=200)
    document_name = models.CharField(gettext_lazy("议案文件名"), max_length=100, blank=True)
    voting_opened_at = models.DateTimeField(gettext_lazy("开始表决时间"), null=True, blank=True)
    voting_closed_at = models.DateTimeField(gettext_lazy("结束表决时间"), null=True, blank=True)
    # When the directors yet to vote were reminded of the correspondence deadline (once per motion).
    deadline_reminded_at = models.DateTimeField(gettext_lazy("截止前提醒时间"), null=True, blank=True, editable=False)
    # The directors in office and present when the vote opened, frozen then and copied into the result.
    open_snapshot = models.JSONField(gettext_lazy("开始表决时的理事名单"), default=dict, blank=True)
    effect_note = models.TextField(gettext_lazy("执行情况"), blank=True)
    # An amendment carries the charter rules it changes: CharterRules field name -> new value (000 art. 22,
    # 001 arts. 13, 24); they are applied when it passes (governance.services.charter).
    charter_values = models.JSONField(
        gettext_lazy("修改后的章程规则"), default=dict, blank=True,
        help_text=gettext_lazy('修改章程议案填写，例如 {"pass_numerator": 1, "pass_denominator": 2}；其他议案留空。'),
    )
    # 000 art. 15: an officer over the age limit takes office once the council has voted the exception and
    # the secretariat has then approved it.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("秘书处批准人"),
    )
    approved_at = models.DateTimeField(gettext_lazy("秘书处批准时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("议案")
        verbose_name_plural = gettext_lazy("议案")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_closed_at__isnull=True)
                | Q(voting_opened_at__isnull=False, voting_closed_at__gte=F("voting_opened_at")),
                name="motion_closes_after_it_opens",
            ),
            # A show of hands gives totals, not the candidates each director chose.
            models.CheckConstraint(
                condition=Q(counting="ballots") | Q(seats_to_fill=0), name="motion_election_counted_by_ballots",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", voting_opened_at__isnull=True)
                | Q(status="open", voting_opened_at__isnull=False, voting_closed_at__isnull=True)
                | Q(status__in=["passed", "failed"], voting_closed_at__isnull=False),
                name="motion_status_matches_voting_window",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(kind="officer_exception", status="passed"),
                name="motion_approved_only_a_passed_exception",
            ),
        ]

    def __str__(self):
        return _("%(kind)s：%(title)s") % {"kind": self.get_kind_display(), "title": self.title}

    def get_absolute_url(self):
        return reverse("governance:motion_detail", kwargs={"pk": self.pk})

    @property
    def is_election(self):
        return self.seats_to_fill > 0

    @property
    def by_show_of_hands(self):
        return self.counting == self.Counting.SHOW_OF_HANDS

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_closed(self):
        return self.status in (self.Status.PASSED, self.Status.FAILED)

    def subjects(self):
        """The rows the motion acts on (of its kind's model and its alliance; refused otherwise)."""
        return effects.subjects_of(kind=self.kind, alliance_id=self.meeting.body.alliance_id, ids=self.subject_ids)

    def clean(self):
        errors = {}
        if self.voting_opened_at and self.voting_closed_at and self.voting_closed_at < self.voting_opened_at:
            errors["voting_closed_at"] = _("结束表决时间不能早于开始表决时间。")
        try:
            effects.subjects_of(kind=self.kind, alliance_id=self.meeting.body.alliance_id if self.meeting_id else None,
                                ids=self.subject_ids)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if self.kind in (self.Kind.APPOINT_DEPUTY,) and not (self.officer_role and self.officer_name):
            errors["officer_name"] = _("聘任议案须填写拟任职务和人选。")
        # 000 art. 15: the exception names the person, the office and the term it allows.
        if self.kind == self.Kind.OFFICER_EXCEPTION and not (
            self.officer_role and self.officer_name and self.officer_start_date
        ):
            errors["officer_name"] = _("任职例外议案须填写拟任职务、人选和任期开始日期。")
        if self.by_show_of_hands and self.is_election:
            errors["counting"] = _("选举须逐人计票（每位理事所选的候选人），不能举手表决。")
        if self.by_show_of_hands and self.meeting_id and self.meeting.is_correspondence:
            errors["counting"] = _("通讯形式的会议不能举手表决。")
        if self.kind == self.Kind.AMEND_CHARTER:
            errors.update(self._charter_values_errors())
        elif self.charter_values:
            errors["charter_values"] = _("只有修改章程议案载明修改后的章程规则，请留空。")
        if errors:
            raise ValidationError(errors)

    def _charter_values_errors(self):
        """An amendment is voted by the body that holds the power (the charter's decision body: the council,
        000 arts. 11, 22; the joint meeting, 001 arts. 13, 24) and carries decision rules the charter accepts."""
        if not isinstance(self.charter_values, dict) or not self.charter_values:
            return {"charter_values": _("修改章程议案须载明修改后的章程规则。")}
        if not self.meeting_id:
            return {}
        body = self.meeting.body
        rules = body.alliance.rules
        if body.kind != rules.decision_body_kind:
            holder = Body.kind_label(rules.decision_body_kind)
            return {"meeting": _("本联盟章程的修改须由%(holder)s表决，请选择%(holder)s的会议。") % {"holder": holder}}
        try:
            amended = rules.amended(self.charter_values)
        except ValidationError as exc:
            return {"charter_values": exc.messages}
        self.charter_values = {name: getattr(amended, name) for name in self.charter_values}
        return {}


class Candidate(models.Model):
    """A candidate in an election motion for ``seats_to_fill`` seats."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="candidates", verbose_name=gettext_lazy("议案"))
    person_name = models.CharField(gettext_lazy("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("平台账号"),
    )
    unit_name = models.CharField(gettext_lazy("所在单位"), max_length=100, blank=True)
    role = models.CharField(gettext_lazy("拟任职务"), max_length=30, choices=Seat.Role.choices)
    birth_date = models.DateField(gettext_lazy("出生日期"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("候选人")
        verbose_name_plural = gettext_lazy("候选人")
        ordering = ["motion", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "person_name", "unit_name"], name="candidate_once_per_motion")
        ]

    def __str__(self):
        return _("%(person_name)s（%(role)s）") % {"person_name": self.person_name, "role": self.get_role_display()}


class Ballot(models.Model):
    """One director's ballot on one motion; changeable while the vote is open (000 art. 12).

    Cast on the site by the director (recorded_by empty), or recorded by staff from a paper ballot or a roll
    call (recorded_by says who): the seat is the director, voter the account where the director has one.
    """

    class Choice(models.TextChoices):
        FOR = "for", gettext_lazy("赞成")
        AGAINST = "against", gettext_lazy("反对")
        ABSTAIN = "abstain", gettext_lazy("弃权")

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots", verbose_name=gettext_lazy("议案"))
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots",
        verbose_name=gettext_lazy("投票人账号"),
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="ballots", verbose_name=gettext_lazy("任职"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("登记人"), help_text=gettext_lazy("秘书处代为登记的表决票；为空表示理事本人在网上投票。"),
    )
    choice = models.CharField(gettext_lazy("表决意见"), max_length=10, choices=Choice.choices)
    candidates = models.ManyToManyField(Candidate, blank=True, related_name="ballots", verbose_name=gettext_lazy("所选候选人"))
    cast_at = models.DateTimeField(gettext_lazy("投票时间"))
    changed_at = models.DateTimeField(gettext_lazy("最后修改时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("表决票")
        verbose_name_plural = gettext_lazy("表决票")
        ordering = ["motion", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "voter"], name="ballot_one_per_voter_per_motion"),
            models.UniqueConstraint(fields=["motion", "seat"], name="ballot_one_per_seat_per_motion"),
            models.CheckConstraint(condition=Q(changed_at__gte=F("cast_at")), name="ballot_changed_after_cast"),
        ]

    def __str__(self):
        return f"{self.motion}·{self.get_choice_display()}"


class HandCount(models.Model):
    """The totals of a show of hands, counted by the tellers and recorded by staff while the vote is open."""

    motion = models.OneToOneField(Motion, on_delete=models.CASCADE, related_name="hand_count", verbose_name=gettext_lazy("议案"))
    votes_for = models.PositiveIntegerField(gettext_lazy("赞成"))
    votes_against = models.PositiveIntegerField(gettext_lazy("反对"))
    abstentions = models.PositiveIntegerField(gettext_lazy("弃权"))
    tellers = models.CharField(gettext_lazy("计票人"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("登记人")
    )
    recorded_at = models.DateTimeField(gettext_lazy("登记时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("举手表决计票")
        verbose_name_plural = gettext_lazy("举手表决计票")

    def __str__(self):
        return _("%(motion)s·赞成 %(votes_for)s，反对 %(votes_against)s，弃权 %(abstentions)s") % {"motion": self.motion, "votes_for": self.votes_for, "votes_against": self.votes_against, "abstentions": self.abstentions}


def document_date(meeting, closed_at):
    if meeting.is_correspondence:
        return timezone.localdate(closed_at)
    return meeting.date


class Result(DocumentJob):
    """The outcome of a vote, computed once at the close in integers and never changed afterwards.

    It keeps the directors in office and present at the opening and at the close, the counts, the base,
    both thresholds and the charter text the rules came from, so the minutes and the resolution can be
    printed from this row alone. A worker prints them (alliance/documents.py); ``pdf_status`` is that job's.
    """

    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="result", verbose_name=gettext_lazy("议案"))
    in_office_at_open = models.JSONField(gettext_lazy("开始时在任理事"), default=list, blank=True)
    present_at_open = models.JSONField(gettext_lazy("开始时出席理事"), default=list, blank=True)
    in_office_at_close = models.JSONField(gettext_lazy("结束时在任理事"), default=list, blank=True)
    present_at_close = models.JSONField(gettext_lazy("结束时出席理事"), default=list, blank=True)
    in_office = models.PositiveIntegerField(gettext_lazy("在任理事人数"))
    present = models.PositiveIntegerField(gettext_lazy("出席理事人数"))
    votes_for = models.PositiveIntegerField(gettext_lazy("赞成"))
    votes_against = models.PositiveIntegerField(gettext_lazy("反对"))
    abstentions = models.PositiveIntegerField(gettext_lazy("弃权"))
    not_voting = models.PositiveIntegerField(gettext_lazy("出席未投票"))
    base = models.PositiveIntegerField(gettext_lazy("表决基数"))
    quorum_threshold = models.PositiveIntegerField(gettext_lazy("法定出席人数"))
    pass_threshold = models.PositiveIntegerField(gettext_lazy("通过所需赞成票"))
    quorum_met = models.BooleanField(gettext_lazy("达到法定人数"))
    passed = models.BooleanField(gettext_lazy("通过"))
    tie = models.BooleanField(gettext_lazy("平票"), default=False)
    quorum_rule = models.CharField(gettext_lazy("出席规则"), max_length=300)
    pass_rule = models.CharField(gettext_lazy("通过规则"), max_length=300)
    base_rule = models.CharField(gettext_lazy("基数规则"), max_length=300)
    tie_rule = models.CharField(gettext_lazy("平票规则"), max_length=300, blank=True)
    tally = models.JSONField(gettext_lazy("候选人得票"), default=list, blank=True)
    counting = models.CharField(gettext_lazy("计票方式"), max_length=20, choices=Motion.Counting.choices,
                                default=Motion.Counting.BALLOTS)
    recorded_ballots = models.PositiveIntegerField(gettext_lazy("秘书处登记的表决票"), default=0)
    recorded_by = models.CharField(gettext_lazy("登记人"), max_length=200, blank=True)
    tellers = models.CharField(gettext_lazy("计票人"), max_length=200, blank=True)
    computed_at = models.DateTimeField(gettext_lazy("计票时间"))
    tie_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("平票决定人"),
    )
    tie_decided_at = models.DateTimeField(gettext_lazy("平票决定时间"), null=True, blank=True)
    # The 文号 of the resolution (or vote record) and its minutes: one series per alliance and year of the
    # document's date (alliance.numbering); null on results counted before documents were numbered.
    number = models.PositiveIntegerField(gettext_lazy("文号序号"), null=True, blank=True, editable=False)
    minutes_pdf = models.FileField(gettext_lazy("会议纪要 PDF"), upload_to="governance/minutes/", blank=True)
    resolution_pdf = models.FileField(gettext_lazy("决议 PDF"), upload_to="governance/resolutions/", blank=True)
    pdf_status = status_field(gettext_lazy("PDF 状态"))

    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

    class Meta:
        verbose_name = gettext_lazy("表决结果")
        verbose_name_plural = gettext_lazy("表决结果")
        ordering = ["-computed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(present__lte=F("in_office")), name="result_present_within_office"),
            models.CheckConstraint(
                condition=Q(base__lte=F("votes_for") + F("votes_against") + F("abstentions") + F("not_voting")),
                name="result_base_within_votes",
            ),
            models.CheckConstraint(condition=Q(passed=False) | Q(quorum_met=True), name="result_passes_only_with_quorum"),
        ]

    def __str__(self):
        return f"{self.motion}·{_('通过') if self.passed else _('未通过')}"

    @property
    def standings(self):
        """The tally as printed: a candidate is elected only when the election passed (quorum and rule)."""
        return [{**row, "elected": row["elected"] and self.passed} for row in self.tally]

    @property
    def resolution_title(self):
        """A failed or inquorate motion's resolution document is a vote record, not a resolution."""
        return _("决议") if self.passed else _("表决记录")

    @property
    def document_date(self):
        """The day the documents are dated: the meeting's, or for a vote by correspondence the day it closed."""
        return document_date(self.motion.meeting, self.computed_at)

    @property
    def document_number(self):
        """文号 as an office writes it: the alliance's short name, the year in 〔〕 and the number, 靠谱COP〔2026〕3号."""
        if self.number is None:
            return ""
        alliance = self.motion.meeting.body.alliance
        return _("%(replace)s〔%(year)s〕%(number)s号") % {"replace": alliance.display_short_name.replace(' ', ''), "year": self.document_date.year, "number": self.number}

    @property
    def recording_note(self):
        """Who recorded what the result counts: the show of hands' tellers and recorder, or the ballots staff
        recorded for directors ("" where every ballot was cast on the site)."""
        if self.counting == Motion.Counting.SHOW_OF_HANDS:
            return _("计票人：%(tellers)s；登记人：%(recorded_by)s") % {"tellers": self.tellers, "recorded_by": self.recorded_by}
        if self.recorded_ballots:
            return _("其中 %(recorded_ballots)s 张表决票由秘书处登记，登记人：%(recorded_by)s") % {"recorded_ballots": self.recorded_ballots, "recorded_by": self.recorded_by}
        return ""


class CouncilReminder(models.Model):
    """A flag on a decision body that held fewer meetings in a calendar year than the charter's minimum
    (000 art. 13: 理事会每年至少召开一次会议). Raised for the year just ended, or as a warning late in the
    current year (services/reminders.py); cleared when held meetings of that year reach the minimum."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="reminders", verbose_name=gettext_lazy("机构"))
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    meetings_held = models.PositiveSmallIntegerField(gettext_lazy("已召开会议次数"), default=0)
    flagged_on = models.DateField(gettext_lazy("提醒日期"))
    last_meeting_on = models.DateField(gettext_lazy("最近一次会议"), null=True, blank=True)
    resolved_on = models.DateField(gettext_lazy("解除日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("会议提醒")
        verbose_name_plural = gettext_lazy("会议提醒")
        ordering = ["-year", "-flagged_on", "-pk"]
        constraints = [
            # Idempotence of the daily job: one flag per body and year.
            models.UniqueConstraint(fields=["body", "year"], name="reminder_one_per_body_and_year"),
        ]

    def __str__(self):
        return _("%(body)s：%(year)s年召开会议不足") % {"body": self.body, "year": self.year}

    @property
    def year_ended(self):
        """Whether the flag's year was over when it was raised (a shortfall, not a warning)."""
        return self.flagged_on.year > self.year
