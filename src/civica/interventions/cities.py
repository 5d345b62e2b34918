"""Which city a municipality is part of, for counting "selected sectors of K cities".

A Mexican municipality is one city, except the sixteen alcaldías of Mexico City (state code
09): they are the boroughs of one city, Ciudad de México. So a program in sectors of three
alcaldías — or two interventions in two alcaldías — counts as one city, while an
intervention across two municipalities of another state (Tijuana and Tecate) counts as two.
Metropolitan areas that span several municipalities are not merged: each municipality
governs its own police, which is what a city's result is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from civica.interventions.models import names_list

# INEGI's code of the one state whose municipalities are the parts of a single city.
ONE_CITY_STATES = frozenset({"09"})


@dataclass(frozen=True)
class City:
    code: str  # the municipality's CVEGEO, or the state's code for Mexico City
    name: str


def city_of(municipality) -> City:
    state = municipality.state
    if state.code in ONE_CITY_STATES:
        return City(state.code, state.name)
    return City(municipality.cvegeo, municipality.name)


def cities_of(municipalities) -> list[City]:
    """The distinct cities of ``municipalities``, in their order."""
    seen: dict[str, City] = {}
    for municipality in municipalities:
        city = city_of(municipality)
        seen.setdefault(city.code, city)
    return list(seen.values())


def city_label(intervention) -> str:
    """The city (or cities) of an intervention, with the alcaldías when one city has several
    parts: "Ciudad de México (Iztapalapa, Benito Juárez y Cuauhtémoc)"."""
    municipalities = intervention.municipalities()
    cities = cities_of(municipalities)
    labels = []
    for city in cities:
        parts = [m.name for m in municipalities if city_of(m).code == city.code]
        labels.append(city.name if parts == [city.name] else f"{city.name} ({names_list(parts)})")
    return names_list(labels)
