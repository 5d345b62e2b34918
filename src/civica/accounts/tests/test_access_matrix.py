"""Every URL pattern × every role (and an anonymous visitor) × GET, GET with ``?download=``
and POST, against records of another scope: the answer must be the documented one
(docs/access.md, "What a request gets"). And every page a role opens speaks Spanish, the
default language: no English word of the interface on it.

The list of URLs comes from the URL configuration and the expected answer from each view's
own declaration (``@requires`` / ``CapabilityMixin``), so a view added later is covered
without touching this file; a view without a declaration, or with a URL argument this file
cannot fill, fails the test with what to add.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civica.accounts.access import PUBLIC, Access, access_of, allows, may_download
from civica.accounts.roles import Role
from civica.accounts.tests.access_world import MARKER, make_other_scope, make_personas

#: Views of Django itself that are not declared with ``@requires``, and their access.
EXTERNAL = {"set_language": Access(read=(PUBLIC,), write=(PUBLIC,))}

#: URL arguments: the value naming something of the other scope, and whether that thing is
#: a scoped record (404 for every role but the administrator) or reference data / a filter
#: (answered, with the other scope's rows left out).
SCOPED, OPEN = True, False


def _arguments(world) -> dict:
    return {
        "code": ("02", OPEN),
        "cvegeo": ("02004", OPEN),
        "fmt": ("csv", OPEN),
        "format": ("json", OPEN),
        "layer": ("capa", OPEN),
        "pid": (world.person.pid, SCOPED),
        "goal_id": (world.goal.pk, SCOPED),
        "enrollment_id": (world.enrollment.pk, SCOPED),
        "instrument_id": (world.instrument.pk, OPEN),
        "job_id": (world.job.pk, SCOPED),
        "territory:sector:pk": (world.sector.pk, SCOPED),
        "api:sector-detail:pk": (world.sector.pk, SCOPED),
        "interventions:detail:pk": (world.intervention.pk, SCOPED),
        "interventions:edit:pk": (world.intervention.pk, SCOPED),
        "interventions:design-create:pk": (world.intervention.pk, SCOPED),
        "interventions:design:pk": (world.design.pk, SCOPED),
        "interventions:design-csv:pk": (world.design.pk, SCOPED),
        "api:evaluation-result:pk": (world.design.pk, SCOPED),
        "justice:case:pk": (world.justice_case.pk, SCOPED),
        "justice:stage:pk": (world.justice_case.pk, SCOPED),
        "stage": ("medical", OPEN),
        "justice:diversion:pk": (world.justice_case.pk, SCOPED),
        "juzgado_id": (world.juzgado.pk, SCOPED),
        "justice:mediation-add:pk": (world.justice_case.pk, SCOPED),
        "justice:mediation-check:pk": (world.justice_case.pk, SCOPED),
        "mediation_id": (world.mediation.pk, SCOPED),
        "justice:follow-up-add:pk": (world.justice_case.pk, SCOPED),
        "catalogue_id": (world.catalogue.pk, OPEN),
        "api:justice-case-detail:pk": (world.justice_case.pk, SCOPED),
        "api:justice-case-stage:pk": (world.justice_case.pk, SCOPED),
        "api:justice-offence-detail:pk": (world.offence.pk, OPEN),
        "problems:detail:pk": (world.problem.pk, SCOPED),
        "problems:analysis-edit:pk": (world.problem.pk, SCOPED),
        "problems:attach:pk": (world.problem.pk, SCOPED),
        "problems:response-create:pk": (world.problem.pk, SCOPED),
        "problems:advance:pk": (world.problem.pk, SCOPED),
        "problems:priority-owner:pk": (world.problem.pk, SCOPED),
        "problems:analysis:pk": (world.problem_analysis.pk, SCOPED),
        "problems:milestone-create:pk": (world.problem_response.pk, SCOPED),
        "problems:milestone-done:pk": (world.milestone.pk, SCOPED),
        "api:problem-detail:pk": (world.problem.pk, SCOPED),
        "police:records:cvegeo": ("02004", SCOPED),
        "police:scenarios:cvegeo": ("02004", SCOPED),
        "police:scenarios-compare:cvegeo": ("02004", SCOPED),
        "police:scenario:pk": (world.scenario.pk, SCOPED),
        "police:scenario-edit:pk": (world.scenario.pk, SCOPED),
        "police:calls:cvegeo": ("02004", SCOPED),
        "police:calls-import:cvegeo": ("02004", SCOPED),
        "police:calls-map:cvegeo": ("02004", SCOPED),
        "police:calls-sectors:cvegeo": ("02004", SCOPED),
        "lottery_id": (world.lottery.pk, SCOPED),
        "api:lottery-evaluation:pk": (world.lottery.pk, SCOPED),
        "cohort_id": (world.cohort.pk, SCOPED),
        "task_id": (world.task.pk, SCOPED),
        "api:reinsertion-facility-detail:pk": (world.task.plan.custody.facility_id, SCOPED),
        "api:reinsertion-stay-detail:pk": (world.task.plan.custody_id, SCOPED),
        "api:reinsertion-cohort-detail:pk": (world.cohort.pk, SCOPED),
        "api:reinsertion-lottery-detail:pk": (world.lottery.pk, SCOPED),
    }


def _patterns(patterns=None, namespace=""):
    """Each URL pattern (Django's admin aside) with the name that reverses it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            joined = f"{namespace}:{inner}".strip(":") if inner else namespace
            if joined == "admin":
                continue  # Django admin: tested by test_admin_is_for_administrators_only
            yield from _patterns(pattern.url_patterns, joined)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else str(pattern.name)), pattern


def _keys(pattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {})) or list(
        pattern.pattern.regex.groupindex
    )


def _is_api(pattern) -> bool:
    return hasattr(pattern.callback, "cls")


def _api_methods(callback) -> set[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return {method.upper() for method in actions}
    return {m.upper() for m in callback.cls.http_method_names if hasattr(callback.cls, m)}


def _url(where: str, pattern, arguments: dict) -> tuple[str, bool]:
    """A pattern's URL filled with the world's values, and whether one of them names a
    scoped record; ``KeyError`` names the first argument ``_arguments`` lacks."""
    kwargs, scoped = {}, False
    for key in _keys(pattern):
        value = arguments.get(f"{where}:{key}") or arguments.get(key)
        if value is None:
            raise KeyError(key)
        kwargs[key], scoped = value[0], scoped or value[1]
    return reverse(where, kwargs=kwargs), scoped


def expected(access: Access, *, pattern, user, method: str, query: dict, scoped: bool):
    """The documented answer: a status code, "login", or "answered" (a page, a redirect, a
    form or query error, or 404 when the data cannot answer) for a request let through."""
    if _is_api(pattern):
        if not pattern.callback.cls.permission_classes:  # the token endpoint
            return "answered" if method in _api_methods(pattern.callback) else 405
        # DRF checks permissions before the method: 401, 403, then 405 and the handler.
        needs = access.read if method == "GET" else (access.write or access.read)
        if user is None:
            return 401
        if not allows(user, needs):
            return 403
        if method not in _api_methods(pattern.callback):
            return 405
    else:
        needs = access.needs(method, query)
        if user is None and not access.is_public:
            return "login"
        if needs is None:
            return 405
        if not allows(user, needs):
            return access.denied_status
    if scoped and user is not None and user.role != Role.ADMINISTRATOR:
        return 404
    return "answered"


def _matches(want, response) -> bool:
    if want == "login":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    if want == "answered":
        return response.status_code in (200, 201, 302, 400, 404, 409)
    return response.status_code == want


@pytest.fixture
def world(territory, settings, tmp_path):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    return make_other_scope(territory, tmp_path)


def test_every_url_answers_every_role_as_documented(client, territory, world):
    users = make_personas(territory, world.org_a)
    arguments = _arguments(world)
    client.raise_request_exception = False
    problems, checked = [], 0
    for where, pattern in _patterns():
        access = access_of(pattern.callback) or EXTERNAL.get(pattern.name)
        if access is None:
            problems.append(f"{where}: no access declared (@requires / CapabilityMixin)")
            continue
        try:
            url, scoped = _url(where, pattern, arguments)
        except KeyError as missing:
            problems.append(f"{where}: add the URL argument {missing.args[0]!r} to _arguments()")
            continue
        for role, user in [("anonymous", None), *users.items()]:
            for method, query in [("GET", {}), ("GET", {"download": "csv"}), ("POST", {})]:
                client.logout()
                if user is not None:
                    client.force_login(user)
                send = client.get if method == "GET" else client.post
                response = send(url, query)
                checked += 1
                want = expected(
                    access,
                    pattern=pattern,
                    user=user,
                    method=method,
                    query=query,
                    scoped=scoped,
                )
                label = f"{method} {url}?{'&'.join(query)} as {role}"
                if not _matches(want, response):
                    problems.append(f"{label}: {response.status_code}, documented {want}")
                if user is None or user.role == Role.ADMINISTRATOR:
                    continue
                attachment = "attachment" in response.get("Content-Disposition", "")
                if attachment and not may_download(user, access.needs(method, query)):
                    problems.append(f"{label}: a file to a role that may not export")
                # A streamed file is read too: a file of the user's scope must not
                # carry a record of the other scope either.
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                if MARKER.encode() in body:
                    problems.append(f"{label}: shows a record of another scope")
                # Nor the person of a court referral the user's organization declined.
                if world.declined.pid.encode() in body:
                    problems.append(f"{label}: shows the person of a declined referral")
    assert checked > 1000
    assert not problems, "\n".join(problems)


def test_a_declined_court_referrals_person_is_out_of_the_organizations_reach(
    client, territory, world
):
    """Every page and API path under a pid, with the person a civic court referred to the
    personas' own organization and it declined: answered as a record of another scope (404
    but to the administrator), never showing the person."""
    users = make_personas(territory, world.org_a)
    client.raise_request_exception = False
    problems, checked = [], 0
    for where, pattern in _patterns():
        if "pid" not in _keys(pattern):
            continue
        access = access_of(pattern.callback)
        arguments = _arguments(world) | {"pid": (world.declined.pid, SCOPED)}
        url, _scoped = _url(where, pattern, arguments)
        for role, user in users.items():
            client.force_login(user)
            for method in ("GET", "POST"):
                response = (client.get if method == "GET" else client.post)(url)
                checked += 1
                want = expected(
                    access, pattern=pattern, user=user, method=method, query={}, scoped=True
                )
                if not _matches(want, response):
                    problems.append(f"{method} {url} as {role}: {response.status_code}, {want}")
                if role != Role.ADMINISTRATOR and MARKER.encode() in response.content:
                    problems.append(f"{method} {url} as {role}: shows the declined person")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_admin_is_for_administrators_only(client, territory, world):
    users = make_personas(territory, world.org_a)
    client.raise_request_exception = False
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls += [reverse("admin:{}_{}_changelist".format(*info))]
        urls += [reverse("admin:{}_{}_add".format(*info))]
    urls.append(reverse("admin:participants_person_change", args=[world.person.pk]))
    problems = []
    for role, user in users.items():
        client.force_login(user)
        for url in urls:
            for response in (client.get(url), client.post(url, {})):
                if role == Role.ADMINISTRATOR:
                    if response.status_code >= 500:
                        problems.append(f"{url} as administrator: {response.status_code}")
                elif not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                    problems.append(f"{url} as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)


class _VisibleText(HTMLParser):
    """What a person reads on a page: its text and the words of its controls, without
    scripts, styles and code."""

    HIDDEN = {"script", "style", "code", "pre"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [
            attributes[a]
            for a in ("title", "placeholder", "aria-label", "alt")
            if attributes.get(a)
        ]
        if (
            tag == "input"
            and attributes.get("type") in ("submit", "button")
            and attributes.get("value")
        ):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


ENGLISH = re.compile(
    r"\b(the|and|with|from|your|this|Save|Cancel|Edit|Delete|Search|Download|Previous|Next|"
    r"results|Loading|Submit|Required|Back|Add|Show|Hide|None|Yes|Not found|Page|of)\b"
)


def test_every_page_a_role_opens_speaks_spanish(client, territory, world):
    """Each page (not the API, not Django's admin) that answers a role with HTML, in the
    default language: none of the English words an untranslated template or message would
    show (a literal ``None`` included). It reads 464 page × role pairs; tried in English
    when it was written, it named nearly every one."""
    users = make_personas(territory, world.org_a)
    arguments = _arguments(world)
    client.raise_request_exception = False
    problems, checked = [], 0
    for where, pattern in _patterns():
        if _is_api(pattern):
            continue
        try:
            url, _scoped = _url(where, pattern, arguments)
        except KeyError:
            continue  # the access matrix above names what is missing
        for role, user in users.items():
            client.force_login(user)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            page = _VisibleText()
            page.feed(response.content.decode())
            text = " | ".join(page.parts)
            for found in ENGLISH.finditer(text):
                problems.append(
                    f"{url} as {role}: …{text[max(0, found.start() - 50) : found.end() + 50]}…"
                )
                break
    assert checked > 100
    assert not problems, "\n".join(problems)
