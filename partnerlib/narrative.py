"""Sentences generated from the numbers, for the report and the workshop.

Pure functions: tables in, Markdown text out.  Every name that comes from a
client's files is HTML-escaped, so nothing a respondent or a codebook wrote
can become markup.
"""

from __future__ import annotations

import html

import pandas as pd


def esc(value) -> str:
    """HTML-escape any value for inclusion in Markdown or HTML."""
    return html.escape(str(value), quote=True)


def fmt(value, digits: int = 1) -> str:
    """A score as text (``3.4``), or an en dash where it is missing."""
    return "–" if pd.isna(value) else f"{value:.{digits}f}"


def strengths_and_gaps_text(ranking: pd.DataFrame, *, period: str) -> str:
    """Two sentences naming the strengths and the priority gaps of ``ranking``.

    ``ranking`` is the output of :func:`partnerlib.strengths_and_gaps` for one group.
    """
    strengths = ranking[ranking["kind"] == "strength"]
    gaps = ranking[ranking["kind"] == "gap"]
    if strengths.empty:
        return f"No principle could be scored for {esc(period)}: every group was below the anonymity minimum."
    s = ", ".join(f"**{esc(r.principle)}** ({fmt(r.current)})" for r in strengths.itertuples())
    g = ", ".join(f"**{esc(r.principle)}** (importance {fmt(r.importance)} vs current {fmt(r.current)}, "
                  f"gap {fmt(r.gap)})" for r in gaps.itertuples())
    return (f"In {esc(period)} the principles lived best are {s}. "
            f"The largest gaps between what matters and what happens are {g}.")
