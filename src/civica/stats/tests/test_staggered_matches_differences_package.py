"""Group-time effects, their summaries and standard errors equal the ``differences`` package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

differences = pytest.importorskip("differences")

# differences 0.3 calls pandas APIs that pandas 3 deprecates; not this project's concern.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")

from civica.stats.staggered import staggered_att  # noqa: E402


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    units, periods = 60, 8
    start = np.where(np.arange(units) < 15, 4, np.where(np.arange(units) < 30, 6, np.nan))
    rows = []
    for i in range(units):
        level = rng.gamma(5, 1)
        for t in range(periods):
            on = not np.isnan(start[i]) and t >= start[i]
            rows.append(
                (f"u{i:02d}", t, rng.poisson(level * (0.8 if on else 1)), start[i], int(on))
            )
    return pd.DataFrame(rows, columns=["unit", "period", "count", "cohort", "treated"])


def _reference(frame, control):
    model = differences.ATTgt(data=frame.set_index(["unit", "period"]), cohort_column="cohort")
    model.fit(formula="count", est_method="reg", control_group=control, progress_bar=False)
    return model


@pytest.mark.parametrize(
    ("control", "theirs"), [("never", "never_treated"), ("not_yet", "not_yet_treated")]
)
def test_every_group_time_cell_and_its_standard_error_agree(frame, control, theirs):
    reference = _reference(frame, theirs).results().droplevel(0, axis=1).droplevel(0, axis=1)
    mine = staggered_att(frame, control=control, small_sample=False).group_time
    assert len(mine) == len(reference)
    for cell, (_, row) in zip(mine, reference.iterrows(), strict=True):
        assert cell.att == pytest.approx(row["ATT"], abs=1e-10)
        assert cell.se == pytest.approx(row["std_error"], rel=1e-6)


@pytest.mark.parametrize(
    ("control", "theirs"), [("never", "never_treated"), ("not_yet", "not_yet_treated")]
)
def test_the_overall_effect_and_the_event_study_agree(frame, control, theirs):
    reference = _reference(frame, theirs)
    mine = staggered_att(frame, control=control, small_sample=False)
    simple = reference.aggregate("simple").droplevel(0, axis=1).droplevel(0, axis=1).iloc[0]
    assert mine.att == pytest.approx(simple["ATT"], abs=1e-10)
    assert mine.se == pytest.approx(simple["std_error"], rel=1e-6)
    event = reference.aggregate("event").droplevel(0, axis=1).droplevel(0, axis=1)
    assert [e.event_time for e in mine.event_study] == event.index.tolist()
    assert [e.att for e in mine.event_study] == pytest.approx(event["ATT"].tolist(), abs=1e-10)
    assert [e.se for e in mine.event_study] == pytest.approx(event["std_error"].tolist(), rel=1e-6)
