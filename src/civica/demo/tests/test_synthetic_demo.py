"""`civica demo --synthetic` works offline and labels what it invents."""

import pytest
from click.testing import CliRunner

from civica.accounts.models import User
from civica.cli.main import cli
from civica.territory.models import Municipality, Sector

pytestmark = pytest.mark.django_db


def test_it_loads_a_labelled_synthetic_territory_and_prints_working_credentials():
    result = CliRunner().invoke(cli, ["demo", "--synthetic", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.output.lower() or "sintético" in result.output.lower()
    assert Municipality.objects.filter(synthetic=True).count() == 4
    assert Sector.objects.filter(synthetic=True).count() == 16
    line = next(line for line in result.output.splitlines() if line.strip().startswith("admin"))
    password = line.split()[-1]
    assert User.objects.get(username="admin").check_password(password)


def test_running_it_twice_changes_nothing_and_keeps_the_passwords():
    first = CliRunner().invoke(cli, ["demo", "--synthetic", "--no-serve"])
    line = next(line for line in first.output.splitlines() if line.strip().startswith("admin"))
    password = line.split()[-1]
    result = CliRunner().invoke(cli, ["demo", "--synthetic", "--no-serve"])
    assert result.exit_code == 0
    assert Sector.objects.count() == 16
    assert User.objects.get(username="admin").check_password(password)
    assert password not in result.output
    renewed = CliRunner().invoke(cli, ["demo", "--synthetic", "--no-serve", "--new-passwords"])
    assert renewed.exit_code == 0
    assert not User.objects.get(username="admin").check_password(password)


def test_a_data_folder_missing_files_is_refused_with_the_list(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--data", str(tmp_path), "--no-serve"])
    assert result.exit_code == 1
    assert "mx_boundaries_mxmaps/mx_estados.topojson" in result.output
