"""Printing result tables as a plain table, CSV or JSON (``--format``)."""

from __future__ import annotations

import json
import math
import sys

import click
from django.utils.translation import gettext as _

from civica import tables
from civica.tables import csv_value

FORMATS = ["table", "csv", "json"]

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output as an aligned table, CSV or JSON.",
)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def emit(rows: list[dict], fmt: str, *, meta: dict | None = None) -> None:
    """Write ``rows`` (all with the same keys) to standard output in ``fmt``."""
    if fmt == "json":
        clean = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in rows
        ]
        click.echo(
            json.dumps({**(meta or {}), "rows": clean}, ensure_ascii=False, indent=1, default=str)
        )
        return
    if not rows:
        click.echo(_("(no results)") if fmt == "table" else "")
        return
    columns = list(rows[0])
    if fmt == "csv":
        writer = tables.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_value(row[c]) for c in columns])
        return
    for key, value in (meta or {}).items():
        click.echo(f"# {key}: {value}")
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    # Numbers line up on the right, words on the left.
    numeric = [
        all(isinstance(row[c], int | float) or row[c] is None for row in rows) for c in columns
    ]

    def line(values):
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    click.echo(line(columns))
    for r in cells:
        click.echo(line(r))
