"""Work briefings (工作简报), numbered per year and issued by named bodies (seed 003)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.documents import JOB_FIELDS, DocumentJob, status_field
from alliance.models import Alliance

from .bodies import Body


class Briefing(DocumentJob):
    """A briefing; once published a worker prints it (alliance/documents.py): ``pdf_status`` is that job's."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("草稿")
        PUBLISHED = "published", gettext_lazy("已发布")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="briefings", verbose_name=gettext_lazy("联盟"))
    title = models.CharField(gettext_lazy("刊名"), max_length=100, default="工作简报")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"), editable=False)
    number = models.PositiveSmallIntegerField(gettext_lazy("期号"), editable=False)
    issued_on = models.DateField(gettext_lazy("印发日期"))
    issuers = models.ManyToManyField(Body, related_name="briefings", verbose_name=gettext_lazy("编发机构"))
    reported_to = models.CharField(gettext_lazy("报"), max_length=300, blank=True)
    distributed_to = models.CharField(gettext_lazy("发"), max_length=300, blank=True)
    to_members = models.BooleanField(
        gettext_lazy("发至成员单位"), default=False,
        help_text=gettext_lazy("“发”送成员单位时勾选：发布后以电子邮件通知各成员单位联络员，成员可在成员页面阅读。"),
    )
    contact = models.TextField(gettext_lazy("联系单位"), blank=True, help_text=gettext_lazy("每行一个联系单位及电话。"))
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(gettext_lazy("发布时间"), null=True, blank=True)
    pdf = models.FileField("PDF", upload_to="governance/briefings/", blank=True)
    pdf_status = status_field(gettext_lazy("PDF 状态"))

    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

    class Meta:
        verbose_name = gettext_lazy("工作简报")
        verbose_name_plural = gettext_lazy("工作简报")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year", "number"], name="briefing_number_unique_per_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="briefing_number_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="briefing_published_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.alliance.display_short_name}{self.title} {self.issue_label}"

    @property
    def issue_label(self):
        return _("%(year)s年第%(number)s期") % {"year": self.year, "number": self.number}

    @property
    def contact_lines(self):
        return [line.strip() for line in self.contact.splitlines() if line.strip()]

    def get_absolute_url(self):
        return reverse("governance:briefing_pdf", kwargs={"pk": self.pk})


class BriefingArticle(models.Model):
    """A heading with its paragraphs; plain text only (paragraphs split on blank lines), never HTML."""

    class Level(models.IntegerChoices):
        ARTICLE = 1, gettext_lazy("文章标题")
        SECTION = 2, gettext_lazy("小标题")

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="articles", verbose_name=gettext_lazy("简报"))
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    level = models.PositiveSmallIntegerField(gettext_lazy("层级"), choices=Level.choices, default=Level.ARTICLE)
    heading = models.CharField(gettext_lazy("标题"), max_length=200, blank=True)
    text = models.TextField(gettext_lazy("正文"), blank=True, help_text=gettext_lazy("纯文本，段落之间空一行。"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("简报文章")
        verbose_name_plural = gettext_lazy("简报文章")
        ordering = ["briefing", "order", "pk"]

    def __str__(self):
        return self.heading or _("第%(order)s段") % {"order": self.order}

    @property
    def paragraphs(self):
        blocks = [block.strip() for block in self.text.replace("\r\n", "\n").split("\n\n")]
        return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]

    def clean(self):
        if not self.heading and not self.text:
            raise ValidationError(_("标题和正文至少填写一项。"))
