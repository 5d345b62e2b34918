"""Private helpers of the spatial modules: notes for the reader, read-only arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Note:
    """A remark about a result that the person reading it should see.

    ``code`` is stable (a page words the remark in the user's language from it and from the
    figures on the result); ``message`` is the English sentence, also what ``str()`` gives.
    """

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def read_only(array: np.ndarray) -> np.ndarray:
    """The array itself, marked read-only (callers pass arrays they own)."""
    array.flags.writeable = False
    return array
