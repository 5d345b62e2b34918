import pytest


@pytest.fixture
def staff(territory):
    from civica.participants.tests.factories import make_staff

    return make_staff(territory)
