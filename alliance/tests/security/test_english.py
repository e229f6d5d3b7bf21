"""Every page of the security matrix and every admin page, in English: no Han character outside what people typed.

The pages are asked for with the language cookie set to English, as the switch in the header sets it. What may
stay Chinese is data: what is stored in the database (names, the charters' texts, numbers, file names), the
administrative divisions' names and the language switch's own "简体中文". Everything else (labels, choices,
statuses, messages, dates, headings) comes from the English catalogue, so a Chinese literal added to a template,
a form, a model or a service message makes this test fail.
"""

import json
import re
from functools import cache
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import resolve, reverse

from .matrix import SITE, roles_for
from .world import admin_pages

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
VIEWERS = ("anonymous", "applicant_a", "member", "director_x", "staff_x", "superuser")
AREAS = ("alliance", "members", "governance", "finance", "projects", "admin")
# Shown in their own language whatever the page's language: the language switch.
OWN_NAMES = ("简体中文",)
VISIBLE_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label", "label")


class _Text(HTMLParser):
    """The text a person sees or hears: text nodes (not scripts or styles) and the attributes read out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        attrs = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return parser.parts


def _data_strings():
    """Every text stored in the database now (the world's names, the charters' texts, numbers, file names)."""
    found = set(OWN_NAMES)
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.FileField, models.JSONField))]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False)
                if value and HAN.search(str(value)):
                    text = str(value)
                    found.add(text)
                    found.update(line.strip() for line in text.splitlines() if line.strip())
                    found.update(HAN.findall(text))  # the Han runs of a text, as a page may quote part of it
    found.update(_division_names())
    return sorted(found, key=len, reverse=True)


@cache
def _division_names():
    from members import divisions

    names = set()
    for province in divisions.provinces():
        names.add(province)
        for city in divisions.cities(province):
            names.add(city)
            names.update(divisions.counties(province, city))
    return frozenset(names)


def _area(url):
    if url.startswith("/" + reverse("admin:index").strip("/")):
        return "admin"
    return resolve(url.split("?")[0]).func.__module__.split(".")[0]


def _pages(world):
    """(label, role, url) of every HTML page a person may see: the matrix's GET pages as their first allowed
    viewer, then each registered model's admin changelist, add and change page as the superuser."""
    for key, rule in SITE.items():
        if rule.method != "GET" or 200 not in rule.ok:
            continue
        allowed = roles_for(rule.allowed, "x")
        role = next((r for r in VIEWERS if r in allowed), None)
        if role is not None:
            yield key, role, reverse(key, kwargs=rule.target(world, "x") if rule.target else {})
    for label, url in admin_pages(world):
        yield label, "superuser", url


def chinese_left(html, data):
    """The Han runs of a page's visible text once the stored data is taken out."""
    left = []
    for part in visible_text(html):
        if not HAN.search(part):
            continue
        for text in data:
            if text in part:
                part = part.replace(text, " ")
                if not HAN.search(part):
                    break
        left += HAN.findall(part)
    return left


@pytest.fixture(scope="module")
def english(world):
    clients = {}

    def get(role, url):
        if role not in clients:
            clients[role] = Client(headers={"accept-language": "en"})
            clients[role].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            if role != "anonymous":
                clients[role].force_login(world.users[role])
        return clients[role].get(url, follow=True)

    return get


def test_the_check_finds_a_chinese_literal_and_lets_stored_names_through():
    html = '<p>Member 张三</p><button title="提交">Send</button><script>var a="中文";</script><p>2026年</p>'
    assert chinese_left(html, ["张三"]) == ["提交", "年"]


@pytest.mark.parametrize("area", AREAS)
def test_every_page_in_english_shows_no_chinese_but_the_data(world, english, area):
    data, found, checked = _data_strings(), [], 0
    for label, role, url in _pages(world):
        if _area(url) != area:
            continue
        response = english(role, url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        assert '<html lang="en"' in html, f"{label}: not served in English"
        checked += 1
        if left := chinese_left(html, data):
            found.append(f"{label} as {role} ({url}): {' '.join(dict.fromkeys(left))}")
    assert checked, f"no {area} page was shown"
    assert not found, f"{len(found)} pages with Chinese in English:\n" + "\n".join(found)
