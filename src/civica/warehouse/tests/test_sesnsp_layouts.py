"""SESNSP snapshots are wide since issue 19; those written before were long. The warehouse
answers the same from either."""

from __future__ import annotations

import duckdb

from civica.sources.sesnsp_snapshot import SNAPSHOT_MONTHS, long_rows
from civica.warehouse import sesnsp
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

# Two municipalities of Guanajuato, two crimes, 2024: December not reported yet.
WIDE_ROWS = [
    (2024, "11", "11020", "León", "Homicidio doloso", [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, None]),
    (2024, "11", "11020", "León", "Feminicidio", [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, None]),
    (2024, "11", "11007", "Celaya", "Homicidio doloso", [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, None]),
]


def write_both(tmp_path):
    wide, long = tmp_path / "wide.parquet", tmp_path / "long.parquet"
    months = ", ".join(
        f"m[{number}]::INTEGER AS {name}" for number, name in enumerate(SNAPSHOT_MONTHS, 1)
    )
    with duckdb.connect() as connection:
        connection.execute(
            "CREATE TABLE rows (year SMALLINT, state_code VARCHAR, municipality_code VARCHAR, "
            "municipality_name VARCHAR, subtipo VARCHAR, m INTEGER[])"
        )
        connection.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)", WIDE_ROWS)
        connection.execute(
            f"COPY (SELECT year, state_code, municipality_code, municipality_name, "  # noqa: S608
            f"'bien' AS bien_juridico, 'tipo' AS tipo, subtipo, 'modalidad' AS modalidad, "
            f"NULL::VARCHAR AS sex, NULL::VARCHAR AS age_range, {months} FROM rows) "
            f"TO '{wide}' (FORMAT parquet)"
        )
        # The long layout written before issue 19: one row per month, `month` and `value`.
        connection.execute(
            f"COPY (SELECT * FROM {long_rows(repr(str(wide)))}) TO '{long}' (FORMAT parquet)"  # noqa: S608
        )
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(long)])
        described = described.fetchall()
    assert [row[0] for row in described][:2] == ["year", "month"]
    return wide, long


def rows(frame) -> list[tuple]:
    """A frame's rows with NaN as None (NaN never equals itself)."""
    return [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False)]


def test_wide_and_long_snapshots_give_the_same_answers(tmp_path):
    wide, long = write_both(tmp_path)
    homicides = CrimeFilter(level="subtipo", value="Homicidio doloso")
    months = [(2024, month) for month in range(1, 13)]

    answers = [
        (
            sesnsp.monthly_count_rows(path, crime=homicides, area=AreaFilter(state_code="11")),
            rows(sesnsp.monthly_by_crime(path, area=AreaFilter(municipality_code="11020"))),
            sesnsp.area_count_rows(path, crime=homicides, months=months, state_code="11"),
            rows(
                sesnsp.monthly_panel(
                    path, crimes=["Homicidio doloso"], first=(2024, 1), last=(2024, 12)
                )
            ),
        )
        for path in (wide, long)
    ]

    assert answers[0] == answers[1]
    series, by_crime, areas, panel = answers[0]
    assert series[0] == (2024, 1, 5) and series[-1] == (2024, 12, None)
    assert by_crime[2] == ("Feminicidio", 2024, 3, 1.0) and len(by_crime) == 24
    assert panel[0] == ("11007", "Celaya", 2024, 1, 2.0) and panel[11][-1] is None
    assert areas == (("11007", "Celaya", 51, 11), ("11020", "León", 44, 11))
