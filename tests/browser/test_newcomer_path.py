"""The README's path as each demo account, on a phone and on a desktop: every section the
dashboard offers opens with content, nothing scrolls sideways, no code, command or English
text shows on a Spanish page, and the person page's buttons do not overlap; one click deeper
(the first link of each kind in every section) speaks Spanish too."""

import re

import pytest

from civica.demo.content import ACCOUNTS as DEMO_ACCOUNTS
from tests.browser.conftest import keep_screenshot

from .english import english_in

pytestmark = pytest.mark.browser

# Every account the demo makes (one per role), taken from the demo itself so a new role's
# account is walked without anyone remembering to add it here.
ACCOUNTS = [account.username for account in DEMO_ACCOUNTS]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Internal codes and commands that must never reach a Spanish page's text.
LEAKS = re.compile(
    r"\b(civic_justice|problem_solving|youth_program|case_worker|donor_viewer|me_officer|"
    r"municipal_analyst|participants\.\w+|monitoring\.\w+|civica (?:ingest|territory|monitoring|"
    r"interventions|users|demo|init|participants|analyze|stats))\b"
)
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Every text of the page a reader meets (hidden options and tooltips too), but not what is
# deliberately in another language (``lang="en"``, such as the summary's English headline).
PAGE_TEXT = """() => {
  const parts = [];
  const skip = (el) =>
    el.closest('script, style, template, noscript, [lang]:not([lang^="es"])');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && !skip(node.parentElement)) parts.push(node.textContent);
  }
  const labelled = '[title], [placeholder], [aria-label], [alt], input[type=submit]';
  for (const el of document.body.querySelectorAll(labelled)) {
    if (skip(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'alt', 'value']) {
      if (name === 'value' && el.type !== 'submit') continue;
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join(' ');
}"""
# Pages only: no file (any path ending in an extension), API, admin, language switch or log-out.
DEEPER_SKIP = re.compile(r"logout|/api/|/admin/|\.\w+(\?|$)|download|export|/i18n/|#")


def _login(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(url + "/")


def _problems_of(page, where):
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow > 1:
        problems.append(f"{where}: {overflow}px wider than the screen")
    text = page.locator("main").inner_text()
    for leak in sorted(set(m.group(0) for m in LEAKS.finditer(text))):
        problems.append(f"{where}: shows “{leak}”")
    if not text.strip():
        problems.append(f"{where}: empty")
    problems += [f"{where}: English {hit}" for hit in english_in(page.evaluate(PAGE_TEXT))]
    return problems


def _overlapping_buttons(page):
    boxes = [b for b in (e.bounding_box() for e in page.locator("main .button").all()) if b]
    overlaps = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] < b["x"] + b["width"] - 1
                and b["x"] < a["x"] + a["width"] - 1
                and a["y"] < b["y"] + b["height"] - 1
                and b["y"] < a["y"] + a["height"] - 1
            ):
                overlaps.append((a, b))
    return overlaps


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_section_of_the_dashboard_opens_usable(browser, live_site, username, viewport):
    assert username in live_site["passwords"], "the demo makes one account per role"
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="es-MX")
    page = context.new_page()
    url = live_site["url"]
    _login(page, url, username, live_site["passwords"][username])
    problems = _problems_of(page, "dashboard")
    sections = [a.get_attribute("href") for a in page.locator("main ul.areas a").all()]
    sections = [h for h in sections if not h.startswith(("/api/", "/admin/"))]
    assert sections, "the dashboard lists the sections of the role"
    nav = {a.get_attribute("href") for a in page.locator("header nav a").all()}
    missing = sorted(h for h in nav if h not in sections and not h.startswith(("/api/", "/admin/")))
    missing = [h for h in missing if h != "/"]
    assert not missing, f"in the navigation but not on the dashboard: {missing}"
    for href in sections:
        response = page.goto(url + href)
        if response.status >= 400:
            problems.append(f"{href}: HTTP {response.status}")
            continue
        problems += _problems_of(page, href)
        keep_screenshot(page, f"{username}-{viewport}-{href}")
        # A page-level empty state (a section's own note, such as an indicator not yet
        # computable, is content).
        empty = page.locator("main > p.empty, main > .narrow > p.empty")
        if empty.count():
            problems.append(f"{href}: {empty.first.inner_text()}")
    if username == "trabajadora":
        page.goto(url + "/participants/")
        first = page.locator("main td a.code").first
        assert first.count(), "the demo case worker has cases"
        # Navigate and wait, so the checks below never run on the page being left.
        page.goto(url + first.get_attribute("href"))
        problems += _problems_of(page, "person page")
        overlaps = _overlapping_buttons(page)
        if overlaps:
            problems.append(f"person page: {len(overlaps)} overlapping buttons")
    context.close()
    assert not problems, "\n".join(problems)


def _one_click_deeper(page, url, sections, limit=6):
    """The first link of each kind (same path with other numbers or codes) in every section."""
    seen = set(sections) | {"/"}
    found = []
    for href in sections:
        page.goto(url + href)
        kinds = {}
        for link in page.locator("main a[href^='/']").all():
            target = link.get_attribute("href")
            if DEEPER_SKIP.search(target) or target in seen:
                continue
            kind = re.sub(r"\d+", "N", target.split("?")[0])
            if kind not in kinds and len(kinds) < limit:
                kinds[kind] = target
        for target in kinds.values():
            seen.add(target)
            found.append(target)
    return found


@pytest.mark.parametrize("username", ACCOUNTS)
def test_pages_one_click_deeper_speak_spanish(browser, live_site, username):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="es-MX")
    page = context.new_page()
    url = live_site["url"]
    _login(page, url, username, live_site["passwords"][username])
    sections = [a.get_attribute("href") for a in page.locator("main ul.areas a").all()]
    sections = [h for h in sections if not h.startswith(("/api/", "/admin/"))]
    problems = []
    for href in _one_click_deeper(page, url, sections):
        response = page.goto(url + href)
        if response.status >= 400:
            problems.append(f"{href}: HTTP {response.status}")
            continue
        text = page.evaluate(PAGE_TEXT)
        problems += [f"{href}: shows “{m.group(0)}”" for m in LEAKS.finditer(text)]
        problems += [f"{href}: English {hit}" for hit in english_in(text)]
    context.close()
    assert not problems, "\n".join(problems)
