from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = gettext_lazy("财务")

    def ready(self):
        from alliance import workbench

        from . import selectors
        from .models import Invoice, Receipt

        # The secretariat's workbench: the dues past their due date (000 art. 20) and this year's dues.
        workbench.count_register(gettext_lazy("逾期会费"), Invoice, order=50, filters=lambda today: {
            "status__in": [Invoice.Status.OPEN, Invoice.Status.PARTLY_PAID], "due_date__lt": today})
        workbench.document_count_register(Receipt, status_field="status", order=62)
        workbench.chart_register(gettext_lazy("本年度会费（元）"), series=[gettext_lazy("金额")], rows=selectors.dues_this_year, order=50)
