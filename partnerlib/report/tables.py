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
from .text import count, fmt, pct


def _scale(scale) -> str:
    lo, hi = scale
    return f"{lo:g}–{hi:g}"


def _range(low, high) -> str:
    return "–" if pd.isna(low) or pd.isna(high) else f"{low:.1f}–{high:.1f}"


def _hidden_or(row, text: str) -> str:
    """``text``, or the reason the row's group is hidden."""
    hidden = row.get("hidden")
    return str(hidden) if isinstance(hidden, str) and hidden else text


def scores_table(scores: pd.DataFrame, *, scale, method: Method = METHOD) -> pd.DataFrame:
    """The principles table: largest gap first, hidden principles last with the reason in place of the figures.

    Columns: Principle, Responses, Lived today (on the scale), Likely range (the ``method.confidence`` interval of
    the current score), Importance, Gap (points, importance - lived), Favourable (share of answers in the top
    ``method.favourable_points`` points), Band, Reading (the quadrant).
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
                pct(r["favourable"]),
                str(r["band"]),
                "" if pd.isna(r["quadrant"]) else str(r["quadrant"]),
            ]
        )
    columns = ["Principle", "Responses", f"Lived today ({_scale(scale)})", f"Likely range ({level})",
               f"Importance ({_scale(scale)})", "Gap (points)", "Favourable", "Band", "Reading"]  # fmt: skip
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
