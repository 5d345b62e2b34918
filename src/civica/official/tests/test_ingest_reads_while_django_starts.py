"""`civica ingest sesnsp` starts Arrow's read of its first file before Django starts (issue
19), hands it to the reading, and stops it however the command ends."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from civica.cli import runtime
from civica.cli.main import cli
from civica.official import services
from civica.sources import sesnsp

MUNICIPAL = ("sesnsp_municipal", "guanajuato_homicidios_2020-2025_formato_IDM.csv")


@pytest.fixture
def empty_warehouse(db, settings, tmp_path):
    settings.CIVICA_HOME = tmp_path
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")


@pytest.fixture
def calls(monkeypatch):
    """What the command did, in order: prefetches started and stopped, Django's start, and
    the prefetch each ingest was given."""
    seen = []
    prefetch, setup, ingest = sesnsp.prefetch, runtime.setup_django, services.ingest_sesnsp

    def spied_prefetch(path):
        started = prefetch(path)
        stop = started.stop

        def spied_stop():
            seen.append("stopped")
            stop()

        started.stop = spied_stop
        seen.append(("prefetch", started))
        return started

    def spied_setup(*args, **kwargs):
        seen.append("django")
        return setup(*args, **kwargs)

    def spied_ingest(**kwargs):
        seen.append(("ingest", kwargs["path"].name, kwargs["prefetch"]))
        return ingest(**kwargs)

    monkeypatch.setattr(sesnsp, "prefetch", spied_prefetch)
    monkeypatch.setattr(runtime, "setup_django", spied_setup)
    monkeypatch.setattr(services, "ingest_sesnsp", spied_ingest)
    return seen


def test_the_first_file_is_read_before_django_starts_and_handed_to_the_reading(
    empty_warehouse, shared_data, calls
):
    first = shared_data.joinpath(*MUNICIPAL)
    second = shared_data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz"

    result = CliRunner().invoke(
        cli, ["ingest", "sesnsp", str(first), str(second), "--cut", "2025-11"]
    )

    assert result.exit_code == 0, result.output
    (_, started), *rest = calls
    assert calls[0] == ("prefetch", started)
    assert rest[0] == "django"  # nothing started Django before the read
    ingests = [call for call in rest if call[0] == "ingest"]
    assert ingests == [("ingest", first.name, started), ("ingest", second.name, None)]
    assert "stopped" in rest and not started.thread.is_alive()


def test_a_bad_cut_is_refused_in_the_chosen_language_before_any_read(
    empty_warehouse, shared_data, calls
):
    # Options are checked before arguments: the cut's message needs Django, which starts
    # for it, and no read is started for a command that cannot run.
    path = shared_data.joinpath(*MUNICIPAL)

    result = CliRunner().invoke(cli, ["ingest", "sesnsp", str(path), "--cut", "2025-13"])

    assert result.exit_code == 2
    assert "use YYYY-MM, p. ej., 2024-11" in result.output
    assert calls == ["django"]


def test_a_refused_file_stops_its_read_and_says_where(
    empty_warehouse, shared_data, calls, tmp_path
):
    lines = shared_data.joinpath(*MUNICIPAL).read_bytes().splitlines(keepends=True)
    cells = lines[3].rstrip(b"\r\n").split(b",")
    lines[3] = b",".join([*cells[:-1], b"n/d"]) + lines[3][len(lines[3].rstrip(b"\r\n")) :]
    bad = tmp_path / "IDM_NM_nov25.csv"
    bad.write_bytes(b"".join(lines))

    result = CliRunner().invoke(cli, ["--lang", "en", "ingest", "sesnsp", str(bad)])

    assert result.exit_code == 1
    assert "line 4" in result.output and "Diciembre" in result.output
    (_, started) = calls[0]
    assert "stopped" in calls and not started.thread.is_alive()
