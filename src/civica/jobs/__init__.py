"""Background jobs: long work run by a worker, with progress the user who started it sees.

The engine is Django's task framework (the ``django-tasks`` backport on Django 5.2) with the
database backend (``django-tasks-db``) on the embedded default and RQ on Redis for larger
deployments. This app adds what the framework leaves to projects: a record of each job with
its owner and progress, results cached by their inputs, and the page partial that polls.
"""
