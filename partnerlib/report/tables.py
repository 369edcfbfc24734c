"""The report's tables as a client reads them (pure): frames in, frames of text out.

Each function picks the columns a reader needs, names them in words with their units, writes the numbers to the
precision the data supports (scores to one decimal: with a few dozen respondents the second decimal is noise),
sorts the rows by what the reader looks for, and puts the reason in place of the figures of a hidden group.  The
result is all text; :func:`partnerlib.report.display.table` escapes and shows it.
"""

from __future__ import annotations

import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import OTHER_THEME
from .text import count, fmt, pct, signed


def _scale(scale) -> str:
    lo, hi = scale
    return f"{lo:g}–{hi:g}"


def _range(low, high) -> str:
    return "–" if pd.isna(low) or pd.isna(high) else f"{low:.1f}–{high:.1f}"


def _share_range(share, low, high) -> str:
    """``62% (55–69%)``: a share with its interval; the share alone where there is no interval."""
    if pd.isna(share) or low is None or high is None or pd.isna(low) or pd.isna(high):
        return pct(share)
    return f"{pct(share)} ({low:.0%}–{high:.0%})"


def _hidden_or(row, text: str) -> str:
    """``text``, or the reason the row's group is hidden."""
    hidden = row.get("hidden")
    return str(hidden) if isinstance(hidden, str) and hidden else text


def scores_table(scores: pd.DataFrame, *, scale, method: Method = METHOD) -> pd.DataFrame:
    """The principles table: largest gap first, hidden principles last with the reason in place of the figures.

    Columns: Principle, Responses, Lived today (on the scale), Likely range (the ``method.confidence`` interval of
    the current score), Importance, Gap (points, importance - lived), Favourable (share of answers in the top
    ``method.favourable_points`` points, with its Wilson interval), Band, Reading (the quadrant).
    """
    level = f"{method.confidence:.0%}"
    order = scores.assign(_hidden=scores["suppressed"].astype(bool)).sort_values(
        ["_hidden", "gap"], ascending=[True, False], kind="stable"
    )
    rows = []
    for r in order.to_dict("records"):
        if r["suppressed"]:
            reason = _hidden_or(r, "hidden")
            rows.append([str(r["principle"]), reason, *[""] * 7])
            continue
        rows.append(
            [
                str(r["principle"]),
                f"{int(r['n'])}",
                fmt(r["current"]),
                _range(r["ci_low"], r["ci_high"]),
                fmt(r["importance"]),
                fmt(r["gap"]),
                _share_range(r.get("favourable"), r.get("favourable_low"), r.get("favourable_high")),
                str(r["band"]),
                "" if pd.isna(r["quadrant"]) else str(r["quadrant"]),
            ]
        )
    columns = ["Principle", "Responses", f"Lived today ({_scale(scale)})", f"Likely range ({level})",
               f"Importance ({_scale(scale)})", "Gap (points)", f"Favourable (likely range, {level})", "Band",
               "Reading"]  # fmt: skip
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def drivers_table(grid: pd.DataFrame | None) -> pd.DataFrame | None:
    """The importance grid in words, largest derived importance first: Principle, Stated importance, Derived
    importance (share of the explained variance, with its bootstrap interval), Reading.  ``None`` where there is
    no grid to show."""
    if grid is None:
        return None
    rows = [
        [str(r["principle"]), fmt(r["stated"]), _share_range(r["share"], r["share_low"], r["share_high"]),
         str(r["reading"])]
        for r in grid.sort_values("share", ascending=False, kind="stable").to_dict("records")
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Principle", "Stated importance", "Derived importance (likely range)",
                                       "Reading"])  # fmt: skip


def _p(value) -> str:
    return "–" if pd.isna(value) else ("< 0.001" if value < 0.001 else f"{value:.3f}")


def perception_table(perception: pd.DataFrame) -> pd.DataFrame:
    """The organisations' comparison, largest difference first: each side's score, the difference, the p-value of
    the principle's own test and the Holm-adjusted one that decides "Clear difference"; hidden rows say why."""
    order = perception.assign(_size=perception["difference"].abs()).sort_values("_size", ascending=False,
                                                                                 kind="stable")  # fmt: skip
    rows = []
    for r in order.to_dict("records"):
        if r["suppressed"]:
            rows.append([str(r["principle"]), _hidden_or(r, "hidden"), "", "", "", "", ""])
            continue
        rows.append([str(r["principle"]), fmt(r["current_a"]), fmt(r["current_b"]), signed(r["difference"]),
                     _p(r["p_value"]), _p(r["p_adjusted"]), "yes" if r["flag"] else ""])  # fmt: skip
    a, b = (str(perception[c].iloc[0]) for c in ("side_a", "side_b")) if len(perception) else ("A", "B")
    columns = ["Principle", a, b, f"Difference ({a} − {b}, points)", "p (this principle)", "p (adjusted, Holm)",
               "Clear difference"]  # fmt: skip
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def change_table(change: pd.DataFrame | None) -> pd.DataFrame | None:
    """The change since the previous period per principle: both scores, the change, raw and Holm-adjusted p and the
    reading; ``None`` with no earlier period."""
    if change is None or change.empty:
        return None
    last = change[change["period_to"].astype(str) == max(change["period_to"].astype(str))]
    rows = []
    for r in last.to_dict("records"):
        if r["suppressed"]:
            rows.append([str(r["principle"]), _hidden_or(r, "hidden"), "", "", "", "", ""])
            continue
        rows.append([str(r["principle"]), fmt(r["current_from"]), fmt(r["current_to"]), signed(r["change"]),
                     _p(r["p_value"]), _p(r["p_adjusted"]), str(r["direction"])])  # fmt: skip
    first, then = str(last["period_from"].iloc[0]), str(last["period_to"].iloc[0])
    columns = ["Principle", first, then, "Change (points)", "p (this principle)", "p (adjusted, Holm)", "Reading"]
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def priorities_table(priorities: pd.DataFrame) -> pd.DataFrame:
    """The proposed priorities, in their order: what each gap is, and what earlier actions on it achieved."""
    rows = [
        [
            f"{int(r['rank'])}",
            str(r["principle"]),
            fmt(r["gap"]),
            fmt(r["current"]),
            fmt(r["importance"]),
            "–" if pd.isna(r["disagreement"]) else f"{r['disagreement']:.1f} points",
            _earlier(r["earlier_actions"]),
        ]
        for r in priorities.to_dict("records")
    ]
    columns = ["", "Principle", "Gap (points)", "Lived today", "Importance", "Organisations differ by",
               "Earlier actions (what became of the gap)"]  # fmt: skip
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def _earlier(text) -> str:
    """``"2 (1 closed, 1 narrowed)"`` as ``"2 actions: 1 closed, 1 narrowed"``."""
    if not isinstance(text, str) or text == "none":
        return "none"
    n, _, outcomes = text.partition(" (")
    return f"{n} {'action' if n == '1' else 'actions'}: {outcomes.rstrip(')')}" if n.isdigit() else text


def reliability_table(reliability: pd.DataFrame, *, method: Method = METHOD) -> pd.DataFrame:
    """Cronbach's alpha of each principle in words: a note where it is below ``method.alpha_threshold``."""
    rows = []
    for r in reliability.to_dict("records"):
        note = r.get("note") or ""
        if not note and bool(r.get("flag")):
            note = f"below {method.alpha_threshold:g}: the statements may not measure one thing"
        rows.append(
            [
                str(r["principle"]),
                f"{int(r['items'])}",
                "–" if pd.isna(r["alpha"]) else f"{r['alpha']:.2f}",
                "–" if pd.isna(r["ci_low"]) or pd.isna(r["ci_high"]) else f"{r['ci_low']:.2f}–{r['ci_high']:.2f}",
                note,
            ]
        )
    level = f"{method.confidence:.0%}"
    columns = ["Principle", "Statements", "Consistency (Cronbach's alpha)", f"Likely range ({level})", "Note"]
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def _drop_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns in which every cell is empty or a dash."""
    keep = [c for c in frame.columns if not frame[c].isin(["", "–"]).all()]
    return frame[keep]


def themes_table(themes) -> pd.DataFrame:
    """What the comments are about: one row per theme (principles in codebook order, then "other").

    Columns: Theme, one column per organisation whose comments are shown (its number of comments on the theme),
    and "For example" (the theme's most frequent distinct comments, with how many people gave each).
    ``themes`` is the :class:`partnerlib.analysis.CommentThemes` of the review.
    """
    counts, examples = themes.counts, themes.examples
    if counts.empty:
        return pd.DataFrame(columns=["Theme"])
    wide = counts.pivot_table(index="theme", columns="partner", values="comments", aggfunc="sum", fill_value=0)
    rows = []
    for theme, figures in wide.iterrows():
        said = examples[examples["theme"] == theme]
        quoted = "; ".join(
            f"“{text}”" + (f" ({count(int(people), 'person', 'people')})" if people > 1 else "")
            for text, people in zip(said["text"], said["people"])
        )
        name = "Other (none of the principles)" if theme == OTHER_THEME else str(theme)
        rows.append([name, *[f"{int(v)}" for v in figures], quoted])
    return pd.DataFrame(rows, columns=["Theme", *[str(c) for c in wide.columns], "For example"])
