"""The yearly accounts as an Excel workbook."""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font

MONEY_FORMAT = "#,##0.00"


def accounts_workbook(accounts):
    book = Workbook()
    sheet = book.active
    sheet.title = _("%(year)s年度账目") % {"year": accounts.year}
    bold = Font(bold=True)
    rows = [(_("%(name)s %(year)s年度账目") % {"name": accounts.alliance.name, "year": accounts.year}, None), (None, None), (_("收入"), _("金额（元）"))]
    rows += accounts.income_by_source + [(_("收入合计"), accounts.income_total), (None, None), (_("支出"), _("金额（元）"))]
    rows += accounts.expenses_by_category + [(_("支出合计"), accounts.expense_total), (_("结余"), accounts.balance)]
    dues = accounts.dues
    rows += [(None, None), (_("会费（按账单年度）"), _("金额（元）")), (_("应收"), dues["invoiced"]), (_("减免"), dues["waived"]),
             (_("已收"), dues["collected"]), (_("未收"), dues["outstanding"]),
             (_("收缴率（%）"), dues["rate"] if dues["rate"] is not None else "—")]
    for row in rows:
        row = tuple(str(value) if isinstance(value, Promise) else value for value in row)  # the sources' labels
        sheet.append(row)
        cell = sheet.cell(row=sheet.max_row, column=2)
        if not isinstance(cell.value, str):
            cell.number_format = MONEY_FORMAT
        if row[1] == _("金额（元）") or row[0] in (_("收入合计"), _("支出合计")):
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()
