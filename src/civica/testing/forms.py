"""What a browser submits for a form left untouched, read from a page's HTML, and what a
record holds before and after it is posted.

Tests that save a form without changing it (nothing may change, nothing may be audited as
changed) post exactly these values. They follow the HTML rules a browser applies, because
that is where round trips break. A date, time or number input whose value the browser cannot
read is sent empty: ``31/08/2009`` in a date input, ``1,5`` in a number input. A select with
nothing marked sends its first option. Unchecked boxes and disabled fields send nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The value formats an input of each type accepts (the HTML standard's "valid … string");
# anything else, the browser shows and sends as empty.
_READABLE = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "number": re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"),
}
_NOT_SENT = {"submit", "button", "image", "reset", "file"}


class _Form(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.values: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            target = attributes.get("action")
            if self.action is None:  # the page's own form: the first without an action
                self.inside = not target and not self.found
            else:
                self.inside = target == self.action
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        if tag == "input":
            self._input(attributes)
        elif tag == "select" and "disabled" not in attributes:
            self._select = {
                "name": attributes.get("name"),
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {"value": attributes.get("value"), "text": "", "selected": False}
            self._option["selected"] = "selected" in attributes
            self._select["options"].append(self._option)
        elif tag == "textarea" and "disabled" not in attributes:
            self._textarea = {"name": attributes.get("name"), "text": ""}

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            # The parser drops one newline right after <textarea>, as browsers do.
            text = self._textarea["text"]
            text = text[1:] if text.startswith("\n") else text
            if self._textarea["name"]:
                self.values.append((self._textarea["name"], text.replace("\r\n", "\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def _input(self, attributes: dict) -> None:
        name, kind = attributes.get("name"), (attributes.get("type") or "text").lower()
        if not name or kind in _NOT_SENT or "disabled" in attributes:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attributes:
                self.values.append((name, attributes.get("value") or "on"))
            return
        value = attributes.get("value") or ""
        readable = _READABLE.get(kind)
        if readable is not None and value and not readable.fullmatch(value):
            value = ""
        self.values.append((name, value))

    def _close_select(self) -> None:
        select, self._select = self._select, None
        if not select["name"]:
            return
        options = select["options"]
        chosen = [o for o in options if o["selected"]]
        if not chosen and options and not select["multiple"]:
            chosen = [options[0]]
        if not select["multiple"]:
            chosen = chosen[-1:]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.values.append((select["name"], value))


def stored(record) -> dict:
    """What ``record`` holds in the database now: every column and, for each many-to-many
    relation, the sorted keys it points to; to compare before and after a form is posted."""
    fresh = type(record).objects.get(pk=record.pk)
    fields = fresh._meta.concrete_fields
    columns = {field.attname: getattr(fresh, field.attname) for field in fields}
    related = {
        field.name: sorted(getattr(fresh, field.name).values_list("pk", flat=True))
        for field in fresh._meta.many_to_many
    }
    return columns | related


def changed(before: dict, after: dict) -> dict:
    """The entries of two :func:`stored` readings that differ, as ``(before, after)``."""
    return {key: (value, after[key]) for key, value in before.items() if after[key] != value}


def submitted(page_html: str, action: str | None = None) -> dict[str, list[str]]:
    """The values the form posting to ``action`` (by default the first form posting to its
    own page, without an action) sends when submitted untouched, by field name (a list per
    name, as a select of several sends), ready for Django's test client."""
    form = _Form(action)
    form.feed(page_html)
    form.close()
    if not form.found:
        raise AssertionError(f"no form posts to {action or 'its own page'}")
    data: dict[str, list[str]] = {}
    for name, value in form.values:
        data.setdefault(name, []).append(value)
    return data
