"""The page checks themselves (alliance/tests/pagecheck.py) find what they are there to find."""

import pytest

from alliance.tests.pagecheck import axe_violations, sideways_overflow, vnu_errors

pytestmark = pytest.mark.browser

GOOD = """<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>好</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>申请</h1><label for="n">姓名</label> <input id="n" name="n"></main></body></html>"""
# An input without a label (critical for axe), a paragraph around a div (an HTML error), a table wider than a phone.
BROKEN = """<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>坏</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>申请</h1><input name="n"><p><div>说明</div></p>
<table><tr><td style="white-space: nowrap">北京市海淀区学院路北京师范大学继续教育与教师培训学院教师发展中心</td></tr></table>
</main></body></html>"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    yield context.new_page()
    context.close()


def test_axe_reports_an_input_without_a_label_and_passes_a_labelled_one(phone):
    phone.set_content(BROKEN)
    assert any("label" in v and v.startswith("critical") for v in axe_violations(phone))
    phone.set_content(GOOD)
    assert axe_violations(phone) == []


def test_the_width_check_reports_a_page_that_scrolls_sideways_on_a_phone(phone):
    phone.set_content(BROKEN)
    assert sideways_overflow(phone) > 0
    phone.set_content(GOOD)
    assert sideways_overflow(phone) <= 0


def test_the_html_checker_reports_errors_by_page_in_one_run():
    errors = vnu_errors({"broken": BROKEN, "good": GOOD})
    assert list(errors) == ["broken"]
    assert any("“p”" in e for e in errors["broken"])
