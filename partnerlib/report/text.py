"""Text from files made safe to show, and numbers, dates and counts written the report's way.

The report's sentences are HTML, never Markdown: every name or answer that
comes from a client's files (organisations, roles, principles, statements,
KPIs, objectives, actions, owners, comments) goes through :func:`esc`, so
nothing a respondent or a codebook wrote can become markup, a link or a
formula (``[x](javascript:...)``, ``**x**`` and ``$5 ... $10`` stay as
written).  Numbers are written one way: scores with one decimal (``3.4``),
shares as whole percentages without a space (``62%``), dates as ``1 December
2026``.
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
    """A change as text with its sign (``+0.3``; a change that rounds to nothing is ``+0.0``, never ``-0.0``), or an
    en dash."""
    return "–" if pd.isna(value) else f"{round(float(value), 1) + 0.0:+.1f}"


def pct(value) -> str:
    """A share as a whole percentage (``0.62`` -> ``62%``), or an en dash."""
    return "–" if value is None or pd.isna(value) else f"{value:.0%}"


def p_text(p) -> str:
    """A p-value as text: ``p = 0.012``, or ``p < 0.001``."""
    return "p –" if pd.isna(p) else ("p < 0.001" if p < 0.001 else f"p = {p:.3f}")


def chance_text(p, significance: float) -> str:
    """A p-value in plain words for a client, with the figure: ``very unlikely to be chance, p < 0.001``."""
    if pd.isna(p):
        return "too few answers to test"
    if p < 0.001:
        words = "very unlikely to be chance"
    elif p < significance:
        words = "unlikely to be chance"
    else:
        words = "could be chance"
    return esc(f"{words}, {p_text(p)}")  # HTML: "p &lt; 0.001"


def adjusted_chance_text(p, p_adjusted, significance: float) -> str:
    """:func:`chance_text` of the Holm-adjusted p-value, with the unadjusted one beside it:
    ``unlikely to be chance, p = 0.021 adjusted for the principles tested (p = 0.003 alone)``."""
    if pd.isna(p_adjusted):
        return chance_text(p_adjusted, significance)
    return f"{chance_text(p_adjusted, significance)} adjusted for the principles tested ({esc(p_text(p))} alone)"


#: Month names, so that dates read the same whatever the machine's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def _timestamp(value):
    """``value`` as a Timestamp, ``None`` where missing, or the text itself (escaped) where it is not a date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        return esc(value)


def date_text(value) -> str:
    """A date as ``1 December 2026`` (no time of day), or an en dash where missing."""
    day = _timestamp(value)
    if not isinstance(day, pd.Timestamp):
        return day or "–"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(value) -> str:
    """A date and time as ``1 December 2026, 22:24`` (in the time it was recorded), or an en dash."""
    moment = _timestamp(value)
    if not isinstance(moment, pd.Timestamp):
        return moment or "–"
    return f"{date_text(moment)}, {moment:%H:%M}"


def count(n, singular: str, plural: str | None = None) -> str:
    """``1 participant``, ``2 participants``: a count with its noun in the right number."""
    return f"{int(n)} {singular if int(n) == 1 else (plural or singular + 's')}"


def strong(value) -> str:
    """Client text in bold: ``<strong>`` around the escaped text."""
    return f"<strong>{esc(value)}</strong>"


def and_list(parts) -> str:
    """``a``, ``a and b``, ``a, b and c`` (parts are already HTML)."""
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


def bullets(lines) -> str:
    """An HTML list of ``lines`` (each already HTML)."""
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def paragraph(text: str) -> str:
    """An HTML paragraph of ``text`` (already HTML)."""
    return f"<p>{text}</p>"
