"""The indicator columns of the cases, kept by juzgado and month (:mod:`civica.justice.columns`).

``CaseMonth`` holds, for one juzgado and one local month of presentation, the numbers every
civic-justice figure reads of each case (no name, no birth date: the same grouping keys the
case stores), built from the cases and stamped with the number of changes of that month's
cases counted when the build began. ``CaseMonthChange`` is that count, written by database
triggers on every insert, update and delete of a case (migration 0008), whatever writes it:
a form, an import, ``QuerySet.update`` or plain SQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.justice.models.cases import Juzgado


class CaseMonth(models.Model):
    """The columns of the cases of one juzgado presented in one local month."""

    juzgado = models.ForeignKey(Juzgado, on_delete=models.CASCADE, related_name="+")
    #: ``Case.presented_month``: ``year * 12 + month - 1`` of the local presentation date.
    month = models.IntegerField()
    #: ``columns.LAYOUT`` of the code that built it: another layout is built again.
    layout = models.IntegerField()
    #: The month's count of changes (``CaseMonthChange``) read before the build.
    version = models.BigIntegerField()
    rows = models.IntegerField()
    data = models.BinaryField()
    built_at = models.DateTimeField(auto_now=True)

    #: Kept from the cases, following them by its own count: not an input of the figures
    #: kept by ``civica.monitoring.kept`` (the cases are).
    counts_as_input = False

    class Meta:
        verbose_name = _("kept month of cases")
        verbose_name_plural = _("kept months of cases")
        constraints = [
            models.UniqueConstraint(fields=["juzgado", "month"], name="justice_casemonth_key")
        ]

    def __str__(self) -> str:
        return f"{self.juzgado_id}/{self.month // 12:04d}-{self.month % 12 + 1:02d}"


class CaseMonthChange(models.Model):
    """Changes of the cases of one juzgado and month, counted by the database's triggers.

    PostgreSQL appends one row ``(juzgado, month, 1)`` per statement and month touched, so
    that two writers never wait for each other's commit, and the month's version is the sum
    its reader's snapshot sees (only committed changes); readers fold many rows into one.
    SQLite (one writer at a time) adds one to the month's single row.
    """

    # No foreign key: the triggers write it, and the count outlives nothing it refers to.
    juzgado_id = models.BigIntegerField()
    month = models.IntegerField()
    changes = models.BigIntegerField(default=1)

    counts_as_input = False  # written with the cases' own changes, which count already

    class Meta:
        verbose_name = _("change of a month of cases")
        verbose_name_plural = _("changes of months of cases")
        indexes = [models.Index(fields=["juzgado_id", "month"], name="justice_casemonth_change")]

    def __str__(self) -> str:
        return f"{self.juzgado_id}/{self.month}: {self.changes}"
