"""Sentences about the strength of the evidence: key drivers, the importance grid, what the survey can detect.

Pure functions, tables in and escaped HTML out (as :mod:`partnerlib.report.narrative`); every number they state
is read from the tables and the :class:`~partnerlib.settings.Method` the analysis applied.
"""

from __future__ import annotations

import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import IMPORTANCE_READINGS
from .text import and_list, bullets, esc, paragraph, pct, strong


def _range(values: pd.Series) -> str:
    """``0.4`` or ``0.3–0.5``: the span of a figure over the principles, one decimal."""
    lo, hi = float(values.min()), float(values.max())
    return f"{lo:.1f}" if f"{lo:.1f}" == f"{hi:.1f}" else f"{lo:.1f}–{hi:.1f}"


def detectable_text(detectable: pd.DataFrame | None, detectable_change: pd.DataFrame | None, *, previous=None,
                    method: Method = METHOD) -> str:  # fmt: skip
    """What the survey could detect: ``the survey could not reliably detect a difference between the
    organisations smaller than 0.4–0.5 points ...`` (at ``method.power``), or ``""`` where nothing was compared."""
    parts = []
    for table, what in ((detectable, "a difference between the organisations"),
                        (detectable_change, f"a change since {esc(previous)}")):  # fmt: skip
        shown = None if table is None else table["detectable"].dropna()
        if shown is not None and len(shown):
            parts.append(f"{what} smaller than {_range(shown)} points")
    if not parts:
        return ""
    return (
        f"With these group sizes and this spread of answers, the survey could not reliably detect "
        f"{' or '.join(parts)} (depending on the principle; {method.power:.0%} power). A smaller real difference "
        'would usually read "no clear difference" or "no clear change", so those words mean "not shown", not '
        '"the same".'
    )


def drivers_text(drivers: pd.DataFrame | None, grid: pd.DataFrame | None, *, outcome: str | None = None,
                 method: Method = METHOD) -> str:  # fmt: skip
    """The key-driver section's text: what explains the outcome, most first, and the grid's hidden drivers."""
    if drivers is None:
        return paragraph("The codebook names no overall outcome statement, so there are no key drivers.")
    shown = drivers[~drivers["suppressed"].astype(bool)]
    if shown.empty:
        return paragraph(f"No key drivers: {esc(drivers['hidden'].dropna().iloc[0])}.")
    first = shown.sort_values("weight", ascending=False)
    r2 = float(first["r_squared"].iloc[0])
    said = f"“{esc(outcome.rstrip('.'))}”" if outcome else "the overall outcome statement"
    how = first["method"].iloc[0]
    lines = [
        f"{strong(r['principle'])}: {pct(r['share'])} of what the principles explain "
        f"(likely range {pct(r['share_low'])}–{pct(r['share_high'])})"
        for r in first.head(method.top).to_dict("records")
    ]
    text = paragraph(
        f"How people rate {said} is {pct(r2)} explained by how they rate the principles ({int(first['n'].iloc[0])} "
        f"respondents who rated all of them; {esc(how)}). The principles that explain most:"
    ) + bullets(lines)
    hidden: list[str] = (
        [] if grid is None else grid.loc[grid["reading"].astype(str) == IMPORTANCE_READINGS[1], "principle"].tolist()
    )
    if len(hidden):
        text += paragraph(
            f"{and_list(strong(p) for p in hidden)}: rated less important than the others, but "
            f"{'it moves' if len(hidden) == 1 else 'they move'} the overall outcome more than most "
            f"({'a ' + IMPORTANCE_READINGS[1] if len(hidden) == 1 else IMPORTANCE_READINGS[1] + 's'})."
        )
    return text


def statistics_note(*, method: Method = METHOD, finite: bool = False) -> list[str]:
    """The method note's paragraphs on intervals for shares, finite populations, key drivers and power."""
    level = f"{method.confidence:.0%}"
    notes = [
        f"<strong>Favourable shares.</strong> The likely range of a share of favourable answers is its {level} "
        "Wilson interval, taking the group's respondents as the sample size (one person's answers to a principle "
        "are not independent of each other).",
        f"<strong>Key drivers.</strong> Where the codebook names an overall outcome statement, each principle's "
        "weight is its general-dominance share of the outcome's explained variance (R²): its average gain in R² "
        "when added to every model of the other principles. The likely range comes from "
        f"{method.bootstrap_resamples} bootstrap resamples of respondents (fixed seed); a group needs at least "
        f"{method.drivers_min_n} respondents who rated the outcome and every principle, and with more than "
        f"{method.dominance_max_principles} principles Johnson's relative weights are used. Weights describe "
        "association, not cause.",
        f"<strong>What the survey can detect.</strong> The smallest difference each comparison would find "
        f"{method.power:.0%} of the time (two-sample t-test power at p &lt; {method.significance:g}, at the "
        "groups' sizes and the observed spread).",
    ]
    if finite:
        notes.insert(
            1,
            "<strong>Finite populations.</strong> The roster says how many people were invited, so intervals and "
            "tests apply the finite-population correction √((N − n)/(N − 1)) (N invited, n answered): the fewer "
            "people left out, the smaller the uncertainty, and a group in which everyone answered has none.",
        )
    return notes


def drivers_section(results) -> str:
    """The key-driver section of a review (heading and text), or ``""`` where it is not shown: the codebook names
    no outcome, or no group is large enough (``results`` is a :class:`partnerlib.report.ReviewResults`)."""
    if not results.drivers_shown:
        return ""
    outcome = results.survey.codebook.outcome
    return (
        "<h2>What drives the overall view</h2>"
        + paragraph(
            "Which principles go with how people rate the partnership overall (derived importance), set against "
            "how important they say each one is (stated importance). People call almost everything important; "
            "derived importance shows which principles actually move the overall view."
        )
        + drivers_text(results.drivers, results.grid, outcome=outcome.text if outcome else None, method=results.method)
    )
