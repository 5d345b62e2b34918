"""Local overrides of Django's per-language formats (``FORMAT_MODULE_PATH``).

Only what differs from Django's own locale files is written here; everything else falls
through to them.
"""
