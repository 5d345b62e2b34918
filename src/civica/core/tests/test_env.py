import pytest

from civica.env import EnvError, env_bool, env_int, env_list


def test_it_reads_booleans_in_spanish_and_english():
    assert env_bool("X", environ={"X": "sí"}) is True
    assert env_bool("X", environ={"X": "off"}) is False
    assert env_bool("X", True, environ={}) is True


def test_it_rejects_a_bad_boolean_naming_the_variable():
    with pytest.raises(EnvError, match="X='maybe' is not a boolean"):
        env_bool("X", environ={"X": "maybe"})


def test_it_enforces_integer_minimums():
    with pytest.raises(EnvError, match="below the minimum"):
        env_int("N", 1, minimum=1, environ={"N": "0"})
    assert env_int("N", 3, environ={"N": " "}) == 3


def test_it_splits_lists_and_drops_blanks():
    assert env_list("L", environ={"L": "a, b,,c "}) == ["a", "b", "c"]
