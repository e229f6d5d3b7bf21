"""Every page of the security matrix, loaded in Chromium as a person allowed to see it: no serious or critical
axe-core violation, no Nu HTML checker error, and no sideways scrolling on a phone (390 px) or a desk (1366 px).

The browser's requests are answered by Django's test client inside the test's transaction (Playwright routes
them), so the pages show the world of world.py without committing it or starting a server.
"""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from alliance.tests.pagecheck import AXE_JS, axe_violations, sideways_overflow, vnu_errors

from .matrix import SITE, roles_for
from .world import admin_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
ORIGIN = "http://testserver"
WIDTHS = (390, 1366)
# Who looks at a page: the first of these the matrix allows (side X).
VIEWERS = ("anonymous", "applicant_a", "member", "director_x", "staff_x", "superuser")
# The navigation differs by role: the home page is also checked as each of these.
HOME_AS = ("member", "director_x", "staff_x")


def _pages(world):
    """(key, role, url) for every GET page of the matrix someone may see, as its first allowed viewer."""
    for key, rule in SITE.items():
        if rule.method != "GET" or 200 not in rule.ok:
            continue
        allowed = roles_for(rule.allowed, "x")
        role = next((r for r in VIEWERS if r in allowed), None)
        if role is None:
            continue
        url = reverse(key, kwargs=rule.target(world, "x") if rule.target else {})
        yield key, role, url
        if key == "home":
            for other in HOME_AS:
                yield f"home ({other})", other, url


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


class Browsing:
    """A Playwright page per role, showing pages the test client (logged in as that role) answered.

    The client answers in the test's own thread, inside its transaction; the browser's route handler runs
    elsewhere, so it only hands over the answer fetched for it, and the static files from the finders.
    """

    def __init__(self, browser, world):
        self.browser, self.world, self.pages, self.answers = browser, world, {}, {}

    def page_for(self, role):
        if role not in self.pages:
            client = Client()
            if role != "anonymous":
                client.force_login(self.world.users[role])
            context = self.browser.new_context(locale="zh-CN")
            context.add_init_script(path=str(AXE_JS))  # once for every page, not sent again for each
            context.route(f"{ORIGIN}/**", self._serve)
            self.pages[role] = (context.new_page(), client)
        return self.pages[role]

    def open(self, role, url):
        """Open `url` as `role`: (the Playwright page, the Django response) after redirects; no page when the
        answer is not an HTML page (a PDF, another file, a refusal)."""
        page, client = self.page_for(role)
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            return None, response
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        self.answers[ORIGIN + final] = response
        page.goto(ORIGIN + final)
        return page, response

    def _serve(self, route):
        url = route.request.url
        path = url.removeprefix(ORIGIN).split("?")[0]
        if url in self.answers:
            response = self.answers.pop(url)
            return route.fulfill(status=response.status_code, headers=dict(response.items()), body=_body(response))
        if path.startswith(settings.STATIC_URL):  # the development static files, as runserver serves them
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                return route.fulfill(path=found)
        return route.fulfill(status=404)

    def close(self):
        for page, _client in self.pages.values():
            page.context.close()


@pytest.fixture
def browsing(browser, world):
    browsing = Browsing(browser, world)
    yield browsing
    browsing.close()


# Django's own markup, which nothing on our side renders: the filter_horizontal widget's list of choices not yet
# chosen is a <select> that admin/js/SelectFilter2.js builds with a title and no label; the autocomplete's
# select2 shows an empty choice in a role="textbox" span named by nothing (the box around it is named).
DJANGO_ADMIN_OWN = [("select-name", r"^#id_\w+_from$"), ("label-title-only", r"^#id_\w+_from$"),
                    ("aria-input-field-name", r"^#select2-id_\w+-container$")]


def _findings(browsing, pages, ignored=()):
    """What the checks find on the pages ((key, role, url)), and how many were shown."""
    found, documents, checked = [], {}, 0
    for key, role, url in pages:
        browsing.page_for(role)[0].set_viewport_size({"width": WIDTHS[0], "height": 800})
        page, response = browsing.open(role, url)
        if page is None:
            continue
        checked += 1
        label = f"{key} as {role} ({url})"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if overflow := sideways_overflow(page):
                found.append(f"{label}: scrolls sideways by {overflow}px at {width}px")
        found += [f"{label}: {v}" for v in axe_violations(page, ignored)]
        documents[label] = _body(response).decode()
    for label, errors in vnu_errors(documents).items():
        found += [f"{label}: HTML: {error}" for error in errors]
    return found, checked


def test_every_page_passes_axe_and_the_html_checker_and_fits_a_phone(world, browsing):
    found, checked = _findings(browsing, _pages(world))
    assert checked >= 25, "the pages were not shown: the checks would be empty"
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)


def test_every_admin_page_passes_axe_and_the_html_checker_and_fits_a_phone(world, browsing):
    """Each registered model's changelist, add page and one change page, as the superuser."""
    pages = [(label, "superuser", url) for label, url in admin_pages(world)]
    found, checked = _findings(browsing, pages, ignored=DJANGO_ADMIN_OWN)
    assert checked >= 100, "the admin pages were not shown: the checks would be empty"
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)
