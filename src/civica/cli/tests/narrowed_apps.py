"""Running CLI commands as a user calls them and as before a command group narrowed Django's
apps: what the app-narrowing tests of ``civica stats`` and ``civica ingest`` compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Every command as a user calls it: a fresh process through the command group, which says on
# its standard error which apps Django started with.
AS_A_USER = """
import json, sys
from civica.cli.main import cli
try:
    cli(sys.argv[1:], prog_name="civica")
except SystemExit as stop:
    assert not stop.code, stop.code
finally:
    from django.apps import apps
    print(json.dumps([c.name for c in apps.get_app_configs()]), file=sys.stderr)
"""

# The path before the change: Django started with every app, then each command.
WITH_EVERY_APP = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "civica.settings"
import django
django.setup()
from click.testing import CliRunner
from civica.cli.main import cli
outputs = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output)
    outputs.append(result.stdout)
print(json.dumps(outputs))
"""


def new_workspace(home: Path) -> dict:
    """The environment of a new initialised workspace in ``home`` (SQLite, whatever
    ``DATABASE_URL`` says: the narrowing does not depend on the database)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CIVICA_HOME=str(home), PYTHONWARNINGS="ignore")
    subprocess.run(
        [sys.executable, "-m", "civica", "init"], env=env, check=True, capture_output=True
    )
    return env


def printed_with_every_app(env: dict, commands: list[list[str]]) -> list[str]:
    """What each command printed in one process that started Django with every app."""
    done = subprocess.run(
        [sys.executable, "-c", WITH_EVERY_APP, json.dumps(commands)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def as_a_user(env: dict, args: list[str]) -> tuple[subprocess.CompletedProcess, list[str]]:
    """The command run as a user calls it, and the apps Django started with (``[]`` when it
    failed before saying)."""
    done = subprocess.run(
        [sys.executable, "-c", AS_A_USER, *args], env=env, capture_output=True, text=True
    )
    lines = done.stderr.strip().splitlines()
    try:
        apps = json.loads(lines[-1]) if lines else []
    except json.JSONDecodeError:
        apps = []
    return done, apps
