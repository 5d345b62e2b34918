"""The error an evaluation raises, in a module that imports nothing heavy (the method registry
and every caller can name it without loading shapely, pandas or SciPy)."""

from civica.errors import DataQuestionError


class EvaluationError(DataQuestionError):
    """An evaluation the design or the data cannot support; the message says what to change."""
