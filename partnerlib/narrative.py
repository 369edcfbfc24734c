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


def _signed(value) -> str:
    return "–" if pd.isna(value) else f"{value:+.1f}"


def change_text(change: pd.DataFrame) -> str:
    """Sentences on what changed between the last two periods of ``change``.

    ``change`` is the output of :func:`partnerlib.period_change`
    (``principle, period_from, period_to, current_from, current_to, change,
    p_value, direction``).  Only the latest pair of periods is described;
    principles with ``no clear change`` are named together.
    """
    if change is None or change.empty:
        return "There is no earlier review to compare with, so no change can be shown yet."
    last = change[change["period_to"].astype(str) == str(max(change["period_to"].astype(str)))]
    since = esc(last["period_from"].astype(str).iloc[0])
    lines = []
    for direction, verb in (("improved", "improved"), ("declined", "declined")):
        part = last[last["direction"].astype(str) == direction].sort_values("change", ascending=direction != "improved")
        for r in part.itertuples():
            lines.append(f"- **{esc(r.principle)}** {verb} from {fmt(r.current_from)} to {fmt(r.current_to)} "
                         f"since {since} (change {_signed(r.change)}, p = {r.p_value:.3f}).")
    steady = last[last["direction"].astype(str) == "no clear change"]["principle"].astype(str).tolist()
    if steady:
        lines.append(f"- No clear change since {since} for {', '.join(esc(p) for p in steady)}.")
    return "\n".join(lines)


def perception_text(gaps: pd.DataFrame) -> str:
    """Sentences on where the organisations see the partnership differently.

    ``gaps`` is the output of :func:`partnerlib.perception_gaps`; flagged rows
    (|difference| >= 0.5 and p < 0.05) are described, largest first.
    """
    if gaps is None or gaps.empty:
        return "The two organisations' views could not be compared (too few responses on one side)."
    flagged = gaps[gaps["flag"].astype(bool)].copy()
    if flagged.empty:
        return "The organisations see every principle in much the same way (no difference of half a scale point or more)."
    flagged = flagged.reindex(flagged["difference"].abs().sort_values(ascending=False).index)
    lines = []
    for r in flagged.itertuples():
        higher, lower = (r.side_a, r.side_b) if r.difference > 0 else (r.side_b, r.side_a)
        hi_v, lo_v = (r.current_a, r.current_b) if r.difference > 0 else (r.current_b, r.current_a)
        lines.append(f"- **{esc(r.principle)}**: {esc(higher)} rates it {fmt(hi_v)}, {esc(lower)} {fmt(lo_v)} "
                     f"(difference {abs(r.difference):.1f}, p = {r.p_value:.3f}).")
    return "\n".join(lines)


def comments_html(comments: pd.DataFrame, hidden_groups=()) -> str:
    """Respondents' comments as escaped HTML, grouped by organisation.

    ``comments`` are the rows :func:`partnerlib.comments.visible_comments` allows.
    """
    if comments.empty and not hidden_groups:
        return "<p>No comments were given.</p>"
    parts = []
    for partner, block in comments.groupby("partner", observed=True, sort=True):
        items = "".join(f"<li>{esc(t)}</li>" for t in block["text"])
        parts.append(f"<h4>{esc(partner)}</h4><ul>{items}</ul>")
    if hidden_groups:
        parts.append("<p><em>Comments from groups of fewer than 10 respondents are not shown: "
                     f"{esc(', '.join(hidden_groups))}.</em></p>")
    return "".join(parts)


def method_note(*, scale, min_n: int, dropped: pd.DataFrame, respondents: pd.DataFrame, period: str) -> str:
    """The method note: scales, bands, anonymity minimum, and exclusions with their counts."""
    lo, hi = scale
    rng = hi - lo
    kept = respondents[respondents["period"].astype(str) == str(period)]
    ex = dropped[dropped["period"].astype(str) == str(period)]
    counts = ex["reason"].astype(str).value_counts()
    reasons = {"preview": "survey previews", "test": "test responses", "incomplete": "unfinished responses",
               "duplicate": "duplicate submissions", "empty": "responses with no rated statement"}
    excluded = ", ".join(f"{counts[k]} {v}" for k, v in reasons.items() if k in counts) or "none"
    return "\n".join([
        f"- **Scale.** Every statement was rated from {lo:g} to {hi:g} for how well it is lived today (*current*) "
        "and how much it matters (*importance*). \"Don't know\" answers are left out of the scores.",
        "- **Scores.** Each respondent's ratings of a principle's statements are averaged first, then averaged over "
        "respondents, so everyone counts once. The 95 % interval is a Student-t interval of those respondent means. "
        "*Gap* = importance − current. *Favourable* = share of answers in the top two scale points.",
        f"- **Bands.** Strength from {lo + 0.75 * rng:.1f}, concern below {lo + 0.5 * rng:.1f} "
        "(75 % and 50 % of the way up the scale), borderline between.",
        "- **Differences.** Two organisations' views, and two reviews, are compared with Welch's t-test on respondent "
        "means; a difference is flagged when it is at least half a scale point and p < 0.05.",
        f"- **Anonymity.** No figure is shown for a group of fewer than {min_n} respondents (and where hiding one "
        "group could be undone by subtraction, the next-smallest is hidden too); comments are shown only for groups "
        f"of at least {max(min_n, 10)}.",
        f"- **Responses.** {len(kept)} responses were analysed for {esc(period)}; excluded: {excluded}. Personal data "
        "(names, e-mail and IP addresses, locations) was removed when the export was read.",
    ])
