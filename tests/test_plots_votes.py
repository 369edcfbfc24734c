"""The dot-vote bars: one bar per principle, as long as its dots, most dots at the top."""

import matplotlib.pyplot as plt
import pandas as pd

from partnerlib.plots import dot_bars


def test_bars_are_sorted_by_dots_and_proposed_principles_are_named():
    data = pd.DataFrame(
        {
            "principle": ["Trust", "Respect", "Accountability"],
            "dots": [2, 5, 0],
            "proposed": pd.array([2, pd.NA, 1], dtype="Int64"),
        }
    )
    fig, ax = plt.subplots()
    dot_bars(data, ax=ax)
    bars = sorted(ax.patches, key=lambda b: -b.get_y())  # top first
    assert [b.get_width() for b in bars] == [5, 2, 0]
    labels = [t.get_text() for t in ax.get_yticklabels()]  # in the order set: top first
    assert labels == ["Respect", "Trust · proposed 2", "Accountability · proposed 1"]
    assert [t.get_text() for t in ax.texts] == [" 5", " 2", " 0"]
    assert "Dots per principle" in {ax.get_title(loc) for loc in ("left", "center", "right")}  # where the theme puts it
    plt.close(fig)
