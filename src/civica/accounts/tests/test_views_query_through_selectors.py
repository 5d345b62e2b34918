"""Views and API modules read records only through selectors (which apply the scope): a
``Model.objects`` (or ``_default_manager``, ``.raw``) in a view or API module fails here.

``ALLOWED`` counted the direct queries left in modules written before this rule, by file
(16 in seven modules); all were moved into the apps' ``selectors.py``. Keep it empty.
"""

from __future__ import annotations

import ast
from pathlib import Path

import civica

ROOT = Path(civica.__file__).parent

ALLOWED: dict[str, int] = {}


def _thin_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        name = path.name
        if (
            name == "views.py"
            or name.endswith("_views.py")
            or name == "api.py"
            or relative.startswith("api/")
        ):
            yield relative, path


def direct_queries(source: str) -> list[int]:
    """Lines of ``X.objects``, ``X._default_manager`` and ``X.objects.raw`` in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            lines.append(node.lineno)
    return lines


def test_the_rule_sees_a_direct_query():
    assert direct_queries("def v(request):\n    return Person.objects.all()\n") == [2]
    assert direct_queries("def v(request):\n    return selectors.persons(request.user)\n") == []


def test_views_and_api_modules_query_through_selectors():
    problems = []
    for relative, path in _thin_modules():
        lines = direct_queries(path.read_text(encoding="utf-8"))
        allowed = ALLOWED.get(relative, 0)
        if len(lines) > allowed:
            problems.append(
                f"{relative}: lines {lines} query models directly; read through the app's "
                "selectors (scoped by user)"
            )
        elif len(lines) < allowed:
            problems.append(f"{relative}: {len(lines)} direct queries left, lower ALLOWED")
    assert not problems, "\n".join(problems)
