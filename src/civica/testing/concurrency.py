"""Two database writers at once, for the tests that show one does not wait for the other."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, connections, transaction

__all__ = ["write_while_another_is_open"]


def write_while_another_is_open(
    first: Callable[[], object], second: Callable[[], object], *, lock_timeout: str = "2s"
) -> list[BaseException]:
    """Run ``first`` in a transaction that stays open until ``second`` — in another
    transaction, on another connection, with PostgreSQL's ``lock_timeout`` — has finished;
    the errors either raised (none: the second did not wait for the first's commit)."""
    first_wrote, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_wrote.set()
                # Still open: the second writer must get through meanwhile.
                assert second_done.wait(10), "the second writer did not finish"
        except BaseException as error:
            errors.append(error)
            first_wrote.set()
        finally:
            connections.close_all()

    def run_second():
        try:
            assert first_wrote.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
                second()
        except BaseException as error:
            errors.append(error)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors
