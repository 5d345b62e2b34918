"""Boundaries drawn as SVG: the outlines are projected once per set of boundaries, and a
changed boundary or size is drawn anew (the colours and labels always follow the call)."""

import json

from civica.territory import svg


def _square(x0: float, y0: float, side: float) -> str:
    ring = [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_two_squares_side_by_side_fill_the_drawing_by_hand():
    left, right = _square(0, 0, 1), _square(1, 0, 1)
    drawn = svg.render(
        [svg.SvgShape(left, "A", "/a", "q1"), svg.SvgShape(right, "B", "/b", "q2")],
        width=200,
        height=100,
    )
    # Two degrees wide at the equator by one high: scale 100 px per degree × 0.96, centred.
    assert [p["d"] for p in drawn["paths"]] == [
        "M4,98 L100,98 L100,2 L4,2 L4,98 Z",
        "M100,98 L196,98 L196,2 L100,2 L100,98 Z",
    ]
    assert [(p["label"], p["href"], p["cls"]) for p in drawn["paths"]] == [
        ("A", "/a", "q1"),
        ("B", "/b", "q2"),
    ]


def test_the_same_boundaries_are_parsed_once_and_new_labels_still_apply(monkeypatch):
    svg._outlines.cache_clear()
    parsed = []
    real = svg.json.loads
    monkeypatch.setattr(svg.json, "loads", lambda text: parsed.append(text) or real(text))
    shapes = [_square(0, 0, 1), _square(1, 0, 1)]
    first = svg.render([svg.SvgShape(g, "uno", css_class="q1") for g in shapes])
    again = svg.render([svg.SvgShape(g, "dos", css_class="q5") for g in shapes])
    assert len(parsed) == 2
    assert [p["d"] for p in first["paths"]] == [p["d"] for p in again["paths"]]
    assert {p["label"] for p in again["paths"]} == {"dos"}
    assert {p["cls"] for p in again["paths"]} == {"q5"}
    moved = svg.render([svg.SvgShape(_square(0, 0, 2), "tres"), svg.SvgShape(shapes[1], "x")])
    assert len(parsed) == 4 and moved["paths"][0]["d"] != first["paths"][0]["d"]


def test_shapes_without_a_boundary_are_left_out_and_none_draws_nothing():
    assert svg.render([svg.SvgShape("", "vacío")])["paths"] == []
    drawn = svg.render([svg.SvgShape("", "vacío"), svg.SvgShape(_square(0, 0, 1), "A")])
    assert [p["label"] for p in drawn["paths"]] == ["A"]
