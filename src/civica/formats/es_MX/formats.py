"""es-MX: forms render dates as ISO 8601 first.

A form widget renders a date with the first of ``DATE_INPUT_FORMATS``. Django's es_MX list
starts with ``%d/%m/%Y``, which an ``<input type="date">`` rejects: the browser shows the field
empty and an unchanged save erases the date. ISO first keeps every date field round-tripping;
the day-first forms stay accepted when typed, and pages still *display* dates with
``DATE_FORMAT``/``SHORT_DATE_FORMAT`` from Django's file.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2006-10-25', what <input type="date"> sends and expects
    "%d/%m/%Y",  # '25/10/2006'
    "%d/%m/%y",  # '25/10/06'
    "%Y%m%d",  # '20061025'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M:%S",  # what <input type="datetime-local"> expects
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
]
