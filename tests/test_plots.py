"""Charts are checked against what they drew."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from partnerlib import plots

SCORES = pd.DataFrame({
    "principle": ["Trust", "Respect", "Accountability", "Secret"],
    "current": [3.5, 4.4, 2.6, np.nan], "importance": [4.5, 3.9, 4.6, np.nan],
    "band": pd.Categorical(["borderline", "strength", "concern", None], categories=["strength", "borderline", "concern"]),
    "suppressed": [False, False, False, True],
})


def test_quadrant_draws_each_principle_at_its_scores():
    fig, ax = plt.subplots()
    out = plots.strengths_gaps(SCORES, ax=ax)
    assert out is ax
    points = {tuple(np.round(xy, 6)) for coll in ax.collections for xy in coll.get_offsets()}
    assert points == {(3.5, 4.5), (4.4, 3.9), (2.6, 4.6)}
    colours = {coll.get_label(): tuple(coll.get_facecolor()[0][:3]) for coll in ax.collections}
    assert set(colours) == {"strength", "borderline", "concern"}
    labels = {t.get_text(): t.xy for t in ax.texts if hasattr(t, "xy")}
    assert labels["Trust"] == (3.5, 4.5) and "Secret" not in labels
    vline = [l for l in ax.lines if l.get_xdata()[0] == l.get_xdata()[1]][0]
    assert vline.get_xdata()[0] == pytest.approx((3.5 + 4.4 + 2.6) / 3)
    hline = [l for l in ax.lines if l.get_ydata()[0] == l.get_ydata()[1]][0]
    assert hline.get_ydata()[0] == pytest.approx((4.5 + 3.9 + 4.6) / 3)
    notes = [t.get_text() for t in ax.texts if not hasattr(t, "xy")]
    assert notes == ["too few responses: Secret"]


def test_quadrant_draws_on_current_axes_by_default():
    fig, (a, b) = plt.subplots(1, 2)
    plt.sca(b)
    assert plots.strengths_gaps(SCORES) is b
    assert len(a.collections) == 0


def test_all_suppressed_says_so():
    ax = plots.strengths_gaps(SCORES.iloc[[3]])
    assert [t.get_text() for t in ax.texts] == ["too few responses: Secret", "too few responses"]
