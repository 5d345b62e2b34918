"""Private helpers of the spatial modules: notes for the reader, read-only arrays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Note:
    """A remark about a result that the person reading it should see.

    ``code`` is stable (a page words the remark in the user's language from it, through the
    catalogue of :mod:`civica.messages`); ``message`` is the English sentence, also what
    ``str()`` gives; ``params`` are the figures the sentence quotes, by name, so the catalogue
    can word it again in another language.
    """

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def read_only(array: np.ndarray) -> np.ndarray:
    """The array itself, marked read-only (callers pass arrays they own)."""
    array.flags.writeable = False
    return array
