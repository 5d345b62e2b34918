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
        # By name, as a user reaches them: the root group imports a command's module then.
        context = click.Context(group)
        for name in group.list_commands(context):
            yield from all_commands(group.get_command(context, name), (*prefix, name))


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


def _option_names(command) -> list[list[str]]:
    return [
        [name for name in param.opts + param.secondary_opts if name.startswith("--")] or param.opts
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
    ]


def _rows() -> dict[str, str]:
    """Each command's row of docs/cli.md, by command (a row may spell its usage, e.g.
    ``civica organizations create NAME --kind KIND``: the command is the leading words)."""
    text = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = {}
    for usage, row in re.findall(r"^\| `(civica[^`]*)` \|(.*)$", text, flags=re.M):
        words = []
        for word in usage.split():
            if word.startswith(("-", "[", "<")) or word.isupper():
                break
            words.append(word)
        rows[" ".join(words)] = usage + row
    return rows


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_option_is_in_the_commands_row_of_docs_cli(path):
    """An option is named in its command's row, or in a parent group's row when the whole
    group shares it (``civica stats``: every command takes ``--format``)."""
    rows = _rows()
    command = dict(COMMANDS)[path]
    here = [rows.get(" ".join(path[:end]), "") for end in range(1, len(path) + 1)]
    missing = [
        names
        for names in _option_names(command)
        if not any(name in row for name in names for row in here)
    ]
    assert not missing, f"{' '.join(path)}: undocumented options {missing} in docs/cli.md"


def test_every_app_is_in_docs_architecture():
    from django.apps import apps

    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    diagram = text.split("```")[1]
    labels = sorted(
        config.name.removeprefix("civica.")
        for config in apps.get_app_configs()
        if config.name.startswith("civica.") and config.name not in ("civica.web", "civica.api")
    )
    assert len(labels) >= 10
    missing = [label for label in labels if f" {label} " not in f" {diagram} ".replace("\n", " ")]
    assert not missing, f"apps missing from the layer diagram: {missing}"
    untabled = [label for label in labels if f"| `{label}/` |" not in text]
    assert not untabled, f"apps without a row in the package table: {untabled}"


def test_every_package_of_civica_has_a_row_in_docs_architecture():
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(
        path.parent.name for path in (REPO_ROOT / "src" / "civica").glob("*/__init__.py")
    )
    missing = [name for name in packages if f"`{name}/`" not in text]
    assert not missing, f"packages missing from docs/architecture.md: {missing}"
