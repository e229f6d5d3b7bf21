"""The pilot project of seed 004: the call, with its subject/grade table, criteria, organisers and experts.

The selection rules of the call (2–3 counties per province, ≥5 per 年级学科组 in a county community, 5–10 in
a famous-teacher community) and the subject/grade table are data on the project, edited in the admin.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.models import Alliance

# Indexed by a grade (1–9): the English catalogue gives the Arabic digits.
CN_DIGITS = gettext_lazy("〇一二三四五六七八九")

PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区", "新疆生产建设兵团",
]
# Stored by their Chinese names; the labels are translated like any other.
PROVINCE_LABELS = {
    "北京市": gettext_lazy("北京市"), "天津市": gettext_lazy("天津市"), "河北省": gettext_lazy("河北省"),
    "山西省": gettext_lazy("山西省"), "内蒙古自治区": gettext_lazy("内蒙古自治区"), "辽宁省": gettext_lazy("辽宁省"),
    "吉林省": gettext_lazy("吉林省"), "黑龙江省": gettext_lazy("黑龙江省"), "上海市": gettext_lazy("上海市"),
    "江苏省": gettext_lazy("江苏省"), "浙江省": gettext_lazy("浙江省"), "安徽省": gettext_lazy("安徽省"),
    "福建省": gettext_lazy("福建省"), "江西省": gettext_lazy("江西省"), "山东省": gettext_lazy("山东省"),
    "河南省": gettext_lazy("河南省"), "湖北省": gettext_lazy("湖北省"), "湖南省": gettext_lazy("湖南省"),
    "广东省": gettext_lazy("广东省"), "广西壮族自治区": gettext_lazy("广西壮族自治区"), "海南省": gettext_lazy("海南省"),
    "重庆市": gettext_lazy("重庆市"), "四川省": gettext_lazy("四川省"), "贵州省": gettext_lazy("贵州省"),
    "云南省": gettext_lazy("云南省"), "西藏自治区": gettext_lazy("西藏自治区"), "陕西省": gettext_lazy("陕西省"),
    "甘肃省": gettext_lazy("甘肃省"), "青海省": gettext_lazy("青海省"), "宁夏回族自治区": gettext_lazy("宁夏回族自治区"),
    "新疆维吾尔自治区": gettext_lazy("新疆维吾尔自治区"), "新疆生产建设兵团": gettext_lazy("新疆生产建设兵团"),
}
PROVINCE_CHOICES = [(p, PROVINCE_LABELS[p]) for p in PROVINCES]


def grade_label(grade):
    return _("%(grade)s年级") % {"grade": CN_DIGITS[grade]}


class Gender(models.TextChoices):
    MALE = "男", gettext_lazy("男")
    FEMALE = "女", gettext_lazy("女")


qq_validator = RegexValidator(r"^[0-9]{5,12}$", gettext_lazy("QQ 号为 5–12 位数字。"))
month_validator = RegexValidator(r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$", gettext_lazy("出生年月格式为 1975-03。"))


class Project(models.Model):
    """A call of an alliance or agency (004: 教研共同体协同提升试点项目 of 中央电化教育馆)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="projects", verbose_name=gettext_lazy("组织单位"))
    title = models.CharField(gettext_lazy("项目名称"), max_length=100)
    slug = models.SlugField(gettext_lazy("网址标识"), max_length=40, unique=True)
    notice_title = models.CharField(gettext_lazy("通知标题"), max_length=200, blank=True)
    summary = models.TextField(gettext_lazy("项目简介"), blank=True)
    notice_date = models.DateField(gettext_lazy("发文日期"), null=True, blank=True)
    starts_on = models.DateField(gettext_lazy("项目开始"))
    ends_on = models.DateField(gettext_lazy("项目结束"))
    deadline = models.DateTimeField(gettext_lazy("申报截止时间"))
    contact_text = models.CharField(gettext_lazy("联系方式"), max_length=300, blank=True)
    # 004 二（一）: 每省选择2-3个贫困县
    counties_min_per_province = models.PositiveSmallIntegerField(gettext_lazy("每省推荐试点县下限"), default=2)
    counties_max_per_province = models.PositiveSmallIntegerField(gettext_lazy("每省推荐试点县上限"), default=3)
    # 004 二（一）3 asks 每个学科教研共同体成员至少5人, 附件1 每年级学科组至少5人: the form's stricter reading holds both.
    county_team_min_per_group = models.PositiveSmallIntegerField(gettext_lazy("县域教研共同体每年级学科组最少人数"), default=5)
    # 004 二（二）: 每个学科年级的教研共同体原则上为5-10人
    community_team_min = models.PositiveSmallIntegerField(gettext_lazy("名师教研共同体最少人数"), default=5)
    community_team_max = models.PositiveSmallIntegerField(gettext_lazy("名师教研共同体最多人数"), default=10)
    # 004 二（二）: 按课时支付劳务补贴; the finance app multiplies hours by this rate.
    rate_per_class_hour = models.DecimalField(
        gettext_lazy("每课时劳务补贴（元）"), max_digits=8, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    # 004 三: 组织专家遴选后公示最终入选名单; the 公示 lasts at least this many days, counting both ends.
    notice_min_days = models.PositiveSmallIntegerField(gettext_lazy("公示期最少天数"), default=7,
                                                       validators=[MinValueValidator(1)])
    # 004 二（一）: 遴选推荐过程中，优先考虑三区三州的县
    sanqu_priority = models.BooleanField(gettext_lazy("排序时优先三区三州的县"), default=True,
                                         help_text=gettext_lazy("按三区三州县名单（而非申报表中的勾选）排在前面，再按平均分排序"))
    is_published = models.BooleanField(gettext_lazy("公开"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("项目")
        verbose_name_plural = gettext_lazy("项目")
        ordering = ["-deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"),
            models.CheckConstraint(
                condition=Q(counties_min_per_province__lte=F("counties_max_per_province")),
                name="project_county_limits_ordered",
            ),
            models.CheckConstraint(
                condition=Q(community_team_min__lte=F("community_team_max")), name="project_team_limits_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("项目结束日期不能早于开始日期。")})
        if self.counties_min_per_province > self.counties_max_per_province:
            raise ValidationError({"counties_max_per_province": _("上限不能小于下限。")})
        if self.community_team_min > self.community_team_max:
            raise ValidationError({"community_team_max": _("最多人数不能小于最少人数。")})


class Stage(models.TextChoices):
    PRIMARY = "primary", gettext_lazy("小学")
    JUNIOR = "junior", gettext_lazy("初中")


class SubjectGrade(models.Model):
    """A row of the call's subject/grade table (004 二（二）遴选学科年级)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="subjects", verbose_name=gettext_lazy("项目"))
    stage = models.CharField(gettext_lazy("学段"), max_length=10, choices=Stage.choices)
    subject = models.CharField(gettext_lazy("学科"), max_length=20)
    grade_from = models.PositiveSmallIntegerField(gettext_lazy("起始年级"))
    grade_to = models.PositiveSmallIntegerField(gettext_lazy("结束年级"))
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("学科年级")
        verbose_name_plural = gettext_lazy("学科年级")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage", "subject"], name="subject_unique_per_project"),
            models.CheckConstraint(condition=Q(grade_to__gte=F("grade_from")), name="subject_grades_ordered"),
            models.CheckConstraint(condition=Q(grade_from__gte=1, grade_to__lte=9), name="subject_grades_1_to_9"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}{self.subject}"

    @property
    def grades_label(self):
        if self.grade_from == self.grade_to:
            return grade_label(self.grade_from)
        return _("%(start)s至%(end)s年级") % {"start": CN_DIGITS[self.grade_from], "end": CN_DIGITS[self.grade_to]}

    def covers(self, grade):
        return grade is not None and self.grade_from <= grade <= self.grade_to

    def clean(self):
        if self.grade_from and self.grade_to and self.grade_to < self.grade_from:
            raise ValidationError({"grade_to": _("结束年级不能早于起始年级。")})


class ProvincialOrganiser(models.Model):
    """省级项目组织单位: an account that files the applications of one province for one project (004 三)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="organisers", verbose_name=gettext_lazy("项目"))
    province = models.CharField(gettext_lazy("省份"), max_length=20, choices=PROVINCE_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_organiser_roles", verbose_name=gettext_lazy("账号")
    )
    unit_name = models.CharField(gettext_lazy("组织单位"), max_length=100, blank=True, help_text=gettext_lazy("如：云南省电化教育馆"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("省级项目组织单位")
        verbose_name_plural = gettext_lazy("省级项目组织单位")
        ordering = ["project", "province"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="organiser_one_province_per_project"),
        ]

    def __str__(self):
        return f"{self.province}·{self.unit_name or self.user}"


class ProjectExpert(models.Model):
    """An expert who may be assigned applications of a project to score."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="experts", verbose_name=gettext_lazy("项目"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_expert_roles", verbose_name=gettext_lazy("专家账号")
    )
    title = models.CharField(gettext_lazy("单位及职称"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("评审专家")
        verbose_name_plural = gettext_lazy("评审专家")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="expert_unique_per_project")]

    def __str__(self):
        return self.user.get_full_name()


class ReviewCriterion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="criteria", verbose_name=gettext_lazy("项目"))
    kind = models.CharField(gettext_lazy("适用申报表"), max_length=10, choices=[("county", gettext_lazy("试点县")), ("community", gettext_lazy("名师教研共同体"))])
    name = models.CharField(gettext_lazy("评分项"), max_length=100)
    max_score = models.PositiveSmallIntegerField(gettext_lazy("满分"))
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("评分项")
        verbose_name_plural = gettext_lazy("评分项")
        ordering = ["project", "kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return _("%(name)s（%(max_score)s分）") % {"name": self.name, "max_score": self.max_score}
