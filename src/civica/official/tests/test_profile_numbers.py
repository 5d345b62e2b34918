"""The municipal profile's figures are the snapshot's, however the queries are run."""

import threading

import duckdb
from django.urls import reverse

from civica.core.services import warehouse
from civica.sources.sesnsp_snapshot import long_rows
from civica.testing.personas import make_user
from civica.warehouse.connection import reader


def yearly_counts_with_a_fresh_connection(path, crime, municipality):
    """The computation as it was before connections were reused: a new database per query."""
    with duckdb.connect(":memory:") as connection:
        rows = connection.execute(
            f"SELECT year, sum(value) FROM {long_rows('read_parquet(?)')} "  # noqa: S608
            "WHERE subtipo = ? AND municipality_code = ? AND value IS NOT NULL "
            "GROUP BY year ORDER BY year",
            [str(path), crime, municipality],
        ).fetchall()
    return {str(year): float(total) for year, total in rows}


def test_the_profile_counts_equal_a_direct_query_of_the_guanajuato_file(client, stats_env):
    client.force_login(make_user("ana", "analyst", nationwide=True))
    response = client.get(reverse("official:profile", args=["11020"]))
    assert response.status_code == 200
    charts = response.context["charts"]
    assert {c["crime"] for c in charts} == {"Homicidio doloso", "Homicidio culposo"}
    path = warehouse().path_of(response.context["snapshot"])
    for chart in charts:
        expected = yearly_counts_with_a_fresh_connection(path, chart["crime"], "11020")
        shown = {row.period: row.count for row in chart["own_series"].rows}
        assert shown == expected, chart["crime"]
        assert sum(shown.values()) > 0


def test_each_thread_reuses_its_own_connection():
    mine = reader()
    assert reader() is mine
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(reader()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine
    assert reader().execute("SELECT 42").fetchone() == (42,)
