"""Loading the indicator catalogue and the targets from CSV, all or nothing.

The catalogue file describes each indicator in Spanish and English and names the
computation that produces it; the default catalogue (``data/indicators.csv``) reproduces
the program fact sheet's indicators.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.audit.services import Action, record
from civica.core.imports import ImportSummary, RowError, Written, import_records, write_rows
from civica.indicators import registry
from civica.monitoring import csvfiles
from civica.monitoring.models import Direction, Indicator, Target
from civica.monitoring.periods import parse_period
from civica.territory.models import Municipality, State

__all__ = [
    "INDICATOR_COLUMNS",
    "TARGET_COLUMNS",
    "default_catalogue_path",
    "load_indicators_csv",
    "load_targets_csv",
]

INDICATOR_COLUMNS = (
    "code",
    "name_es",
    "name_en",
    "definition_es",
    "definition_en",
    "unit",
    "numerator",
    "denominator",
    "disaggregations",
    "direction",
    "data_source",
    "computation",
    "parameters",
    "disclosure_control",
    "statement_es",
    "statement_en",
)
REQUIRED_INDICATOR_COLUMNS = (
    "code",
    "name_es",
    "name_en",
    "definition_es",
    "definition_en",
    "unit",
    "direction",
    "data_source",
    "computation",
)
TARGET_COLUMNS = ("indicator", "period", "territory", "value")
_TRUE = {"yes", "true", "1", "sí", "si"}
_FALSE = {"no", "false", "0", ""}


def default_catalogue_path() -> Path:
    return Path(str(resources.files("civica.monitoring") / "data" / "indicators.csv"))


def _parameters(text: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise RowError(
            "parameters",
            _('not valid JSON (%(error)s); write e.g. {"component": "civic_justice"}.')
            % {"error": error.msg},
        ) from None
    if not isinstance(value, dict):
        raise RowError("parameters", _("write the parameters as a JSON object {…}."))
    return value


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise RowError("disclosure_control", _("write yes or no, not “%(value)s”.") % {"value": text})


def load_indicators_csv(*, path, actor=SYSTEM) -> ImportSummary:
    """Create or update indicators by code. Unknown computation names or parameters,
    duplicate codes and bad directions refuse the whole file."""
    path = Path(path)
    seen: dict[str, int] = {}

    def write(rows) -> Written:
        numbered = [(line, row, order) for order, (line, row) in enumerate(rows, start=1)]
        return write_rows(
            numbered,
            lambda line, row, order: _indicator(row, line, order, seen, actor, path.name),
        )

    return import_records(
        dataset="monitoring.Indicator",
        what=_("indicators"),
        source=path,
        known=INDICATOR_COLUMNS,
        required=REQUIRED_INDICATOR_COLUMNS,
        actor=actor,
        stage=list,
        write=write,
    )


def _indicator(row: dict, line: int, order: int, seen: dict, actor, source: str) -> bool:
    code = csvfiles.required_text(row, "code")
    if code in seen:
        raise RowError(
            "code",
            _("the code “%(code)s” is already used on line %(line)d; codes are unique.")
            % {"code": code, "line": seen[code]},
        )
    seen[code] = line
    if row.get("direction", "") not in Direction.values:
        raise RowError(
            "direction",
            _("write %(choices)s, not “%(value)s”.")
            % {"choices": " or ".join(Direction.values), "value": row["direction"]},
        )
    parameters = _parameters(row.get("parameters", ""))
    try:
        registry.check(row["computation"], parameters)
    except ValueError as error:
        raise RowError("computation", str(error)) from None
    indicator = Indicator.objects.filter(code=code).first() or Indicator(code=code)
    created = indicator.pk is None
    for column in INDICATOR_COLUMNS[1:]:
        if column in ("parameters", "disaggregations", "disclosure_control"):
            continue
        setattr(indicator, column, row.get(column, ""))
    indicator.parameters = parameters
    indicator.disaggregations = csvfiles.split(row.get("disaggregations", ""))
    indicator.disclosure_control = _flag(row.get("disclosure_control", ""))
    indicator.order = order
    csvfiles.full_clean(indicator, {})
    indicator.save()
    record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=indicator,
        detail={"file": source, "line": line},
    )
    return created


def _territory(text: str) -> tuple[State | None, Municipality | None]:
    if not text:
        return None, None
    if len(text) == 2:
        state = State.objects.filter(code=text).first()
        if state is None:
            raise RowError("territory", _("no state with code “%(value)s”.") % {"value": text})
        return state, None
    municipality = Municipality.objects.filter(cvegeo=text).first()
    if municipality is None:
        raise RowError(
            "territory",
            _(
                "no municipality with CVEGEO “%(value)s”; leave empty for the whole program, "
                "or give a two-digit state or five-digit municipality code."
            )
            % {"value": text},
        )
    return None, municipality


def load_targets_csv(*, path, actor=SYSTEM) -> ImportSummary:
    """Create or update targets. Columns: indicator (code), period (FY2023, FY2023Q1,
    2023Q1, 2023…), territory (empty, INEGI state or municipality code), value."""
    path = Path(path)
    seen: dict[tuple, int] = {}

    def write(rows) -> Written:
        return write_rows(rows, lambda line, row: _target(row, line, seen, actor, path.name))

    return import_records(
        dataset="monitoring.Target",
        what=_("targets"),
        source=path,
        known=TARGET_COLUMNS,
        required=TARGET_COLUMNS,
        actor=actor,
        stage=list,
        write=write,
    )


def _target(row: dict, line: int, seen: dict, actor, source: str) -> bool:
    code = csvfiles.required_text(row, "indicator")
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise RowError(
            "indicator",
            _("no indicator with code “%(value)s” in the catalogue.") % {"value": code},
        )
    try:
        period = parse_period(csvfiles.required_text(row, "period")).label
    except ValueError as error:
        raise RowError("period", str(error)) from None
    state, municipality = _territory(row.get("territory", ""))
    key = (code, period, row.get("territory", ""))
    if key in seen:
        raise RowError(
            "period",
            _("this target repeats line %(line)d (same indicator, period, territory).")
            % {"line": seen[key]},
        )
    seen[key] = line
    try:
        value = float(csvfiles.required_text(row, "value"))
    except ValueError:
        raise RowError(
            "value", _("“%(value)s” is not a number.") % {"value": row["value"]}
        ) from None
    target, created = Target.objects.update_or_create(
        indicator=indicator,
        period=period,
        state=state,
        municipality=municipality,
        defaults={"value": value},
    )
    record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=target,
        detail={"file": source, "line": line},
    )
    return created
