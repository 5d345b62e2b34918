"""Rows that cannot be used are rejected one by one, with their line and a reason, and counted;
the rest of the file is kept."""

from __future__ import annotations

import csv
import datetime as dt

import duckdb
import pytest
from shapely.geometry import box

from civica.sources.errors import SourceError
from civica.sources.incidents import REASONS, read_incidents

HEADER = "id,fecha,delito,categoria,lat,lon"
MAPPING = {
    "id": "id",
    "date": "fecha",
    "crime": "delito",
    "category": "categoria",
    "lat": "lat",
    "lon": "lon",
}
TODAY = dt.date(2024, 6, 30)


def read(tmp_path, *rows: str, **options):
    source = tmp_path / "incidentes.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    options = {"mapping": MAPPING, "today": TODAY} | options
    result = read_incidents(
        source, output=tmp_path / "tidy.parquet", rejects=tmp_path / "rejects.csv", **options
    )
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        rejected = [(int(row["line"]), row["reason"], row["id"]) for row in csv.DictReader(handle)]
    with duckdb.connect() as connection:
        kept = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM read_parquet(?)", [str(tmp_path / "tidy.parquet")]
            ).fetchall()
        ]
    return result, rejected, kept


def counts(**nonzero: int) -> dict[str, int]:
    return {reason: 0 for reason in REASONS} | nonzero


def test_it_rejects_impossible_dates(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-06-30,ROBO,X,19.4,-99.1",
        "b,2024-07-01,ROBO,X,19.4,-99.1",  # after today
        "c,1989-12-31,ROBO,X,19.4,-99.1",  # before 1990
        "d,2023-02-30,ROBO,X,19.4,-99.1",  # no 30 February
        "e,mañana,ROBO,X,19.4,-99.1",
        "f,,ROBO,X,19.4,-99.1",
        "g,1/1/1990,ROBO,X,19.4,-99.1",
    )

    assert result.rejected == counts(impossible_date=5)
    assert rejected == [
        (3, "impossible_date", "b"),
        (4, "impossible_date", "c"),
        (5, "impossible_date", "d"),
        (6, "impossible_date", "e"),
        (7, "impossible_date", "f"),
    ]
    assert kept == ["a", "g"]
    assert result.date_range == (dt.date(1990, 1, 1), dt.date(2024, 6, 30))


def test_it_rejects_categories_not_in_the_set_given_ignoring_case_and_accents(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-01-01,ROBO,Robo a transeúnte,19.4,-99.1",
        "b,2024-01-01,ROBO,ROBO A TRANSEUNTE,19.4,-99.1",
        "c,2024-01-01,ROBO,HECHO NO DELICTIVO,19.4,-99.1",
        "d,2024-01-01,ROBO,,19.4,-99.1",
        categories={"ROBO A TRANSEÚNTE", "HOMICIDIO DOLOSO"},
    )

    assert result.rejected == counts(unknown_category=2)
    assert rejected == [(4, "unknown_category", "c"), (5, "unknown_category", "d")]
    assert kept == ["a", "b"]


def test_it_checks_the_crime_against_the_categories_when_there_is_no_category_column(
    tmp_path,
):
    mapping = {role: column for role, column in MAPPING.items() if role != "category"}

    _result, rejected, _kept = read(
        tmp_path,
        "a,2024-01-01,HOMICIDIO DOLOSO,,19.4,-99.1",
        "b,2024-01-01,ROBO,,19.4,-99.1",
        mapping=mapping,
        categories={"homicidio doloso"},
    )

    assert rejected == [(3, "unknown_category", "b")]


def test_it_keeps_the_first_row_of_a_repeated_id(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-01-01,ROBO,X,19.4,-99.1",
        "b,2024-01-01,ROBO,X,19.4,-99.1",
        "a,2024-01-02,ROBO,X,19.5,-99.2",
    )

    assert result.rejected == counts(duplicate_id=1)
    assert rejected == [(4, "duplicate_id", "a")]
    assert kept == ["a", "b"]


def test_it_tells_missing_coordinates_from_invalid_ones(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-01-01,ROBO,X,NA,NA",
        "b,2024-01-01,ROBO,X,,",
        "c,2024-01-01,ROBO,X,0,0",
        "d,2024-01-01,ROBO,X,19.4,",
        "e,2024-01-01,ROBO,X,-99.1,19.4",  # one swapped row among good ones
        "f,2024-01-01,ROBO,X,19.4.1,-99.1",
        "g,2024-01-01,ROBO,X,19.4,-99.1",
        "h,2024-01-01,ROBO,X,19.41,-99.11",
        "i,2024-01-01,ROBO,X,19.42,-99.12",
    )

    assert result.rejected == counts(no_coordinates=4, invalid_coordinates=2)
    assert [reason for _line, reason, _id in rejected] == [
        "no_coordinates",
        "no_coordinates",
        "no_coordinates",
        "no_coordinates",
        "invalid_coordinates",
        "invalid_coordinates",
    ]
    assert kept == ["g", "h", "i"]


def test_it_rejects_rows_without_a_crime(tmp_path):
    result, rejected, _kept = read(tmp_path, "a,2024-01-01,,X,19.4,-99.1")

    assert rejected == [(2, "no_crime", "a")]
    assert result.rows_kept == 0


def test_it_rejects_points_outside_the_boundary_counting_its_edge_as_inside(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-01-01,ROBO,X,19.40,-99.10",
        "b,2024-01-01,ROBO,X,19.50,-99.10",  # on the northern edge
        "c,2024-01-01,ROBO,X,19.60,-99.10",
        boundary=box(-99.2, 19.3, -99.0, 19.5),
    )

    assert result.rejected == counts(outside_area=1)
    assert rejected == [(4, "outside_area", "c")]
    assert kept == ["a", "b"]


def test_a_row_gets_the_first_reason_that_applies(tmp_path):
    _result, rejected, _kept = read(
        tmp_path,
        "a,2024-01-01,ROBO,X,19.4,-99.1",
        "a,1900-01-01,ROBO,X,NA,NA",
        "b,1900-01-01,ROBO,X,NA,NA",
        "c,1900-01-01,,X,19.4,-99.1",
    )

    assert rejected == [
        (3, "duplicate_id", "a"),
        (4, "no_coordinates", "b"),
        (5, "impossible_date", "c"),
    ]


def test_it_writes_a_rejects_file_with_only_its_header_when_nothing_is_rejected(tmp_path):
    _result, rejected, kept = read(tmp_path, "a,2024-01-01,ROBO,X,19.4,-99.1")

    assert rejected == [] and kept == ["a"]
    assert (tmp_path / "rejects.csv").read_text().splitlines() == [
        "line,reason,id,fecha,delito,categoria,lat,lon"
    ]


def test_a_file_whose_rows_are_all_rejected_is_read_not_refused(tmp_path):
    result, _rejected, kept = read(tmp_path, "a,2024-01-01,ROBO,X,NA,NA")

    assert result.rows_kept == 0 and kept == []
    assert result.date_range is None and result.crimes == ()


def test_it_leaves_previous_outputs_untouched_when_refusing_a_file(tmp_path):
    (tmp_path / "tidy.parquet").write_bytes(b"previous")
    (tmp_path / "rejects.csv").write_bytes(b"previous")

    with pytest.raises(SourceError):
        read(tmp_path, "a,2024-01-01,ROBO,X,-99.1,19.4")

    assert (tmp_path / "tidy.parquet").read_bytes() == b"previous"
    assert (tmp_path / "rejects.csv").read_bytes() == b"previous"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "incidentes.csv",
        "rejects.csv",
        "tidy.parquet",
    ]


def test_it_reads_dates_year_first_or_day_first_with_or_without_a_time(tmp_path):
    result, rejected, kept = read(
        tmp_path,
        "a,2024-01-31,ROBO,X,19.4,-99.1",
        "b,2024/1/31,ROBO,X,19.4,-99.1",
        "c,31/01/2024,ROBO,X,19.4,-99.1",
        "d,31-01-2024,ROBO,X,19.4,-99.1",
        "e,2024-01-31 23:10:00,ROBO,X,19.4,-99.1",
        "f,31/01/2024 23:10,ROBO,X,19.4,-99.1",
        "g,01/31/2024,ROBO,X,19.4,-99.1",  # month first: there is no month 31
    )

    assert kept == ["a", "b", "c", "d", "e", "f"]
    assert rejected == [(8, "impossible_date", "g")]
    assert result.date_range == (dt.date(2024, 1, 31), dt.date(2024, 1, 31))


def test_categories_must_be_a_collection_not_one_name(tmp_path):
    with pytest.raises(TypeError):
        read(tmp_path, "a,2024-01-01,ROBO,X,19.4,-99.1", categories="ROBO")
