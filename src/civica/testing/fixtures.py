"""Shared test fixtures (loaded with ``-p civica.testing.fixtures``, see pyproject.toml): the
real data folder, the access-test personas, a local file server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def shared_data_dir() -> Path:
    """The real public data beside the checkout (``CIVICA_SHARED_DATA`` overrides)."""
    configured = os.environ.get("CIVICA_SHARED_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.fail(f"The shared data folder is missing: {path} (set CIVICA_SHARED_DATA).")
    return path


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es-mx"


@pytest.fixture(autouse=True)
def _no_language_carried_over():
    # A `civica` command run in a test sets the process's LANGUAGE for click's messages
    # (cli.runtime.speak): put back what it was, so that no later test, and no browser or
    # process one starts, inherits the language of the last command.
    saved = os.environ.get("LANGUAGE")
    yield
    if saved is None:
        os.environ.pop("LANGUAGE", None)
    else:
        os.environ["LANGUAGE"] = saved


@pytest.fixture(autouse=True)
def _no_figures_kept_from_another_test():
    # Warehouse figures are kept by snapshot file (civica.warehouse.kept): none carried over.
    # (Civic-justice indicators keep nothing: they are counted in the database each time.)
    kept = sys.modules.get("civica.warehouse.kept")
    if kept is not None:
        kept.forget()


@pytest.fixture
def territory(db):
    """Two states with two municipalities each, and one sector in each municipality."""
    from civica.territory.tests.factories import make_small_territory

    return make_small_territory()


@pytest.fixture
def personas(territory):
    """The users and organizations every test shares: see ``civica.testing.personas``."""
    from civica.testing.personas import make_personas

    return make_personas(territory)


@pytest.fixture
def file_server(shared_data):
    """The shared data folder served over HTTP on 127.0.0.1 (``.url``, ``.ranges_seen``)."""
    from civica.testing.file_server import serve_folder

    server, stop = serve_folder(shared_data)
    yield server
    stop()
