"""The yearly accounts as an Excel workbook."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

MONEY_FORMAT = "#,##0.00"


def accounts_workbook(accounts):
    book = Workbook()
    sheet = book.active
    sheet.title = f"{accounts.year}年度账目"
    bold = Font(bold=True)
    rows = [(f"{accounts.alliance.name} {accounts.year}年度账目", None), (None, None), ("收入", "金额（元）")]
    rows += accounts.income_by_source + [("收入合计", accounts.income_total), (None, None), ("支出", "金额（元）")]
    rows += accounts.expenses_by_category + [("支出合计", accounts.expense_total), ("结余", accounts.balance)]
    dues = accounts.dues
    rows += [(None, None), ("会费（按账单年度）", "金额（元）"), ("应收", dues["invoiced"]), ("减免", dues["waived"]),
             ("已收", dues["collected"]), ("未收", dues["outstanding"]),
             ("收缴率（%）", dues["rate"] if dues["rate"] is not None else "—")]
    for row in rows:
        sheet.append(row)
        cell = sheet.cell(row=sheet.max_row, column=2)
        if not isinstance(cell.value, str):
            cell.number_format = MONEY_FORMAT
        if row[1] == "金额（元）" or (row[0] or "").endswith("合计"):
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()
