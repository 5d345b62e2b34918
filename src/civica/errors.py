"""The error every layer raises for a question the data cannot answer.

Its message is written for the person who asked (in their language); the command line prints
it as one line, pages show it in place of the result, the API answers 404 with it.
"""


class DataQuestionError(ValueError):
    """The data cannot answer this question; the message says why and what to do."""
