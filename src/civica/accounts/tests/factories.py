"""The personas shared by access tests."""

from __future__ import annotations

from types import SimpleNamespace

from civica.accounts.models import User
from civica.accounts.roles import Role

PASSWORD = "correct-horse-battery-9"


def make_user(username: str, role: str, *, municipalities=(), states=(), nationwide=False):
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, nationwide=nationwide
    )
    user.municipalities.set(municipalities)
    user.states.set(states)
    return user


def make_personas(territory) -> SimpleNamespace:
    return SimpleNamespace(
        admin=make_user("admin", Role.ADMINISTRATOR),
        analyst_cuauhtemoc=make_user(
            "ana", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc]
        ),
        analyst_tijuana=make_user(
            "tomas", Role.MUNICIPAL_ANALYST, municipalities=[territory.tijuana]
        ),
        state_analyst_cdmx=make_user("sofia", Role.ANALYST, states=[territory.cdmx]),
        donor=make_user("dora", Role.DONOR_VIEWER, nationwide=True),
        case_worker=make_user("carlos", Role.CASE_WORKER, municipalities=[territory.cuauhtemoc]),
    )
