"""Cycle charts, checked against what they drew: bar lengths and colours, markers, sparklines, cells, arrows."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import partnerlib as pl
from partnerlib.plots._theme import ALIGNMENT_COLOURS, OUTCOME_COLOURS, STATUS_COLOURS
from partnerlib.plots.kpi import BAR_CAP, SPARK

LONG = ["kpi", "kind", "partner", "period", "actual", "target", "direction", "unit"]


def history():
    rows = []
    for period, a, b, c, d in [("2024", 50, 12, 5, 40), ("2025", 80, 12, 6, 10), ("2026", 85, 9, 7, 25)]:
        rows.append(("Scope delivered", "partnership", "joint", period, a, 90.0, "higher", "%"))
        rows.append(("Resolution days", "goal", "Northwind Health", period, b, 10.0, "lower", "days"))
        rows.append(("Review score", "goal", "joint", period, c, np.nan, "higher", ""))
        rows.append(("Escalations", "goal", "joint", period, d, 10.0, "lower", ""))
    return pd.DataFrame(rows, columns=LONG)


def _title(ax) -> str:
    """The chart's title wherever the theme puts it (``axes.titlelocation``: left once the bundle's theme is set)."""
    return " ".join(ax.get_title(loc=loc) for loc in ("left", "center", "right")).strip()


def test_kpi_scorecard_draws_bars_targets_and_sparklines():
    kpis = history()
    card = pl.kpi_scorecard(kpis, "2026")
    assert card["kpi"].tolist() == ["Resolution days", "Review score", "Escalations", "Scope delivered"]
    _fig, ax = plt.subplots()
    out = pl.plots.kpi_bars(card, kpis, ax=ax)
    assert out is ax
    bars = ax.patches
    # Resolution 9/10 on track; Review score has no target (no bar); Escalations 25/10 cut at the cap; Scope 85/90
    assert [b.get_y() + b.get_height() / 2 for b in bars] == [0, 2, 3]
    assert [b.get_width() for b in bars] == pytest.approx([0.9, BAR_CAP, 85 / 90])
    assert [b.get_facecolor() for b in bars] == [
        to_rgba(STATUS_COLOURS[s]) for s in ("on track", "off track", "off track")
    ]
    targets = next(c for c in ax.collections if c.get_label() == "target")
    assert targets.get_offsets().tolist() == [[1, 0], [1, 2], [1, 3]]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Resolution days (Northwind\nHealth) ↓",  # long names wrapped
        "Review score ↑",
        "Escalations ↓",
        "Scope delivered ↑",
    ]
    values = [t.get_text() for t in ax.texts if t.get_gid() == "kpi-value"]
    assert values == ["9 days  (target 10 days)", "7  no target", "25  (target 10)", "85%  (target 90%)"]
    spark = {line.get_gid(): line for line in ax.lines if (line.get_gid() or "").startswith("trend: ")}
    scope = spark["trend: Scope delivered"]
    assert scope.get_xdata().tolist() == pytest.approx(np.linspace(*SPARK, 3).tolist())
    scaled = (np.array([50, 80, 85]) - 50) / 35  # own range: lowest at the bottom of the row, highest at the top
    assert scope.get_ydata().tolist() == pytest.approx((3 + 0.3 - 0.6 * scaled).tolist())
    assert ax.get_ylim() == (3.5, -0.5)  # first KPI at the top
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["on track", "off track", "no target"]


def test_kpi_scorecard_without_history_and_sparkline_up_to_the_period():
    kpis = history()
    _, ax = plt.subplots()
    pl.plots.kpi_bars(pl.kpi_scorecard(kpis, "2026"), ax=ax)
    assert not [line for line in ax.lines if (line.get_gid() or "").startswith("trend")]
    _fig, ax = plt.subplots()
    pl.plots.kpi_bars(pl.kpi_scorecard(kpis, "2025"), kpis, ax=ax)
    scope = next(line for line in ax.lines if line.get_gid() == "trend: Scope delivered")
    assert len(scope.get_xdata()) == 2  # 2024 and 2025 only
    assert plt.gca() is ax


def alignment():
    nw, cl = "Northwind Health", "Contoso Logistics"
    rows = [
        ("A", nw, nw, 5, 3),
        ("A", nw, cl, 4, 3),
        ("B", cl, nw, 2, 3),
        ("B", cl, cl, 5, 3),
        ("C", "joint", nw, 4, 2),
        ("C", "joint", cl, 4, 2),
    ]
    frame = pd.DataFrame(rows, columns=["objective", "owner", "partner", "importance", "served"])
    return pl.objectives_alignment(frame)


def test_objectives_matrix_draws_each_rating_and_status():
    _fig, ax = plt.subplots()
    out = pl.plots.alignment_matrix(alignment(), ax=ax)
    assert out is ax
    assert np.asarray(ax.images[0].get_array()).tolist() == [[5, 4], [2, 5], [4, 4]]
    assert ax.images[0].get_clim() == (1, 5)
    ratings = [(t.get_position(), t.get_text()) for t in ax.texts if t.get_gid() == "rating"]
    assert ratings == [((0, 0), "5"), ((1, 0), "4"), ((0, 1), "2"), ((1, 1), "5"), ((0, 2), "4"), ((1, 2), "4")]
    status = [t for t in ax.texts if t.get_gid() == "status"]
    assert [t.get_text() for t in status] == ["aligned\n(ratings differ by 1)", "divergent\n(ratings differ by 3)",
                                              "unsupported"]  # fmt: skip
    assert [t.get_color() for t in status] == [ALIGNMENT_COLOURS[s] for s in ("aligned", "divergent", "unsupported")]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Northwind Health", "Contoso Logistics"]
    assert ax.get_yticklabels()[1].get_text() == "B\n(Contoso Logistics)"
    assert "alignment index 33%" in _title(ax)


def test_action_followup_chart_draws_both_gaps_arrows_and_overdue():
    scores = pd.DataFrame(
        {"period": ["2025", "2026", "2025", "2026"], "principle": ["T", "T", "A", "A"], "gap": [1.0, 0.2, 1.5, 1.8]}
    )
    reg = pd.DataFrame(
        {
            "id": ["X1", "X2", "X3"],
            "period": ["2025", "2025", "2026"],
            "principle": ["T", "A", "A"],
            "action": ["Agree a weekly call", "Publish the joint plan on the shared drive every month", "c"],
            "owner": ["o"] * 3,
            "due": pd.to_datetime(["2025-06-01", "2025-09-01", "2026-09-01"]),
            "status": ["done", "in progress", "not started"],
            "notes": [pd.NA] * 3,
        }
    )
    follow = pl.action_followup(reg, scores, as_of="2026-03-01")
    _fig, ax = plt.subplots()
    out = pl.plots.followup_arrows(follow, ax=ax)
    assert out is ax
    created, latest = ax.collections[0], ax.collections[1]
    assert created.get_offsets().tolist() == [[1.0, 0], [1.5, 1], [1.8, 2]]
    assert latest.get_offsets().tolist() == [[0.2, 0], [1.8, 1]]  # X3 is not measured yet: no second point
    assert [tuple(c) for c in latest.get_facecolors()] == [
        to_rgba(OUTCOME_COLOURS["closed"]),
        to_rgba(OUTCOME_COLOURS["widened"]),
    ]
    arrows = [a for a in ax.texts if hasattr(a, "arrow_patch") and a.arrow_patch is not None]
    assert [(a.xy, a.xyann) for a in arrows] == [((0.2, 0), (1.0, 0)), ((1.8, 1), (1.5, 1))]
    # each action says what it is (its text, shortened), its principle, owner and status; its outcome at the right
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "X1 Agree a weekly call\nT · o · done",
        "X2 Publish the joint plan on the s…\nA · o · in progress",
        "X3 c\nA · o · not started",
    ]
    outcomes = [(t.get_text(), t.get_position()[1]) for t in ax.texts if t.get_gid() == "outcome"]
    assert outcomes == [("closed", 0), ("widened, overdue", 1), ("not yet measured", 2)]  # X2 due 2025-09-01
    assert ax.get_yticklabels()[1].get_color() == pl.plots.PALETTE["vermillion"]
    closed_line = next(line for line in ax.lines if line.get_linestyle() == "--")
    assert closed_line.get_xdata()[0] == 0.25
    assert "2026" in _title(ax)
