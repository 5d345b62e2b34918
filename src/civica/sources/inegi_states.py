"""The 32 federal entities of Mexico with their INEGI codes, names and abbreviations.

These are facts that do not come from any one data file: boundary files carry only codes,
CONAPO tables carry short names, SESNSP tables carry long official names. Every source joins
through the two-digit INEGI code, and this module is where a name is turned into one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["STATES", "StateInfo", "normalise_name", "state_by_code", "state_code_for_name"]


@dataclass(frozen=True)
class StateInfo:
    code: str
    name: str
    """Official name in INEGI's Marco Geoestadístico (e.g. "Coahuila de Zaragoza")."""
    short_name: str
    """The name people and CONAPO use (e.g. "Coahuila")."""
    abbreviation: str
    aliases: tuple[str, ...] = ()
    """Other spellings seen in official tables (old names, other abbreviations)."""


STATES: tuple[StateInfo, ...] = (
    StateInfo("01", "Aguascalientes", "Aguascalientes", "AGS"),
    StateInfo("02", "Baja California", "Baja California", "BC"),
    StateInfo("03", "Baja California Sur", "Baja California Sur", "BCS"),
    StateInfo("04", "Campeche", "Campeche", "CAMP"),
    StateInfo("05", "Coahuila de Zaragoza", "Coahuila", "COAH"),
    StateInfo("06", "Colima", "Colima", "COL"),
    StateInfo("07", "Chiapas", "Chiapas", "CHIS", ("CHPS",)),
    StateInfo("08", "Chihuahua", "Chihuahua", "CHIH"),
    StateInfo("09", "Ciudad de México", "Ciudad de México", "CDMX", ("Distrito Federal", "DF")),
    StateInfo("10", "Durango", "Durango", "DGO"),
    StateInfo("11", "Guanajuato", "Guanajuato", "GTO"),
    StateInfo("12", "Guerrero", "Guerrero", "GRO"),
    StateInfo("13", "Hidalgo", "Hidalgo", "HGO"),
    StateInfo("14", "Jalisco", "Jalisco", "JAL"),
    StateInfo("15", "México", "México", "MEX", ("Estado de México", "Edo. de México", "EDOMEX")),
    StateInfo("16", "Michoacán de Ocampo", "Michoacán", "MICH"),
    StateInfo("17", "Morelos", "Morelos", "MOR"),
    StateInfo("18", "Nayarit", "Nayarit", "NAY"),
    StateInfo("19", "Nuevo León", "Nuevo León", "NL"),
    StateInfo("20", "Oaxaca", "Oaxaca", "OAX"),
    StateInfo("21", "Puebla", "Puebla", "PUE"),
    StateInfo("22", "Querétaro", "Querétaro", "QRO", ("Querétaro de Arteaga",)),
    StateInfo("23", "Quintana Roo", "Quintana Roo", "QROO", ("Q. Roo",)),
    StateInfo("24", "San Luis Potosí", "San Luis Potosí", "SLP"),
    StateInfo("25", "Sinaloa", "Sinaloa", "SIN"),
    StateInfo("26", "Sonora", "Sonora", "SON"),
    StateInfo("27", "Tabasco", "Tabasco", "TAB"),
    StateInfo("28", "Tamaulipas", "Tamaulipas", "TAMPS", ("TAM",)),
    StateInfo("29", "Tlaxcala", "Tlaxcala", "TLAX"),
    StateInfo("30", "Veracruz de Ignacio de la Llave", "Veracruz", "VER"),
    StateInfo("31", "Yucatán", "Yucatán", "YUC"),
    StateInfo("32", "Zacatecas", "Zacatecas", "ZAC"),
)

_BY_CODE = {state.code: state for state in STATES}


def normalise_name(name: str) -> str:
    """Fold case, accents, dots and spacing so that spellings of one name compare equal."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s.]+", " ", plain).strip().casefold()


def _build_name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for state in STATES:
        for spelling in (state.name, state.short_name, state.abbreviation, *state.aliases):
            index[normalise_name(spelling)] = state.code
    return index


_BY_NAME = _build_name_index()


def state_by_code(code: str) -> StateInfo | None:
    return _BY_CODE.get(code)


def state_code_for_name(name: str) -> str | None:
    """The INEGI code of a state written in any common form, or ``None`` if unknown.

    Short ("Coahuila"), official ("Coahuila de Zaragoza"), unaccented or upper-case
    ("MICHOACAN") forms and the usual abbreviations all resolve.
    """
    return _BY_NAME.get(normalise_name(name))
