"""Reader of CONAPO's wide population tables (one row per area, one column per year).

Two shapes exist, both as published in CONAPO's 2023 round and pivoted by year:

* municipal: ``CVE,Entidad,Municipio,1990,…,2040`` (CVE = 5-digit CVEGEO);
* state: ``ENTIDAD,1970,…,2070`` with short state names and no codes, so names are turned
  into INEGI codes through :mod:`civica.territory.catalog`.

Which sex a file holds is not in its header, only in its name (``*_total.csv``,
``*_hombres.csv``, ``*_mujeres.csv``); ``sex=`` overrides it. CONAPO has published both
UTF-8 and Windows-1252 files, so the reader tries UTF-8 and falls back to cp1252, recording
which one it used.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from civica.sources._files import read_text
from civica.sources.errors import SourceError
from civica.sources.errors import message as _
from civica.sources.inegi_states import state_by_code, state_code_for_name

__all__ = ["ConapoRow", "ConapoTable", "PopulationValue", "combine_sexes", "read_conapo"]

LEVELS = ("municipal", "state")
SEXES = ("total", "men", "women")
_SEX_WORDS = {
    "total": "total",
    "hombres": "men",
    "hombre": "men",
    "men": "men",
    "male": "men",
    "mujeres": "women",
    "mujer": "women",
    "women": "women",
    "female": "women",
}
_YEAR = re.compile(r"^\d{4}$")
_COUNT = re.compile(r"^\d+$")


class ConapoRow(NamedTuple):
    """One area-year value; ``line`` is where it came from, for error messages."""

    code: str
    state_name: str
    municipality_name: str | None
    year: int
    value: int
    line: int
    column: int


@dataclass(frozen=True)
class ConapoTable:
    path: Path
    level: str
    """``"municipal"`` or ``"state"``."""
    sex: str
    """``"total"``, ``"men"`` or ``"women"``."""
    encoding: str
    years: tuple[int, ...]
    rows: tuple[ConapoRow, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.code for row in self.rows))


def read_conapo(path: str | Path, *, sex: str | None = None) -> ConapoTable:
    """Read and validate one CONAPO wide table (municipal or state, one sex)."""
    path = Path(path)
    text, encoding = read_text(path)
    records = csv.reader(io.StringIO(text, newline=""))
    header = next(records, None)
    level, first_year_column = _level(path, header)
    years = tuple(int(name) for name in header[first_year_column:])
    sex = sex or _sex_from_name(path)
    if sex not in SEXES:
        raise SourceError(
            _("Unknown sex “%(sex)s”; use total, men or women.") % {"sex": sex}, file=path
        )
    rows: list[ConapoRow] = []
    first_line: dict[str, int] = {}
    for record in records:
        line = records.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise SourceError(
                _("The row has %(found)d columns; the header has %(expected)d.")
                % {"found": len(record), "expected": len(header)},
                file=path,
                line=line,
            )
        code, state_name, municipality_name = _area(path, line, level, record)
        if code in first_line:
            raise SourceError(
                _("The area %(code)s appears twice: lines %(a)d and %(b)d.")
                % {"code": code, "a": first_line[code], "b": line},
                file=path,
                line=line,
            )
        first_line[code] = line
        for column, (year, cell) in enumerate(
            zip(years, record[first_year_column:], strict=True), start=first_year_column + 1
        ):
            value = cell.strip()
            if not _COUNT.match(value):
                raise SourceError(
                    _("“%(value)s” is not a population count (a whole number, 0 or more).")
                    % {"value": cell},
                    file=path,
                    line=line,
                    column=column,
                    field=str(year),
                )
            rows.append(
                ConapoRow(code, state_name, municipality_name, year, int(value), line, column)
            )
    if not rows:
        raise SourceError(_("The table has no rows."), file=path)
    return ConapoTable(path, level, sex, encoding, years, tuple(rows))


def _expected_columns() -> str:
    return _(
        "CVE, Entidad, Municipio and one column per year (1990 … 2040) for municipalities, "
        "or ENTIDAD and one column per year (1970 … 2070) for states"
    )


def _level(path: Path, header: list[str] | None) -> tuple[str, int]:
    names = [cell.strip().casefold() for cell in header or []]
    if names[:3] == ["cve", "entidad", "municipio"]:
        level, first = "municipal", 3
    elif names[:1] == ["entidad"]:
        level, first = "state", 1
    else:
        level, first = None, 0
    year_columns = names[first:]
    if level is None or not year_columns or not all(_YEAR.match(n) for n in year_columns):
        found = ", ".join(cell.strip() for cell in (header or [])[:6]) or _("nothing")
        if header and len(header) > 6:
            found += ", …"
        raise SourceError(
            _(
                "This is not a CONAPO population table. Expected the columns %(expected)s; "
                "found: %(found)s."
            )
            % {"expected": _expected_columns(), "found": found},
            file=path,
            line=1,
        )
    return level, first


def _sex_from_name(path: Path) -> str:
    for word in re.split(r"[^a-z]+", path.stem.casefold()):
        if word in _SEX_WORDS:
            return _SEX_WORDS[word]
    # CONAPO's wide tables are totals unless the name says otherwise.
    return "total"


def _area(path: Path, line: int, level: str, record: list[str]) -> tuple[str, str, str | None]:
    if level == "municipal":
        code = record[0].strip()
        if code.isdigit() and len(code) < 5:
            # A spreadsheet round trip drops the leading zero (1001 for 01001).
            code = code.zfill(5)
        if not (code.isdigit() and len(code) == 5):
            raise SourceError(
                _("“%(code)s” is not a municipality code (CVEGEO, five digits).")
                % {"code": record[0]},
                file=path,
                line=line,
                column=1,
                field="CVE",
            )
        if state_by_code(code[:2]) is None:
            raise SourceError(
                _("“%(code)s” starts with %(state)s, which is not a state code (01 to 32).")
                % {"code": code, "state": code[:2]},
                file=path,
                line=line,
                column=1,
                field="CVE",
            )
        return code, record[1].strip(), record[2].strip()
    name = record[0].strip()
    code = state_code_for_name(name)
    if code is None:
        raise SourceError(
            _("Unknown state “%(name)s”.") % {"name": name},
            file=path,
            line=line,
            column=1,
            field="ENTIDAD",
        )
    return code, name, None


class PopulationValue(NamedTuple):
    """Total, men and women of one area and year, joined across the files of each sex."""

    level: str
    code: str
    state_name: str
    municipality_name: str | None
    year: int
    total: int
    men: int | None
    women: int | None


def combine_sexes(
    tables: Iterable[ConapoTable], *, years: Iterable[int] | None = None
) -> list[PopulationValue]:
    """Join the total, men and women tables of each level into one value per area-year.

    Where all three are given, men + women must equal the total (CONAPO's tables agree to
    the person); a table of totals may be left out when both sexes are given.
    """
    keep = None if years is None else set(years)
    by_kind: dict[tuple[str, str], ConapoTable] = {}
    for table in tables:
        kind = (table.level, table.sex)
        if kind in by_kind:
            raise SourceError(
                _("Two files hold the same table (%(level)s, %(sex)s): %(a)s and %(b)s.")
                % {
                    "level": table.level,
                    "sex": table.sex,
                    "a": by_kind[kind].path.name,
                    "b": table.path.name,
                },
                file=table.path,
            )
        by_kind[kind] = table
    values: list[PopulationValue] = []
    for level in LEVELS:
        sexes = {sex: by_kind[(level, sex)] for sex in SEXES if (level, sex) in by_kind}
        if not sexes:
            continue
        if "total" not in sexes and len(sexes) < 2:
            only = next(iter(sexes.values()))
            raise SourceError(
                _(
                    "Population needs the table of totals, or both the men and the women "
                    "tables; only the %(sex)s table was given."
                )
                % {"sex": only.sex},
                file=only.path,
            )
        cells = {
            sex: {
                (row.code, row.year): row for row in table.rows if keep is None or row.year in keep
            }
            for sex, table in sexes.items()
        }
        keys = dict.fromkeys(key for rows in cells.values() for key in rows)
        for key in keys:
            total, men, women = (cells.get(sex, {}).get(key) for sex in SEXES)
            described = total or men or women
            men_value = men.value if men else None
            women_value = women.value if women else None
            if total is None:
                if men is None or women is None:
                    given = "men" if men else "women"
                    raise SourceError(
                        _(
                            "The area %(code)s has no total for %(year)d, and the %(other)s "
                            "value is missing too."
                        )
                        % {
                            "code": key[0],
                            "year": key[1],
                            "other": _("women") if men else _("men"),
                        },
                        file=sexes[given].path,
                        line=described.line,
                    )
                total_value = men_value + women_value
            else:
                total_value = total.value
                if men and women and men_value + women_value != total_value:
                    raise SourceError(
                        _(
                            "Men (%(men)d, %(men_file)s line %(men_line)d) plus women "
                            "(%(women)d, %(women_file)s line %(women_line)d) make %(sum)d, "
                            "but the total is %(total)d."
                        )
                        % {
                            "men": men_value,
                            "men_file": sexes["men"].path.name,
                            "men_line": men.line,
                            "women": women_value,
                            "women_file": sexes["women"].path.name,
                            "women_line": women.line,
                            "sum": men_value + women_value,
                            "total": total_value,
                        },
                        file=sexes["total"].path,
                        line=total.line,
                        column=total.column,
                        field=str(total.year),
                    )
            values.append(
                PopulationValue(
                    level,
                    key[0],
                    described.state_name,
                    described.municipality_name,
                    key[1],
                    total_value,
                    men_value,
                    women_value,
                )
            )
    return values
