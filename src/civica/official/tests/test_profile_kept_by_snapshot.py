"""The municipal profile keeps its figures by the snapshots it read: a second view computes
nothing again, and a new snapshot of the municipal file shows its own figures."""

from __future__ import annotations

import csv

from django.urls import reverse

from civica.official import services
from civica.testing.personas import make_user
from civica.warehouse import kept

MUNICIPAL = "sesnsp_municipal/guanajuato_homicidios_2020-2025_formato_IDM.csv"
ADDED = 100  # homicides added to León's January 2020 in the second cut


def _with_more_homicides(source, target):
    """The municipal file with ``ADDED`` more firearm homicides in León, January 2020."""
    with source.open(encoding="utf-8", newline="") as inp:
        rows = list(csv.reader(inp))
    header = rows[0]
    changed = 0
    for row in rows[1:]:
        record = dict(zip(header, row, strict=True))
        if (record["Año"], record["Cve. Municipio"], record["Modalidad"]) == (
            "2020",
            "11020",
            "Con arma de fuego",
        ) and record["Subtipo de delito"] == "Homicidio doloso":
            row[header.index("Enero")] = str(int(float(record["Enero"])) + ADDED)
            changed += 1
    assert changed == 1
    with target.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


def _homicides_by_year(response) -> dict[str, float]:
    chart = next(c for c in response.context["charts"] if c["crime"] == "Homicidio doloso")
    return {row.period: row.count for row in chart["own_series"].rows}


def test_a_second_view_is_kept_and_a_new_snapshot_shows_its_figures(
    client, settings, stats_env, shared_data, tmp_path
):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    services.store_sesnsp(path=shared_data / MUNICIPAL, cut="2025-11")
    client.force_login(make_user("ana", "analyst", nationwide=True))
    url = reverse("official:profile", args=["11020"])

    first = client.get(url)
    assert first.status_code == 200
    before = _homicides_by_year(first)
    entries = kept.size()
    assert entries > 0

    again = client.get(url)
    assert _homicides_by_year(again) == before
    assert kept.size() == entries  # nothing read or computed anew
    assert again.context["priority"] == first.context["priority"]

    changed = tmp_path / "IDM_NM_dic25.csv"
    _with_more_homicides(shared_data / MUNICIPAL, changed)
    services.store_sesnsp(path=changed, cut="2025-12")

    after = client.get(url)
    assert after.context["snapshot"].cut == "2025-12"
    figures = _homicides_by_year(after)
    assert figures["2020"] == before["2020"] + ADDED
    assert {k: v for k, v in figures.items() if k != "2020"} == {
        k: v for k, v in before.items() if k != "2020"
    }
    assert kept.size() > entries


def test_the_kept_figures_are_the_same_in_both_languages(client, settings, stats_env):
    client.force_login(make_user("ana", "analyst", nationwide=True))
    url = reverse("official:profile", args=["11020"])
    spanish = client.get(url)
    entries = kept.size()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the site's language switch
    english = client.get(url)
    assert _homicides_by_year(english) == _homicides_by_year(spanish)
    # The notes are in each reader's language, composed from the same kept figures.
    spanish_notes = next(c["notes"] for c in spanish.context["charts"])
    english_notes = next(c["notes"] for c in english.context["charts"])
    assert spanish_notes != english_notes
    assert kept.size() - entries <= 2  # only the reasons' noun differs by language
