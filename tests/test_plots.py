"""Charts are checked against what they drew."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from partnerlib import plots

from .conftest import legend_in_reading_order

SCORES = pd.DataFrame(
    {
        "principle": ["Trust", "Respect", "Accountability", "Secret"],
        "current": [3.5, 4.4, 2.6, np.nan],
        "importance": [4.5, 3.9, 4.6, np.nan],
        "band": pd.Categorical(
            ["borderline", "strength", "concern", None], categories=["strength", "borderline", "concern"]
        ),
        "suppressed": [False, False, False, True],
        "hidden": [None, None, None, "fewer than 5 responses"],
    }
)


def _labels(ax) -> dict:
    return {t.get_text(): t for t in ax.texts if t.get_gid() == "point-label"}


def test_quadrant_draws_each_principle_at_its_scores():
    _fig, ax = plt.subplots()
    out = plots.quadrant_scatter(SCORES, scale=(1, 5), ax=ax)
    assert out is ax
    points = {tuple(np.round(xy, 6)) for coll in ax.collections for xy in coll.get_offsets()}
    assert points == {(3.5, 4.5), (4.4, 3.9), (2.6, 4.6)}
    colours = {coll.get_label(): tuple(coll.get_facecolor()[0][:3]) for coll in ax.collections}
    assert set(colours) == {"strength", "borderline", "concern"}
    assert set(_labels(ax)) == {"Trust", "Respect", "Accountability"}
    # the crosshairs are where principle_scores draws its quadrants: the strength cut-off and the mean importance
    vline = next(ln for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1])
    assert vline.get_xdata()[0] == pytest.approx(4.0)
    hline = next(ln for ln in ax.lines if ln.get_ydata()[0] == ln.get_ydata()[1])
    assert hline.get_ydata()[0] == pytest.approx((4.5 + 3.9 + 4.6) / 3)
    corners = {t.get_text(): t.get_position() for t in ax.texts if t.get_gid() == "quadrant-name"}
    assert corners == {"Concentrate here": (0.015, 0.985), "Keep up the good work": (0.985, 0.985),
                       "Possible overkill": (0.985, 0.015), "Low priority": (0.015, 0.015)}  # fmt: skip
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "hidden-note"]
    assert notes == ["Fewer than 5 responses: Secret"]


def _display_box(text, renderer):
    return text.get_window_extent(renderer)


def test_quadrant_names_never_overlap_each_other_or_the_crosshairs():
    # six principles crowded round the crosshairs, as in a real review
    crowded = pd.DataFrame({
        "principle": ["Open communication", "Mutual benefit", "Shared goals", "Trust", "Respect", "Accountability"],
        "current": [3.42, 3.51, 3.92, 3.83, 4.30, 2.95], "importance": [4.11, 4.05, 4.01, 4.46, 3.92, 4.54],
        "band": ["borderline"] * 4 + ["strength", "concern"], "suppressed": [False] * 6,
    })  # fmt: skip
    fig, ax = plt.subplots(figsize=(8, 6.5))
    plots.quadrant_scatter(crowded, scale=(1, 5), ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {name: t.get_window_extent(renderer) for name, t in _labels(ax).items()}
    assert len(boxes) == 6
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b)
    to_display = ax.transData.transform
    x_line = to_display((4.0, 0))[0]
    y_line = to_display((0, crowded["importance"].mean()))[1]
    for name, box in boxes.items():
        assert not (box.x0 <= x_line <= box.x1), f"{name} crosses the strength line"
        assert not (box.y0 <= y_line <= box.y1), f"{name} crosses the importance line"
    corners = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "quadrant-name"]
    for name, box in boxes.items():
        assert not any(box.overlaps(c) for c in corners), f"{name} covers a quadrant's name"


def test_quadrant_draws_on_current_axes_by_default():
    _fig, (a, b) = plt.subplots(1, 2)
    plt.sca(b)
    assert plots.quadrant_scatter(SCORES, scale=(1, 5)) is b
    assert len(a.collections) == 0


def test_all_suppressed_says_so():
    ax = plots.quadrant_scatter(SCORES.iloc[[3]], scale=(1, 5))
    assert [t.get_text() for t in ax.texts] == ["no principle can be shown", "Fewer than 5 responses: Secret"]


def ticks(ax):
    """{y position: label} of the y ticks."""
    return {round(float(pos), 6): label.get_text() for pos, label in zip(ax.get_yticks(), ax.get_yticklabels())}


# --- diverging Likert bars -------------------------------------------------


def likert_frame(rows, suppressed=None, na=None):
    counts = pd.DataFrame(rows, columns=["1", "2", "3", "4", "5"])
    counts.insert(0, "item", [f"s{i}" for i in range(len(rows))])
    counts["not applicable"] = na if na is not None else 0
    counts["suppressed"] = suppressed if suppressed is not None else False
    return counts


def _bars(ax):
    return [(p.get_x(), p.get_width(), round(p.get_y() + p.get_height() / 2, 6)) for p in ax.patches]


def test_likert_bars_centre_the_neutral_point_and_draw_shares():
    # row s0: answers 3, 5, 5 -> shares 1/3 neutral, 2/3 at 5; s1: 1, 4 -> 1/2 and 1/2; 2 not applicable
    ax = plots.likert_bars(likert_frame([[0, 0, 1, 0, 2], [1, 0, 0, 1, 0]], na=[0, 2]))
    drawn = _bars(ax)
    s0 = [(x, w) for x, w, y in drawn if y == 1 and w > 0]
    s1 = [(x, w) for x, w, y in drawn if y == 0 and w > 0]
    np.testing.assert_allclose(s0[:2], [(-1 / 6, 1 / 3), (1 / 6, 2 / 3)])
    np.testing.assert_allclose(s1[:2], [(-0.5, 0.5), (0.0, 0.5)])
    assert len(s0) == 2 and len(s1) == 3  # the third is the not-applicable bar
    # not applicable drawn apart, right of 100 %: 2 of 4 answers for s1, none for s0
    na = [(x, w, y) for x, w, y in drawn if x > 1]
    np.testing.assert_allclose(na, [(1.1, 0.0, 1), (1.1, 0.5, 0)])
    assert ticks(ax) == {1: "s0", 0: "s1"}
    assert legend_in_reading_order(ax) == ["1", "2", "3", "4", "5", "Don't know"]


def test_likert_bars_seven_point_scale_splits_the_fourth_point():
    counts = pd.DataFrame({"item": ["a"], **{str(p): [1] for p in range(1, 8)}, "suppressed": [False]})
    ax = plots.likert_bars(counts, point_labels=list("ABCDEFG"))
    widths = [(p.get_x(), p.get_width()) for p in ax.patches]
    # 3 points and half of the fourth left of 0, each 1/7
    np.testing.assert_allclose(widths, [(-0.5 + k / 7, 1 / 7) for k in range(7)])
    assert legend_in_reading_order(ax) == list("ABCDEFG")


def test_likert_bars_suppressed_row_says_why_and_draws_nothing():
    frame = likert_frame([[0, 1, 1, 1, 2], [pd.NA] * 5], suppressed=[False, True])
    frame["hidden"] = [None, "hidden to protect a smaller group"]
    ax = plots.likert_bars(frame)
    assert all(w == 0 for x, w, y in _bars(ax) if y == 0)
    notes = [(t.get_text(), t.get_position()) for t in ax.texts]
    assert notes == [("hidden to protect a smaller group", (0, 0))]


def test_likert_bars_group_statements_under_their_principle():
    frame = likert_frame([[0, 1, 1, 1, 2], [1, 1, 1, 1, 1], [2, 0, 0, 0, 3]])
    frame.insert(0, "principle", ["Trust", "Trust", "Respect"])
    ax = plots.likert_bars(frame, group="principle")
    # top to bottom: Trust (heading), s0, s1, Respect (heading), s2
    assert ticks(ax) == {4: "Trust", 3: "s0", 2: "s1", 1: "Respect", 0: "s2"}
    bold = {t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == {"Trust", "Respect"}
    assert sorted({y for _, w, y in _bars(ax) if w > 0}) == [0, 2, 3]  # no bar on a heading row


# --- heatmap -------------------------------------------------------------

GROUPED = pd.DataFrame(
    {
        "partner": ["A", "A", "B", "B", "C", "C"],
        "principle": pd.Categorical(["Trust", "Respect"] * 3, categories=["Trust", "Respect"]),
        "current": [3.5, 4.25, 2.75, 4.0, np.nan, np.nan],
        "suppressed": [False, False, False, False, True, True],
        "hidden": [None, None, None, None, "fewer than 5 responses", "hidden to protect a smaller group"],
    }
)


def test_heatmap_cells_hold_the_scores_and_hidden_cells_say_so():
    ax = plots.score_heatmap(GROUPED, scale=(1, 5))
    mesh = ax.collections[0]
    values = np.ma.filled(mesh.get_array(), np.nan).reshape(2, 3)
    np.testing.assert_allclose(values, [[3.5, 2.75, np.nan], [4.25, 4.0, np.nan]])
    assert mesh.get_clim() == (1, 5) and mesh.norm.vcenter == 3  # diverging from the scale's middle
    assert mesh.norm(3) == pytest.approx(0.5) and mesh.norm(1) == 0 and mesh.norm(5) == 1
    written = {
        (round(t.get_position()[0], 1), round(t.get_position()[1], 1)): t.get_text().replace("\n", " ")
        for t in ax.texts
    }
    assert written == {
        (0.5, 0.5): "3.5",
        (1.5, 0.5): "2.8",  # 2.75 to one decimal: round half to even in Python's format is 2.8 here (2.75 is 2.75)
        (0.5, 1.5): "4.2",
        (1.5, 1.5): "4.0",
        (2.5, 0.5): "fewer than 5 responses",
        (2.5, 1.5): "hidden to protect a smaller group",
    }
    assert (ax.get_title(loc="left") or ax.get_title()) == "How well each principle is lived, by organisation"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "C"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trust", "Respect"]


def test_heatmap_writes_white_on_dark_cells_as_seaborns_heatmap_does():
    import seaborn as sns

    values = np.linspace(1, 5, 17)  # across the whole colour map, where a rough luminance rule would differ
    frame = pd.DataFrame(
        {
            "principle": pd.Categorical([f"p{k:02d}" for k in range(17)]),
            "partner": "A",
            "current": values,
            "suppressed": False,
        }
    )
    ours = plots.score_heatmap(frame, scale=(1, 5))
    seaborns = sns.heatmap(
        pd.DataFrame({"A": values}), cmap=ours.collections[0].cmap, norm=ours.collections[0].norm, annot=True,
        fmt=".1f", ax=plt.figure().gca(),
    )  # fmt: skip

    def white(texts):  # seaborn writes "w" or ".15" (near black); we write "white" or "black"
        return [(t.get_text(), t.get_color() in ("w", "white")) for t in texts]

    assert white(ours.texts) == white(seaborns.texts)
    assert {t.get_color() for t in ours.texts} == {"white", "black"}


def test_heatmap_of_favourable_writes_percentages():
    frame = GROUPED.assign(favourable=[0.5, 0.25, 0.75, 1.0, np.nan, np.nan])
    ax = plots.score_heatmap(frame, value="favourable")
    assert sorted(t.get_text() for t in ax.texts)[:4] == ["100%", "25%", "50%", "75%"]


# --- dumbbell ------------------------------------------------------------

GAPS = pd.DataFrame(
    {
        "principle": ["Trust", "Open communication", "Secret"],
        "side_a": "Alpha",
        "side_b": "Beta",
        "current_a": [3.9, 3.9, np.nan],
        "current_b": [3.8, 2.9, np.nan],
        "flag": [False, True, False],
        "suppressed": [False, False, True],
        "hidden": [None, None, "hidden to protect a smaller group"],
    }
)


def test_dumbbell_draws_both_sides_and_highlights_flagged_gaps():
    ax = plots.perception_dumbbell(GAPS)
    a, b = ax.collections[:2]
    assert a.get_label() == "Alpha" and b.get_label() == "Beta"
    np.testing.assert_allclose(a.get_offsets(), [[3.9, 2], [3.9, 1]])
    np.testing.assert_allclose(b.get_offsets(), [[3.8, 2], [2.9, 1]])
    lines = {tuple(line.get_ydata()): (tuple(line.get_xdata()), line.get_linewidth()) for line in ax.lines}
    assert lines[(2, 2)] == ((3.9, 3.8), 1.5)
    assert lines[(1, 1)] == ((3.9, 2.9), 3)
    assert ticks(ax) == {2: "Trust", 1: "Open communication (clear difference)", 0: "Secret"}
    assert [(t.get_text(), t.get_position()[1]) for t in ax.texts] == [("hidden to protect a smaller group", 0)]


def test_dumbbell_refuses_several_pairs():
    three = pd.concat([GAPS, GAPS.assign(side_b="Gamma")])
    with pytest.raises(plots_error(), match=r"one pair of sides.*\('Alpha', 'Gamma'\)"):
        plots.perception_dumbbell(three)


def plots_error():
    from partnerlib import PartnerDataError

    return PartnerDataError


# --- trend lines ---------------------------------------------------------

TREND = pd.DataFrame(
    {
        "period": ["2025", "2024", "2026", "2024", "2025", "2026"],
        "principle": ["Trust"] * 3 + ["Respect"] * 3,
        "current": [3.5, 3.0, 4.0, 4.2, np.nan, 4.4],
        "ci_low": [3.2, 2.5, 3.8, 4.0, np.nan, 4.1],
        "ci_high": [3.8, 3.5, 4.2, 4.4, np.nan, 4.7],
        "suppressed": [False, False, False, False, True, False],
        "hidden": [None] * 4 + ["fewer than 5 responses", None],
    }
)


def test_trend_lines_follow_sorted_periods_with_interval_bars():
    ax = plots.trend_lines(TREND)
    lines = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    trust, respect = lines["Trust"], lines["Respect"]
    np.testing.assert_allclose(trust.get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(trust.get_ydata(), [3.0, 3.5, 4.0])
    np.testing.assert_allclose(respect.get_ydata(), [4.2, np.nan, 4.4])  # the hidden point breaks the line
    segments = [np.round(seg, 6).tolist() for coll in ax.collections for seg in coll.get_segments()]
    assert [[0, 2.5], [0, 3.5]] in segments and [[2, 4.1], [2, 4.7]] in segments
    assert not any(seg[0][0] == 1 and seg[0][1] >= 4 for seg in segments)  # no bar for the hidden point
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025", "2026"]
    assert [t.get_text() for t in ax.texts] == ["Fewer than 5 responses: Respect 2025"]


# --- engagement ----------------------------------------------------------

ENGAGEMENT = pd.DataFrame(
    {
        "partner": ["North", "North", "North"],
        "role": ["Executive", "Manager", "All roles"],
        "invited": [10, 20, 30],
        "responded": [8, 10, 18],
        "response_rate": [0.8, 0.5, 0.6],
        "hidden": [None, None, None],
    }
)


def test_engagement_bars_against_the_sixty_percent_line():
    ax = plots.engagement_bars(ENGAGEMENT)
    bars = ax.patches
    assert [round(b.get_width(), 6) for b in bars] == [0.8, 0.5, 0.6]
    colours = [plots.PALETTE["blue"], plots.PALETTE["vermillion"], plots.PALETTE["blue"]]
    assert [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars] == [c.lower() for c in colours]
    assert [b.get_hatch() for b in bars] == [None, None, "//"]
    vline = next(line for line in ax.lines if line.get_linestyle() == "--")
    assert tuple(vline.get_xdata()) == (0.6, 0.6)
    assert ticks(ax) == {2: "North · Executive", 1: "North · Manager", 0: "North · All roles"}
    assert [round(b.get_y() + b.get_height() / 2, 6) for b in bars] == [2, 1, 0]
    assert [t.get_text() for t in ax.texts] == ["8 of 10", "10 of 20", "18 of 30"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["60% or more took part", "below 60%", "whole organisation"]  # colours and hatching explained


def test_engagement_bars_show_no_bar_for_a_hidden_count():
    small = ENGAGEMENT.assign(responded=[3, 15, 18], response_rate=[0.3, 0.75, 0.6],
                              hidden=["fewer than 5 responses", "hidden to protect a smaller group", None])  # fmt: skip
    ax = plots.engagement_bars(small)
    assert [round(b.get_width(), 6) for b in ax.patches] == [0.0, 0.0, 0.6]  # a bar's length would tell the count
    assert [t.get_text() for t in ax.texts] == ["fewer than 5 of 10", "hidden to protect a smaller group (20 invited)",
                                                "18 of 30"]  # fmt: skip


def test_heatmap_with_every_cell_hidden_says_so_everywhere():
    ax = plots.score_heatmap(GROUPED[GROUPED["partner"] == "C"])
    assert [t.get_text() for t in ax.texts] == ["fewer than\n5 responses", "hidden to\nprotect a\nsmaller\ngroup"]


def test_dollar_signs_in_client_text_are_drawn_as_written():
    # matplotlib reads $...$ as mathtext: "$5 vs $10" would lose its dollars and "$\frac$" raise while drawing
    names = pd.DataFrame({
        "principle": ["Budget $5 vs $10", r"Costs $\frac$"], "current": [3.2, 4.4], "importance": [4.1, 3.8],
        "band": pd.Categorical(["concern", "strength"], categories=["strength", "borderline", "concern"]),
        "suppressed": [False, False], "hidden": [None, None],
    })  # fmt: skip
    from partnerlib.plots._theme import CHART_RC

    with matplotlib.rc_context(CHART_RC):
        fig, ax = plt.subplots()
        plots.quadrant_scatter(names, scale=(1, 5), ax=ax)
        fig.canvas.draw()  # raises ValueError on "$\frac$" when math parsing is on
    labels = _labels(ax)
    assert set(labels) == {"Budget $5 vs $10", r"Costs $\frac$"}
    assert all(t.get_parse_math() is False for t in labels.values())
    plt.close(fig)


def test_norm_bars_draw_each_rank_and_say_why_one_is_missing():
    ranks = pd.DataFrame({
        "principle": ["Trust", "Respect", "Secret"], "percentile": [83.3, 20.0, np.nan], "others": [12, 12, 3],
        "shown": [True, True, False], "reason": ["", "", "fewer than 5 other partnerships from 3 other clients ..."],
    })  # fmt: skip
    _fig, ax = plt.subplots()
    plots.norm_bars(ranks, ax=ax)
    widths = [round(p.get_width(), 6) for p in ax.patches][:3]
    assert widths == [83.3, 20.0, 0.0]
    labels = [t.get_text() for t in ax.texts if t.get_gid() != "chart-title"]
    assert labels[:3] == ["higher than 83 % of 12", "higher than 20 % of 12", ranks.loc[2, "reason"]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["in the upper half", "in the lower half"]
    plt.close(_fig)
