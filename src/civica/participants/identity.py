"""Pseudonymous ids, blind indexes and age bands: how a person is found and counted without
reading their personal fields.

* The **pseudonymous id** (``P-7K3Q9X``) is drawn at random from 31 unambiguous characters
  (no 0/O, 1/I/L): about 887 million values, so ids are neither sequential nor guessable.
* A **blind index** is HMAC-SHA256 over a normalised value with ``CIVICA_INDEX_KEY``: equal
  inputs give equal indexes, so a CURP already registered is found with an indexed equality
  look-up, while the index alone reveals nothing without the key (a plain hash of a CURP
  would be reversed by enumerating the CURP space).
* The **birth month index** (``year × 12 + month − 1``) is the one derived column kept in
  clear for counting: it places a person in an age band at any date with integer arithmetic
  in SQL, and is coarser than the encrypted birth date (the day is dropped).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata

from django.conf import settings

__all__ = [
    "AGE_BANDS",
    "PID_ALPHABET",
    "age_band",
    "age_band_of_months",
    "birth_month_index",
    "birth_year_index",
    "blind_index",
    "month_index",
    "new_pid",
    "normalize_curp",
    "normalize_name",
]

PID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PID_LENGTH = 6
PID_PATTERN = r"P-[2-9A-HJKMNP-Z]{6}"

# USAID's disaggregation of person-level indicators (DOMAIN.md §6); ages in months so the
# bands can be computed in SQL from the birth month index. Below 10 is outside the program's
# youth range and counted apart.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("<10", 0, 120),
    ("10-14", 120, 180),
    ("15-17", 180, 216),
    ("18-19", 216, 240),
    ("20-24", 240, 300),
    ("25-29", 300, 360),
    ("30+", 360, None),
)
UNKNOWN_AGE = "unknown"

_CURP = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d$")


def new_pid() -> str:
    return "P-" + "".join(secrets.choice(PID_ALPHABET) for _ in range(PID_LENGTH))


def normalize_curp(value: str) -> str:
    """Upper-case, spaces removed; raises ``ValueError`` when it is not shaped like a CURP."""
    curp = re.sub(r"\s+", "", value or "").upper()
    if not _CURP.match(curp):
        raise ValueError(curp)
    return curp


def normalize_name(value: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z ]", " ", letters.lower()).split())


def blind_index(kind: str, value: str) -> str:
    """Keyed HMAC-SHA256 of ``kind:value`` (hex). ``kind`` separates the index families."""
    key = settings.CIVICA_INDEX_KEY
    if not key:
        raise RuntimeError("CIVICA_INDEX_KEY is empty: persons cannot be indexed.")
    message = f"{kind}:{value}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def birth_year_index(year: int, municipality_id: int) -> str:
    """Blind index of (birth year, municipality): narrows the typo-tolerant duplicate search
    to a few dozen persons whose names are then decrypted and compared."""
    return blind_index("birth-year", f"{year}|{municipality_id}")


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def birth_month_index(birth_date: dt.date | None) -> int | None:
    return None if birth_date is None else month_index(birth_date)


def age_band_of_months(months: int | None) -> str:
    """The band of an age given in whole months (``None`` for an unknown birth date)."""
    if months is None:
        return UNKNOWN_AGE
    for label, low, high in AGE_BANDS:
        if months >= low and (high is None or months < high):
            return label
    return UNKNOWN_AGE


def age_band(birth_index: int | None, on: dt.date) -> str:
    """Band at date ``on``. Month precision: in the birth month the birthday counts as passed."""
    if birth_index is None:
        return UNKNOWN_AGE
    return age_band_of_months(month_index(on) - birth_index)


def age_years(birth_date: dt.date, on: dt.date) -> int:
    """Exact age in whole years (from the decrypted birth date, for the person's own page)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
