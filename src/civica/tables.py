"""How numbers are written in exported tables (CSV, JSON) and p-values everywhere: one rule each;
and how every CSV/XLSX export keeps text from becoming a spreadsheet formula."""

from __future__ import annotations

import csv
import math
import re

__all__ = [
    "csv_value",
    "dict_writer",
    "frame_csv",
    "p_value_text",
    "safe_cell",
    "safe_row",
    "writer",
    "xlsx_append",
]

# A cell a spreadsheet reads as a formula (or as DDE) begins with one of these; tab and
# carriage return too, because some spreadsheets strip them and then see the next character.
# References: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")


def safe_cell(value):
    """``value`` unchanged unless it is text a spreadsheet would run: then with a leading
    apostrophe, which spreadsheets show as text and do not evaluate. Signed numbers written
    as text (``-3.5``) stay as they are."""
    formula = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    return "'" + value if formula and not _NUMBER.match(value) else value


def safe_row(values):
    return [safe_cell(v) for v in values]


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row):
        return self._inner.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def writer(handle, **options):
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""
    return _SafeWriter(csv.writer(handle, **options))


def dict_writer(handle, fieldnames, **options):
    """``csv.DictWriter`` whose every cell goes through :func:`safe_cell`."""
    return _SafeDictWriter(handle, fieldnames, **options)


def frame_csv(frame, path_or_buffer=None, **options):
    """``DataFrame.to_csv`` with every text cell (and column name) through :func:`safe_cell`."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    def text(values) -> bool:
        return is_object_dtype(values.dtype) or is_string_dtype(values.dtype)

    safe = frame.copy()
    for column in safe.columns:
        if text(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(c) if isinstance(c, str) else c for c in safe.columns]
    if text(safe.index):
        safe.index = safe.index.map(safe_cell)
    return safe.to_csv(path_or_buffer, **options)


def csv_value(value):
    """Empty for missing, an integer for whole numbers (counts), full precision otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def number_text(value: float | None, language: str | None = None, *, decimals: int | None = None):
    """A figure as every page writes it in ``language`` (the active one by default): Django's
    locale format with thousands grouped whatever ``USE_THOUSAND_SEPARATOR`` says, so es-MX
    reads ``29,651.5`` (its ``formats.py``) and English the same; whole numbers without
    decimals, others with one unless ``decimals`` says otherwise; ``—`` when missing."""
    from django.conf import settings
    from django.utils import formats, translation

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    # "es" alone would be Spain's format (29.651,5): a prefix means the installed variant.
    language = next(
        (
            code
            for code, _name in settings.LANGUAGES
            if code.split("-")[0] == language.split("-")[0]
        ),
        language,
    )
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    with translation.override(language):
        return formats.number_format(round(value, decimals), decimals, force_grouping=True)


def signed_number_text(value: float | None, language: str | None = None, *, decimals=None):
    """:func:`number_text` with a ``+`` on positive figures (changes: ``+12``, ``-3``)."""
    text = number_text(value, language, decimals=decimals)
    if text != "—" and value > 0 and not text.startswith("+"):
        return "+" + text
    return text


def p_value_text(p: float | None) -> str:
    """A p-value as read: three decimals, and "<0.001" rather than a "0.000" that looks like
    certainty."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def xlsx_append(sheet, values) -> None:
    """Append a row to an openpyxl sheet, text always as text: openpyxl stores a string that
    begins with ``=`` as a formula, which a spreadsheet would run."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
