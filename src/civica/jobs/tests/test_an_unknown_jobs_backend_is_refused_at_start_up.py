from civica.jobs.checks import check_jobs_backend


def test_an_unknown_backend_is_error_e020(settings):
    settings.CIVICA_JOBS_BACKEND = "celery"
    assert [error.id for error in check_jobs_backend()] == ["civica.E020"]
    settings.CIVICA_JOBS_BACKEND = "rq"
    assert check_jobs_backend() == []
