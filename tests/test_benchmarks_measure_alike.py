"""Every benchmark measures the same way, through ``benchmarks/_measure.py``.

Issue 19: figures compared side by side must come from the same kind of measurement (wall
and CPU time, peak memory, the machine's load on the first line). This reads the scripts as
text and checks that each one prints ``_measure.machine(...)`` first and times nothing with
its own clock. It runs none of them (speed is for ``benchmarks/``, not for tests).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))

# Scripts still to move onto _measure, each with who has it.
NOT_YET: dict[str, str] = {}
# Scripts that read a clock themselves for a reason _measure does not cover.
OWN_CLOCK = {
    "bench_serving.py": "latency of each HTTP request of many simulated users",
    "bench_synthetic_control.py": "warm calls repeated inside its child process",
}


def _calls(tree: ast.AST) -> set[str]:
    """``module.function`` for every attribute call in the script."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name):
                found.add(f"{owner.id}.{node.func.attr}")
    return found


def test_there_are_scripts_to_check():
    assert len(SCRIPTS) > 10
    assert not (set(NOT_YET) | set(OWN_CLOCK)) - {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_benchmark_says_on_what_machine_and_times_through_measure(script):
    if script.name in NOT_YET:
        pytest.skip(NOT_YET[script.name])
    calls = _calls(ast.parse(script.read_text(encoding="utf-8")))
    assert "_measure.machine" in calls, f"{script.name} does not print _measure.machine()"
    own = calls & {"time.perf_counter", "time.process_time", "time.time", "resource.getrusage"}
    if script.name not in OWN_CLOCK:
        assert not own, f"{script.name} reads a clock itself: {sorted(own)}; use _measure"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_benchmark_finds_the_shared_data_one_way(script):
    text = script.read_text(encoding="utf-8")
    assert "/work/shared" not in text, f"{script.name}: use _measure.shared_data()"
    assert "CIVICA_SHARED_DATA" not in text or script.name == "_measure.py"
