"""The layers hold: imports point down, and no civica modules import each other in a circle.

The graph is read from the source with ``ast``: every ``import`` of every module, including
the ones inside functions (a function-level import is still a dependency, it only hides a
circle until run time). Imports under ``if TYPE_CHECKING:`` are type hints, not dependencies,
and are left out.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import civica

PACKAGE = Path(civica.__file__).resolve().parent

# Domain apps may import the service and shared apps below them, never the other way round.
SHARED_APPS = ("accounts", "audit", "core", "organizations", "territory")
SERVICE_APPS = ("jobs",)  # background work any app submits, by kinds each app registers
DOMAIN_APPS = (
    "demo",
    "incidents",
    "interventions",
    "justice",
    "monitoring",
    "official",
    "participants",
)
# The one error type every layer raises (pure Python, imports nothing).
LEAVES = ("civica.errors",)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # the imported name as written (a module, or a module's attribute)
    line: int

    def __str__(self) -> str:
        path = module_paths()[self.source].relative_to(PACKAGE.parent)
        return f"{path}:{self.line} imports {self.target}"


@functools.cache
def module_paths() -> dict[str, Path]:
    """Every module of the package but tests and migrations, by dotted name."""
    paths = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        paths[".".join(parts)] = path
    return paths


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if _type_checking_only(node):
            continue
        pending.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Edge(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield Edge(name, f"{base}.{alias.name}", node.lineno)


@functools.cache
def edges() -> tuple[Edge, ...]:
    return tuple(edge for name, path in module_paths().items() for edge in _imports(name, path))


def civica_module(target: str) -> str | None:
    """The civica module an imported name lives in (``civica.a.b.func`` → ``civica.a.b``)."""
    known = module_paths()
    while target.startswith("civica.") and target not in known:
        target = target.rpartition(".")[0]
    return target if target in known and target != "civica" else None


def is_within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def imports_of(*packages: str):
    return [edge for edge in edges() if is_within(edge.source, *packages)]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_civica_modules_import_each_other_in_a_circle():
    graph: dict[str, set[str]] = {name: set() for name in module_paths()}
    for edge in edges():
        target = civica_module(edge.target)
        if target and target != edge.source:
            graph[edge.source].add(target)
    circles = _strongly_connected(graph)
    explained = [
        "\n".join(
            str(edge)
            for edge in edges()
            if edge.source in group and civica_module(edge.target) in group
        )
        for group in circles
    ]
    assert not circles, "modules importing each other in a circle:\n\n" + "\n\n".join(explained)


def test_the_reader_sees_imports_inside_functions_and_skips_type_hints(tmp_path):
    """The circle this test was written against was held together by imports inside
    functions; type-only imports are no dependency."""
    path = tmp_path / "__init__.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "if TYPE_CHECKING:\n"
        "    from civica.monitoring.periods import ReportingPeriod\n"
        "def later():\n"
        "    from civica.monitoring import report\n",
        encoding="utf-8",
    )
    found = {(edge.target, edge.line) for edge in _imports("civica.example", path)}
    assert found == {
        ("typing.TYPE_CHECKING", 1),
        ("civica.example.sibling", 2),
        ("civica.monitoring.report", 6),
    }


def test_statistics_import_nothing_of_django_or_of_the_apps():
    wrong = [
        edge
        for edge in imports_of("civica.stats")
        if is_within(edge.target, "django")
        or (civica_module(edge.target) and not is_within(edge.target, "civica.stats", *LEAVES))
    ]
    assert not wrong, "\n".join(map(str, wrong))


def test_readers_import_no_django_and_no_app():
    wrong = [
        edge
        for edge in imports_of("civica.sources")
        if is_within(edge.target, "django")
        or (
            civica_module(edge.target)
            and not is_within(edge.target, "civica.sources", "civica.stats", *LEAVES)
        )
    ]
    assert not wrong, "\n".join(map(str, wrong))


def test_the_warehouse_imports_no_app_and_no_thin_layer():
    allowed = ("civica.warehouse", "civica.sources", "civica.stats", "civica.checksums", *LEAVES)
    wrong = [
        edge
        for edge in imports_of("civica.warehouse")
        if civica_module(edge.target) and not is_within(edge.target, *allowed)
    ]
    assert not wrong, "\n".join(map(str, wrong))


def test_the_indicator_registry_imports_no_app():
    wrong = [e for e in imports_of("civica.indicators") if civica_module(e.target)]
    assert not wrong, "\n".join(map(str, wrong))


def test_shared_apps_import_no_domain_or_service_app():
    shared = [f"civica.{app}" for app in SHARED_APPS]
    above = [f"civica.{app}" for app in DOMAIN_APPS + SERVICE_APPS]
    wrong = [e for e in imports_of(*shared) if is_within(e.target, *above)]
    assert not wrong, "\n".join(map(str, wrong))


def test_service_apps_import_no_domain_app():
    service = [f"civica.{app}" for app in SERVICE_APPS]
    domain = [f"civica.{app}" for app in DOMAIN_APPS]
    wrong = [e for e in imports_of(*service) if is_within(e.target, *domain)]
    assert not wrong, "\n".join(map(str, wrong))


def test_apps_register_their_indicators_instead_of_monitoring_importing_them():
    """Monitoring reads other apps (downwards); no app imports monitoring to plug into it."""
    apps = [f"civica.{app}" for app in DOMAIN_APPS if app not in ("monitoring", "demo")]
    wrong = [e for e in imports_of(*apps) if is_within(e.target, "civica.monitoring")]
    assert not wrong, "\n".join(map(str, wrong))
    computations = imports_of("civica.monitoring.computations")
    assert not [e for e in computations if is_within(e.target, "civica.participants")]
    assert not [e for e in computations if is_within(e.target, "civica.official")]


def test_program_records_do_not_import_the_reports_built_on_them():
    """Reports live in ``monitoring/reports/``; every other module of monitoring but its pages,
    jobs and URLs is a program record (a module added later too), and none imports a report."""
    reports = "civica.monitoring.reports"
    assert f"{reports}.factsheet" in module_paths() and f"{reports}.report" in module_paths()
    entry_points = {
        f"civica.monitoring.{name}" for name in ("views", "people_views", "urls", "jobs")
    }
    records = {
        name
        for name in module_paths()
        if is_within(name, "civica.monitoring")
        and not is_within(name, reports)
        and name not in entry_points
    }
    wrong = [e for e in edges() if e.source in records and is_within(e.target, reports)]
    assert not wrong, "\n".join(map(str, wrong))


def test_evaluation_results_are_registered_by_interventions_not_monitoring():
    """``priority_crime_change`` is the interventions' figure: monitoring reads it by name."""
    assert not [
        e for e in imports_of("civica.monitoring") if is_within(e.target, "civica.interventions")
    ]


def test_only_the_entry_points_import_the_command_line_and_the_api():
    def wrong(edge):
        cli = is_within(edge.target, "civica.cli") and not is_within(edge.source, "civica.cli")
        api = is_within(edge.target, "civica.api") and not is_within(edge.source, "civica.api")
        return (cli and edge.source != "civica.__main__") or (api and edge.source != "civica.urls")

    found = [edge for edge in edges() if wrong(edge)]
    assert not found, "\n".join(map(str, found))
