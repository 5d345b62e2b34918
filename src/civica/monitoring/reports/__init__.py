"""Reports built on the program records: indicator rows and their statuses (``report``), the
fact sheet (``factsheet``, HTML and PDF), exports (CSV, XLSX, DHIS2), the coverage map
(``maps``), the reach chart (``reach_chart``) and the people behind a figure (``people``).

Reports read the records (``civica.monitoring`` models, selectors, status) and the indicator
registry; no module of the records imports a report
(``core/tests/test_import_graph.py``). Pages (``views.py``, ``people_views.py``), the jobs
(``jobs.py``), the API and the command line use both.
"""
