"""Readers of the official files on local police (no Django).

Six files, each recognised by its header (``read_police_file``):

* ``staff`` — INEGI CNGMD 2021, module 3, section I, question 2 (``m3s1p2_cngmd2021.csv``):
  personnel of the municipal public-security institutions at 31 Dec 2020 by municipality,
  category code (1–9) and sex. Columns ``ubicageo_c, orgapoli_e, sexostt, sexos1, sexos2``.
* ``budget`` — CNGMD 2021 ``m3s1p74b``: pesos exercised in 2020 by chapter of the
  Clasificador por Objeto del Gasto (``capobg1`` … ``capobg9``, ``capobgne``).
* ``funds`` — CNGMD 2021 ``m3s1p75``: resources received from other orders of government
  (``aniorefe_a, rensnn1, nombre1, totalca1``), the fund's name as written and a normalised
  fund (FORTAMUN, FORTASEG, FASP or other).
* ``calls`` — CNGMD 2021 tabulado of emergency calls received by municipal institutions in
  2020 (national, state and municipal rows; numbers with space thousands separators).
* ``state_income`` — INEGI CNSPE 2022: state police by gross monthly income band (2021).
* ``family_violence_911`` — SESNSP 9-1-1 calls on family violence by state and month.

INEGI's status codes are kept, never turned into numbers: ``NA`` (no aplica), ``ND`` (no
disponible), ``NSS`` (no se sabe) and, in tabulados, ``-`` (cero o no aplica). A count with a
status is NULL and its ``status`` column says why. Every error names file, line and column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from civica.sources._files import read_text
from civica.sources.errors import SourceError
from civica.sources.errors import message as _
from civica.sources.inegi_states import state_by_code

__all__ = [
    "KINDS",
    "STATUS_CODES",
    "PoliceFile",
    "normalise_fund",
    "read_police_file",
]

STATUS_CODES = ("NA", "ND", "NSS", "-")
KINDS = ("staff", "budget", "funds", "calls", "state_income", "family_violence_911")

_STAFF = ["ubicageo_c", "orgapoli_e", "sexostt", "sexos1", "sexos2"]
_BUDGET = ["ubicageo_c", *[f"capobg{i}" for i in range(1, 10)], "capobgne"]
_FUNDS = ["ubicageo_c", "aniorefe_a", "rensnn1", "nombre1", "totalca1"]
_CALLS = [
    "clave entidad",
    "entidad federativa",
    "clave municipio",
    "municipio",
    "total",
    "procedentes",
    "improcedentes",
    "otro",
    "no especificado",
]
_INCOME = ["clave", "entidad federativa", "codigo", "rango de ingresos", "total"]
_FAMILY_911 = ["cve_entidad", "entidad", "ano", "mes", "cve_mes", "fecha"]
_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        start=1,
    )
}
_INTEGER = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class PoliceFile:
    """What a reader found: the kind, the tidy frame, the census round and how it was read."""

    path: Path
    kind: str
    frame: pd.DataFrame
    cut: str  # the vintage: census round (YYYY) or last month (YYYY-MM)
    encoding: str
    rows: int  # data lines read


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _kind_of(header: list[str]) -> str | None:
    folded = [_fold(h) for h in header]
    if folded == _STAFF:
        return "staff"
    if folded == _BUDGET:
        return "budget"
    if folded == _FUNDS:
        return "funds"
    if folded == _CALLS:
        return "calls"
    if folded == _INCOME:
        return "state_income"
    if folded[: len(_FAMILY_911)] == _FAMILY_911 and "vio_fam_911_mensual" in folded:
        return "family_violence_911"
    return None


class _Cells:
    """Parsing of one file's cells with the file, line and column in every error."""

    def __init__(self, path: Path, header: list[str]):
        self.path = path
        self.columns = {_fold(name): index for index, name in enumerate(header)}
        self.header = header
        self.line = 1
        self.row: list[str] = []

    def error(self, text, column: str | None = None) -> SourceError:
        index = self.columns.get(column) if column else None
        return SourceError(
            text,
            file=self.path,
            line=self.line,
            column=None if index is None else index + 1,
            field=None if index is None else self.header[index].strip(),
        )

    def raw(self, column: str) -> str:
        return self.row[self.columns[column]].strip()

    def municipality(self, column: str = "ubicageo_c") -> str:
        value = self.raw(column)
        if not _INTEGER.match(value) or not 1001 <= int(value) <= 32999:
            raise self.error(
                _("“%(value)s” is not an INEGI municipality key (state and three digits).")
                % {"value": value},
                column,
            )
        code = f"{int(value):05d}"
        if state_by_code(code[:2]) is None:
            raise self.error(_("“%(value)s” names no Mexican state.") % {"value": code[:2]}, column)
        return code

    def count(self, column: str, *, statuses=STATUS_CODES) -> tuple[int | None, str]:
        """An integer (spaces between thousands allowed) or a status code (NULL)."""
        value = self.raw(column)
        if value in statuses:
            return None, value
        digits = value.replace(" ", "").replace("\u00a0", "")
        if not _INTEGER.match(digits):
            raise self.error(
                _("“%(value)s” is neither a count nor one of INEGI's codes (%(codes)s).")
                % {"value": value, "codes": ", ".join(statuses)},
                column,
            )
        return int(digits), ""

    def amount(self, column: str) -> tuple[float | None, str]:
        value = self.raw(column)
        if value == "":
            return None, "empty"
        if value in STATUS_CODES:
            return None, value
        if not _NUMBER.match(value):
            raise self.error(
                _("“%(value)s” is neither an amount in pesos nor one of INEGI's codes (%(codes)s).")
                % {"value": value, "codes": ", ".join(STATUS_CODES)},
                column,
            )
        return float(value), ""

    def integer(self, column: str, low: int, high: int) -> int:
        value = self.raw(column)
        if not _INTEGER.match(value) or not low <= int(value) <= high:
            raise self.error(
                _("“%(value)s” is not a whole number from %(low)d to %(high)d.")
                % {"value": value, "low": low, "high": high},
                column,
            )
        return int(value)


def read_police_file(path: Path) -> PoliceFile:
    """Read any of the six files; the kind comes from the header."""
    path = Path(path)
    text, encoding = read_text(path)
    if "\x00" in text:
        raise SourceError(_("The file holds NUL bytes: it is not a text CSV."), file=path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise SourceError(_("The file is empty."), file=path, line=1)
    kind = _kind_of(header)
    if kind is None:
        raise SourceError(
            _(
                "The header is not one of the police files Cívica reads (CNGMD 2021 staff, "
                "budget, funds or calls; CNSPE 2022 income bands; SESNSP 9-1-1 family "
                "violence): %(header)s"
            )
            % {"header": ", ".join(h.strip() for h in header)},
            file=path,
            line=1,
        )
    cells = _Cells(path, header)
    parse = {
        "staff": _staff,
        "budget": _budget,
        "funds": _funds,
        "calls": _calls,
        "state_income": _state_income,
        "family_violence_911": _family_violence,
    }[kind]
    records: list[tuple] = []
    seen: dict[tuple, int] = {}
    lines = 0
    for number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        cells.line, cells.row = number, row
        if len(row) != len(header):
            raise SourceError(
                _("The line has %(found)d cells; the header has %(expected)d.")
                % {"found": len(row), "expected": len(header)},
                file=path,
                line=number,
            )
        lines += 1
        record, key = parse(cells)
        if key in seen:
            raise SourceError(
                _("This line repeats line %(first)d (same area and category).")
                % {"first": seen[key]},
                file=path,
                line=number,
            )
        seen[key] = number
        records.extend(record)
    if not records:
        raise SourceError(_("The file has a header but no data lines."), file=path, line=2)
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS[kind])
    for column in _INTEGER_COLUMNS.get(kind, ()):
        frame[column] = frame[column].astype("Int64")
    cut = _cut(kind, frame)
    return PoliceFile(path=path, kind=kind, frame=frame, cut=cut, encoding=encoding, rows=lines)


_COLUMNS = {
    "staff": [
        "municipality_code",
        "state_code",
        "category",
        "total",
        "men",
        "women",
        "status",
    ],
    "budget": ["municipality_code", "state_code", "chapter", "amount", "status"],
    "funds": [
        "municipality_code",
        "state_code",
        "reference_year",
        "answer",
        "fund_name",
        "fund",
        "amount",
        "status",
    ],
    "calls": [
        "area_code",
        "level",
        "state_code",
        "name",
        "total",
        "genuine",
        "not_genuine",
        "other",
        "unspecified",
        "status",
    ],
    "state_income": ["area_code", "name", "band", "band_label", "persons"],
    "family_violence_911": ["area_code", "name", "year", "month", "calls"],
}
_INTEGER_COLUMNS = {
    "staff": ["total", "men", "women"],
    "calls": ["total", "genuine", "not_genuine", "other", "unspecified"],
    "state_income": ["persons"],
    "family_violence_911": ["calls"],
}


def _cut(kind: str, frame: pd.DataFrame) -> str:
    if kind in ("staff", "budget", "funds", "calls"):
        return "2021"  # CNGMD round of 2021 (reference 2020)
    if kind == "state_income":
        return "2022"  # CNSPE round of 2022 (reference 2021)
    last = frame.sort_values(["year", "month"]).iloc[-1]
    return f"{int(last['year']):04d}-{int(last['month']):02d}"


def _staff(cells: _Cells):
    code = cells.municipality()
    category = cells.integer("orgapoli_e", 1, 9)
    total, status = cells.count("sexostt")
    men, men_status = cells.count("sexos1")
    women, women_status = cells.count("sexos2")
    if total is not None and (men is None or women is None):
        raise cells.error(
            _("The total is a count but the sexes are not: give both or neither."),
            "sexos1" if men is None else "sexos2",
        )
    if total is not None and men + women != total:
        raise cells.error(
            _("Men (%(men)d) and women (%(women)d) do not add up to the total (%(total)d).")
            % {"men": men, "women": women, "total": total},
            "sexostt",
        )
    del men_status, women_status
    return [(code, code[:2], category, total, men, women, status)], (code, category)


def _budget(cells: _Cells):
    code = cells.municipality()
    rows = []
    for index in [*range(1, 10), "ne"]:
        amount, status = cells.amount(f"capobg{index}")
        chapter = f"{index}000" if index != "ne" else "ne"
        rows.append((code, code[:2], chapter, amount, status))
    return rows, (code,)


_FUND_PATTERNS = [
    ("FORTAMUN", re.compile(r"FORTAMUN|FONDO (4|IV)\b|FORTALECIMIENTO DE LOS MUNICIPIOS")),
    ("FORTASEG", re.compile(r"FORTASEG|FORTSEG")),
    ("FASP", re.compile(r"\bFASP\b|APORTACIONES PARA LA SEGURIDAD P")),
]


def normalise_fund(name: str) -> str:
    """FORTAMUN, FORTASEG, FASP, ``several`` (more than one named), ``none`` or ``other``."""
    folded = _fold(name).upper()
    if folded in ("", "NO APLICA", "NO SE SABE", "NO DISPONIBLE"):
        return "none"
    found = [fund for fund, pattern in _FUND_PATTERNS if pattern.search(folded)]
    if len(found) > 1:
        return "several"
    return found[0] if found else "other"


def _funds(cells: _Cells):
    code = cells.municipality()
    year = cells.integer("aniorefe_a", 1, 2)
    answer = cells.integer("rensnn1", 0, 99)
    name = cells.raw("nombre1")
    amount, status = cells.amount("totalca1")
    return [(code, code[:2], year, answer, name, normalise_fund(name), amount, status)], (
        code,
        year,
    )


def _calls(cells: _Cells):
    state = cells.raw("clave entidad")
    municipality = cells.raw("clave municipio")
    if not re.fullmatch(r"\d{2}", state) or (state != "00" and state_by_code(state) is None):
        raise cells.error(
            _("“%(value)s” is not a two-digit state key (00 for the nation).") % {"value": state},
            "clave entidad",
        )
    if not re.fullmatch(r"\d{3}", municipality):
        raise cells.error(
            _("“%(value)s” is not a three-digit municipality key (000 for a total).")
            % {"value": municipality},
            "clave municipio",
        )
    if state == "00":
        area, level = "00", "nation"
    elif municipality == "000":
        area, level = state, "state"
    else:
        area, level = state + municipality, "municipality"
    name = cells.raw("municipio") or cells.raw("entidad federativa")
    values, statuses = [], []
    for column in ["total", "procedentes", "improcedentes", "otro", "no especificado"]:
        value, status = cells.count(column)
        values.append(value)
        statuses.append(status)
    if any(v is not None for v in values):
        # In a row with figures, INEGI's "-" is zero; NA/ND/NSS stay unknown.
        values = [0 if s == "-" else v for v, s in zip(values, statuses, strict=True)]
    total, *parts = values
    known = [p for p in parts if p is not None]
    if total is not None and (
        sum(known) > total or (len(known) == len(parts) and sum(known) != total)
    ):
        raise cells.error(
            _("The parts (%(parts)d) do not add up to the total (%(total)d).")
            % {"parts": sum(known), "total": total},
            "total",
        )
    status = statuses[0] if total is None else ""
    return [(area, level, state if state != "00" else "", name, *values, status)], (area,)


def _state_income(cells: _Cells):
    state = cells.raw("clave")
    if not re.fullmatch(r"\d{2}", state) or (state != "00" and state_by_code(state) is None):
        raise cells.error(
            _("“%(value)s” is not a two-digit state key (00 for the nation).") % {"value": state},
            "clave",
        )
    band = cells.integer("codigo", 0, 16)
    persons, status = cells.count("total", statuses=("-",))
    if status:
        persons = 0  # in CNSPE tabulados "-" is zero
    name = (
        cells.raw("entidad federativa").rstrip("P")
        if state == "09"
        else cells.raw("entidad federativa")
    )
    return [(state, name, band, cells.raw("rango de ingresos"), persons)], (state, band)


def _family_violence(cells: _Cells):
    code = cells.integer("cve_entidad", 1, 33)
    area = "00" if code == 33 else f"{code:02d}"
    year = cells.integer("ano", 2015, 2100)
    month = _MONTHS.get(_fold(cells.raw("mes")))
    if month is None:
        raise cells.error(
            _("“%(value)s” is not a month name in Spanish.") % {"value": cells.raw("mes")},
            "mes",
        )
    calls, status = cells.count("vio_fam_911_mensual", statuses=())
    del status
    return [(area, cells.raw("entidad"), year, month, calls)], (area, year, month)
