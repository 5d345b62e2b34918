"""PostgreSQL counts the changes of an app without a row two writers both update
(``civica.monitoring.kept``): two transactions writing the same app's records at once do not
wait for each other, a change is counted only once committed, and folding an app's rows keeps
its version. With one counter row per app the second writer waited for the first's commit
(here: failed on its ``lock_timeout``)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from civica.monitoring import kept
from civica.monitoring.models import InputChange
from civica.territory.models import State
from civica.testing.concurrency import write_while_another_is_open

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers"),
]


def _version(app: str) -> int:
    return int(kept.input_versions([app])[app])


def test_two_transactions_writing_one_app_do_not_wait_for_each_other():
    kept.install_triggers()
    State.objects.create(code="95", name="Antes")  # the app has counted changes already
    before = _version("territory")
    errors = write_while_another_is_open(
        lambda: State.objects.create(code="97", name="Primero"),
        lambda: State.objects.create(code="98", name="Segundo"),
    )
    assert errors == []
    assert set(State.objects.values_list("code", flat=True)) >= {"97", "98"}
    assert _version("territory") == before + 2


def test_a_change_counts_once_committed_and_folding_keeps_the_version():
    kept.install_triggers()
    before = _version("territory")
    seen_inside: list[int] = []
    wrote, looked = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                State.objects.create(code="96", name="Pendiente")
                wrote.set()
                looked.wait(10)
        finally:
            wrote.set()
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    wrote.wait(10)
    seen_inside.append(_version("territory"))  # another connection, before the commit
    looked.set()
    thread.join(30)
    assert seen_inside == [before]
    assert _version("territory") == before + 1

    InputChange.objects.bulk_create(
        InputChange(app="territory", changes=1) for _ in range(kept.FOLD_AT)
    )
    counted = before + 1 + kept.FOLD_AT
    assert _version("territory") == counted  # read, and folded as it was read
    assert InputChange.objects.filter(app="territory").count() == 1
    assert _version("territory") == counted
