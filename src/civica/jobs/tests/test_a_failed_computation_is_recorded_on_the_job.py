"""A question the data cannot answer is shown as it is; any other failure is logged and the
user reads a plain sentence; neither is stored as a result."""

import pytest

from civica.errors import DataQuestionError
from civica.jobs import registry
from civica.jobs.models import CachedResult, Job
from civica.jobs.services import result_of, submit
from civica.jobs.testing import run_queued_jobs
from civica.testing.personas import make_user


def _no_data(user, inputs, progress):
    raise DataQuestionError("No incidents match this selection in your scope.")


def _crash(user, inputs, progress):
    raise RuntimeError("bug")


def _square(user, inputs, progress):
    progress(0, 2, "squaring")
    progress(2, 2, "")
    return {"square": inputs["n"] ** 2}


@pytest.fixture(autouse=True)
def kinds():
    registry.register("test.no_data", compute=_no_data)
    registry.register("test.crash", compute=_crash)
    registry.register("test.square", compute=_square)


@pytest.fixture
def analyst(db):
    return make_user("ana", "analyst", nationwide=True)


def test_a_data_question_is_shown_to_the_user(analyst):
    job = submit(analyst, "test.no_data", {"n": 1})
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.error.startswith("No incidents match")
    assert not CachedResult.objects.filter(key=job.key).exists()
    # Asked again on the same data: the same refusal at once, no second computation.
    again = submit(analyst, "test.no_data", {"n": 1})
    assert again.status == "failed" and again.from_cache and again.error == job.error
    with pytest.raises(DataQuestionError, match="No incidents match"):
        result_of(again)
    assert run_queued_jobs() == 0


def test_a_crash_is_logged_and_said_plainly(analyst, caplog):
    job = submit(analyst, "test.crash", {"n": 1})
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "bug" not in job.error and job.error
    assert any("failed" in record.getMessage() for record in caplog.records)
    # A crash is not an answer: asking again tries again.
    assert submit(analyst, "test.crash", {"n": 1}).status == "queued"


def test_a_result_is_stored_once_and_served_to_the_next_request(analyst):
    job = submit(analyst, "test.square", {"n": 7})
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    again = submit(analyst, "test.square", {"n": 7})
    assert again.from_cache and again.status == "done" and again.id != job.id
    assert CachedResult.objects.get().value == {"square": 49}
    assert Job.objects.filter(status="queued").count() == 0
