"""A long stage reports its own units ("batch 3 of 10") through ``progress.within``: the job's
bar moves inside the stage, and its step names the stage and the count."""

from django.utils import translation

from civica.jobs.progress import STAGE_STEPS, within


def test_a_stage_moves_the_bar_within_its_share_and_names_its_units():
    seen = []
    report = within(lambda *args: seen.append(args), 1, 2, "Writing the rows", unit="batch")
    with translation.override("en"):
        report(0, 10)
        report(3, 10)
        report(10, 10)
    assert [done for done, _total, _step in seen] == [1000, 1300, 2000]
    assert {total for _done, total, _step in seen} == {2 * STAGE_STEPS}
    assert seen[1][2] == "Writing the rows · batch 3 of 10"


def test_without_a_unit_the_step_is_a_count_and_a_given_step_wins():
    seen = []
    report = within(lambda *args: seen.append(args), 0, 1, "Placebos")
    with translation.override("es-mx"):
        report(4, 45)
        report(5, 45, "Tijuana")
        report(0, None)
    assert seen[0] == (round(4 / 45 * STAGE_STEPS), STAGE_STEPS, "Placebos · 4 de 45")
    assert seen[1][2] == "Placebos · Tijuana"
    assert seen[2] == (0, STAGE_STEPS, "Placebos")
