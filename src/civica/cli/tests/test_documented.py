"""Every command ends its help with an example and is documented; so is every setting."""

import re

import click
import pytest
from click.testing import CliRunner

from civica.cli.main import cli
from civica.testing.fixtures import REPO_ROOT


def all_commands(group=cli, prefix=("civica",)):
    yield prefix, group
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            yield from all_commands(command, (*prefix, name))


COMMANDS = list(all_commands())


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_the_help_ends_with_an_example(path):
    result = CliRunner().invoke(cli, [*path[1:], "--help"])
    assert result.exit_code == 0
    description = result.output.split("\nOptions:")[0].rstrip().splitlines()
    tail = "\n".join(description[-4:])
    assert "Example:" in tail and "civica" in tail.split("Example:")[1], result.output


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_the_command_is_in_docs_cli(path):
    text = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"`{' '.join(path)}" in text


def test_every_setting_read_from_the_environment_is_documented():
    source = (REPO_ROOT / "src" / "civica" / "settings.py").read_text(encoding="utf-8")
    source += (REPO_ROOT / "src" / "civica" / "workspace.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\("([A-Z_]+)"', source)) | {"CIVICA_HOME", "DATABASE_URL"}
    documented = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"undocumented settings: {missing}"


def test_version_prints_the_package_version():
    from civica import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.output.strip() == f"civica, version {__version__}"
