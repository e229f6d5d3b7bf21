"""Demo dues for 靠谱 COP (000 arts. 19–20) and the six universities' contributions to 教师网联 (seed 003).

The seeds name no amounts: the figures here are illustrative and say so in their purpose.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from alliance.demo import demo_user
from alliance.demo_utils import upsert
from alliance.models import Alliance

from . import services
from .models import DuesSchedule, Income, IncomeSource, Invoice, Payment

DUES_YEAR = 2026
DUES = {"unit": Decimal("2000.00"), "individual": Decimal("200.00")}
UNIVERSITIES = ["北京师范大学", "华东师范大学", "东北师范大学", "华中师范大学", "陕西师范大学", "西南大学"]


def load(out):
    admin = demo_user("admin@demo.test")
    cop = Alliance.objects.get(slug="cop")
    for kind, amount in DUES.items():
        upsert(DuesSchedule, {"alliance": cop, "member_kind": kind, "year": DUES_YEAR},
               {"amount": amount, "due_date": datetime.date(DUES_YEAR, 12, 31)})
    services.invoices_issue(actor=admin, alliance=cop, year=DUES_YEAR)
    first = Invoice.objects.filter(alliance=cop, year=DUES_YEAR).order_by("pk").first()
    if first is not None and not Payment.objects.filter(invoice=first).exists():
        services.payment_record(actor=admin, invoice=first, amount=first.amount / 2,
                                paid_on=timezone.localdate(), method="bank_transfer",
                                reference="演示-转账-0001")

    jswl = Alliance.objects.get(slug="jswl")
    for university in UNIVERSITIES:
        upsert(Income, {"alliance": jswl, "payer": university, "received_on": datetime.date(2010, 9, 30)},
               {"source": IncomeSource.COST_CONTRIBUTION, "amount": Decimal("300000.00"),
                "purpose": "公共服务平台一期建设和运营经费（演示金额）", "recorded_by": admin})
    _load_hosted_activities()
    out.write(f"会费账单：{Invoice.objects.count()} 张，其他收入：{Income.objects.count()} 笔")


# 001 art. 23: NMG's founding units host its activities in turn; the first was held and settled, its host covering
# the shortfall (illustrative amounts); the next is proposed from the rotation.
NMG_ACTIVITIES = [("2026年联盟教师教育研讨会", datetime.date(2026, 5, 20), Decimal("30000.00"), Decimal("18000.00")),
                  ("2027年联盟教师教育研讨会", datetime.date(2027, 5, 20), Decimal("30000.00"), None)]


def _load_hosted_activities():
    from .models import HostedActivity

    nmg = Alliance.objects.get(slug="nmg")
    staff = demo_user("nmg-staff@demo.test")
    for title, held_on, budget, contributed in NMG_ACTIVITIES:
        if HostedActivity.objects.filter(alliance=nmg, title=title).exists():
            continue
        activity = services.hosted_activity_create(actor=staff, alliance=nmg, title=title, held_on=held_on,
                                                   budget=budget)
        if contributed is not None:
            services.hosted_activity_settle(actor=staff, activity=activity, contributed=contributed)
