"""Text from files made safe to show, and numbers written the report's way.

Every name or answer that comes from a client's files (organisations, roles,
principles, statements, KPIs, objectives, actions, owners, comments) goes
through :func:`esc` before it reaches HTML or Markdown, so nothing a
respondent or a codebook wrote can become markup.
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


def signed(value) -> str:
    """A change as text with its sign (``+0.3``), or an en dash."""
    return "–" if pd.isna(value) else f"{value:+.1f}"


def pct(value) -> str:
    """A share as a whole percentage (``0.62`` -> ``62%``), or an en dash."""
    return "–" if value is None or pd.isna(value) else f"{value:.0%}"


def p_text(p) -> str:
    """A p-value as text: ``p = 0.012``, or ``p < 0.001``."""
    return "p –" if pd.isna(p) else ("p < 0.001" if p < 0.001 else f"p = {p:.3f}")


def date_text(value) -> str:
    """A date as ``2025-09-30`` (no time of day), or an en dash where missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return esc(value)
