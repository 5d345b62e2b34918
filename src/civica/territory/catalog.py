"""The 32 federal entities of Mexico (kept in :mod:`civica.sources.inegi_states`, where the
readers below Django use them too)."""

from civica.sources.inegi_states import (
    STATES,
    StateInfo,
    normalise_name,
    state_by_code,
    state_code_for_name,
)

__all__ = ["STATES", "StateInfo", "normalise_name", "state_by_code", "state_code_for_name"]
