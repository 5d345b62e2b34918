"""Line charts drawn as SVG on the server: no chart library, no CDN, readable without script.

A chart is a list of series over the same x labels; a ``None`` value is a gap (a month not
reported yet), never drawn as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from civica.tables import number_text

__all__ = ["Series", "StepSeries", "line_chart", "nice_ticks", "step_chart"]

PALETTE = ["#0b5f7a", "#d1495b", "#edae49", "#66a182", "#7b6d8d"]


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0 or math.isnan(top):
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _format(value: float) -> str:
    return number_text(value)


def line_chart(
    x_labels: list[str],
    series: list[Series],
    *,
    width: int = 720,
    height: int = 300,
    label_every: int | None = None,
) -> dict:
    """Geometry for ``includes/line_chart.html``."""
    left, right, top, bottom = 56, 12, 12, 36
    values = [v for s in series for v in s.values if v is not None and not math.isnan(v)]
    ticks = nice_ticks(max(values) if values else 0)
    y_max = ticks[-1] or 1
    n = max(len(x_labels), 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    drawn = []
    for index, s in enumerate(series):
        segments, current = [], []
        for i, value in enumerate(s.values):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(value):.1f}")
        if current:
            segments.append(current)
        drawn.append(
            {
                "label": s.label,
                "color": PALETTE[index % len(PALETTE)],
                "paths": ["M" + " L".join(seg) for seg in segments],
                "points": [
                    {
                        "x": f"{x(i):.1f}",
                        "y": f"{y(v):.1f}",
                        "title": f"{x_labels[i]}: {number_text(v, decimals=1)}",
                    }
                    for i, v in enumerate(s.values)
                    if v is not None and not (isinstance(v, float) and math.isnan(v))
                ],
            }
        )
    every = label_every or max(1, math.ceil(n / 12))
    return {
        "width": width,
        "height": height,
        "series": drawn,
        "y_ticks": [{"y": f"{y(t):.1f}", "label": _format(t)} for t in ticks],
        "x_ticks": [
            {"x": f"{x(i):.1f}", "label": label}
            for i, label in enumerate(x_labels)
            if i % every == 0
        ],
        "plot": {"left": left, "right": width - right, "top": top, "bottom": height - bottom},
        "empty": not values,
    }


@dataclass(frozen=True)
class StepSeries:
    """A step function (e.g. a Kaplan–Meier curve): ``y[i]`` holds from ``x[i]`` to
    ``x[i + 1]`` (the last to the chart's end); ``lower``/``upper`` an optional band."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    lower: tuple[float, ...] | None = None
    upper: tuple[float, ...] | None = None


def step_chart(
    series: list[StepSeries],
    *,
    x_max: float,
    x_ticks: list[tuple[float, str]],
    width: int = 720,
    height: int = 300,
) -> dict:
    """Geometry for ``includes/step_chart.html``: step paths and shaded bands, same axes
    and keys as :func:`line_chart`."""
    left, right, top, bottom = 56, 12, 12, 36
    values = [v for s in series for v in (s.upper or s.y) if v is not None]
    ticks = nice_ticks(max(values) if values else 0)
    y_max = ticks[-1] or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(v: float) -> float:
        return left + plot_w * min(v, x_max) / (x_max or 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    def steps(xs, ys) -> list[tuple[float, float]]:
        points = []
        for i, (a, b) in enumerate(zip(xs, ys, strict=True)):
            if a > x_max:
                break
            end = xs[i + 1] if i + 1 < len(xs) else x_max
            points += [(a, b), (min(end, x_max), b)]
        return points

    drawn = []
    for index, s in enumerate(series):
        line = steps(s.x, s.y)
        band = ""
        if s.lower is not None and s.upper is not None:
            upper, lower = steps(s.x, s.upper), steps(s.x, s.lower)
            band = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in upper + lower[::-1])
        drawn.append(
            {
                "label": s.label,
                "color": PALETTE[index % len(PALETTE)],
                "path": ("M" + " L".join(f"{x(a):.1f},{y(b):.1f}" for a, b in line))
                if line
                else "",
                "band": band,
            }
        )
    return {
        "width": width,
        "height": height,
        "series": drawn,
        "y_ticks": [{"y": f"{y(t):.1f}", "label": _format(t)} for t in ticks],
        "x_ticks": [{"x": f"{x(v):.1f}", "label": label} for v, label in x_ticks if v <= x_max],
        "plot": {"left": left, "right": width - right, "top": top, "bottom": height - bottom},
        "empty": not values,
    }
