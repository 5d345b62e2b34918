"""No page tells a web user to run a command: it says who loads the data, or links to it."""

import re
from pathlib import Path

import civica

COMMAND = re.compile(
    r"\bcivica (?:init|demo|ingest|territory|monitoring|interventions|users|"
    r"participants|analyze|stats|report|fetch|keys|serve|organizations)\b"
)


def test_no_template_names_a_command():
    root = Path(civica.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if COMMAND.search(line)
    ]
    assert not offenders, offenders
