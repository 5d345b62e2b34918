"""The territory commands report what they did and refuse bad files cleanly."""

import json

import pytest
from click.testing import CliRunner

from civica.cli.main import cli
from civica.territory.models import State

pytestmark = pytest.mark.django_db

BOWTIE = [[[-99.0, 19.0], [-98.9, 19.1], [-98.9, 19.0], [-99.0, 19.1], [-99.0, 19.0]]]


def write_states(tmp_path, geometry):
    path = tmp_path / "estados.geojson"
    feature = {"type": "Feature", "properties": {"id": "09"}, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_a_bad_file_exits_1_naming_file_and_feature_in_spanish(tmp_path):
    path = write_states(tmp_path, {"type": "Polygon", "coordinates": BOWTIE})
    result = CliRunner().invoke(cli, ["territory", "import-states", str(path)])
    assert result.exit_code == 1
    assert "estados.geojson" in result.output and "elemento 1" in result.output
    assert "Traceback" not in result.output
    assert State.objects.count() == 0


def test_the_same_error_in_english_with_lang(tmp_path):
    path = write_states(tmp_path, {"type": "Polygon", "coordinates": BOWTIE})
    result = CliRunner().invoke(cli, ["--lang", "en", "territory", "import-states", str(path)])
    assert result.exit_code == 1 and "feature 1" in result.output


def test_repair_invalid_imports_the_polygon_and_says_so(tmp_path):
    path = write_states(tmp_path, {"type": "Polygon", "coordinates": BOWTIE})
    result = CliRunner().invoke(
        cli, ["--lang", "en", "territory", "import-states", str(path), "--repair-invalid"]
    )
    assert result.exit_code == 0, result.output
    assert "1 state: 1 created, 0 updated, 0 unchanged" in result.output
    assert "1 invalid polygon was repaired" in result.output
    assert State.objects.get(code="09").name == "Ciudad de México"


def test_users_create_prints_a_password_that_works(territory):
    result = CliRunner().invoke(
        cli, ["users", "create", "lucia", "--role", "municipal_analyst", "--municipality", "02004"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].split()[-1]
    from civica.accounts.models import User

    assert User.objects.get(username="lucia").check_password(password)


def test_users_create_refuses_an_unknown_code_without_a_traceback(territory):
    result = CliRunner().invoke(
        cli, ["users", "create", "x", "--role", "municipal_analyst", "--municipality", "77777"]
    )
    assert result.exit_code == 1 and "77777" in result.output and "Traceback" not in result.output
