"""Sentences generated from the numbers, for the report and the workshop.

Pure functions: tables in, Markdown text out.  Every name that comes from a
client's files is escaped (:func:`partnerlib.report.text.esc`), so nothing a
respondent or a codebook wrote can become markup; every threshold a sentence
states is read from the :class:`~partnerlib.settings.Method` the analysis applied.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.scores import band_cutoffs
from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES
from .text import date_text, esc, fmt, p_text, pct, signed


def strengths_and_gaps_text(ranking: pd.DataFrame, *, period: str) -> str:
    """Two sentences naming the strengths and the priority gaps of ``ranking``.

    ``ranking`` is the output of :func:`partnerlib.strengths_and_gaps` for one group.
    """
    strengths = ranking[ranking["kind"] == "strength"]
    gaps = ranking[ranking["kind"] == "gap"]
    if strengths.empty:
        return f"No principle could be scored for {esc(period)}: every group was below the anonymity minimum."
    s = ", ".join(f"**{esc(r.principle)}** ({fmt(r.current)})" for r in strengths.itertuples())
    g = ", ".join(
        f"**{esc(r.principle)}** (importance {fmt(r.importance)} vs current {fmt(r.current)}, gap {fmt(r.gap)})"
        for r in gaps.itertuples()
    )
    return (
        f"In {esc(period)} the principles lived best are {s}. "
        f"The largest gaps between what matters and what happens are {g}."
    )


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
            lines.append(
                f"- **{esc(r.principle)}** {verb} from {fmt(r.current_from)} to {fmt(r.current_to)} "
                f"since {since} (change {signed(r.change)}, {p_text(r.p_value)})."
            )
    steady = last[last["direction"].astype(str) == "no clear change"]["principle"].astype(str).tolist()
    if steady:
        lines.append(f"- No clear change since {since} for {', '.join(esc(p) for p in steady)}.")
    return "\n".join(lines)


def perception_text(gaps: pd.DataFrame, *, method: Method = METHOD) -> str:
    """Sentences on where the organisations see the partnership differently.

    ``gaps`` is the output of :func:`partnerlib.perception_differences` with ``method``'s
    thresholds; flagged rows (``|difference| >= method.difference_threshold`` and
    ``p < method.significance``) are described, largest first.
    """
    if gaps is None or gaps.empty:
        return "The two organisations' views could not be compared (too few responses on one side)."
    flagged = gaps[gaps["flag"].astype(bool)].copy()
    if flagged.empty:
        return (
            "The organisations see every principle in much the same way (no difference of "
            f"{method.difference_threshold:g} scale points or more)."
        )
    flagged = flagged.reindex(flagged["difference"].abs().sort_values(ascending=False).index)
    lines = []
    for r in flagged.to_dict("records"):
        first = r["difference"] > 0
        higher, lower = (r["side_a"], r["side_b"]) if first else (r["side_b"], r["side_a"])
        hi_v, lo_v = (r["current_a"], r["current_b"]) if first else (r["current_b"], r["current_a"])
        lines.append(
            f"- **{esc(r['principle'])}**: {esc(higher)} rates it {fmt(hi_v)}, {esc(lower)} {fmt(lo_v)} "
            f"(difference {abs(r['difference']):.1f}, {p_text(r['p_value'])})."
        )
    return "\n".join(lines)


def comments_html(shown) -> str:
    """Respondents' comments as escaped HTML, grouped by organisation.

    ``shown`` is the :class:`partnerlib.analysis.ShownComments` of :func:`partnerlib.comments_to_show`.
    """
    comments, hidden_groups = shown.comments, shown.hidden
    if comments.empty and not hidden_groups:
        return "<p>No comments were given.</p>"
    parts = []
    for partner, block in comments.groupby("partner", observed=True, sort=True):
        items = "".join(f"<li>{esc(t)}</li>" for t in block["text"])
        parts.append(f"<h4>{esc(partner)}</h4><ul>{items}</ul>")
    if hidden_groups:
        parts.append(
            f"<p><em>Comments from groups of fewer than {shown.threshold} respondents are not shown: "
            f"{esc(', '.join(hidden_groups))}.</em></p>"
        )
    return "".join(parts)


def method_note(
    *, scale, method: Method = METHOD, dropped: pd.DataFrame, respondents: pd.DataFrame, period: str
) -> str:
    """The method note: scales, bands, thresholds, anonymity minimum, and exclusions with their counts.

    Every number it states is read from ``method``, the one the analysis applied.
    """
    lo, hi = scale
    strength, concern = band_cutoffs(scale, method=method)
    kept = respondents[respondents["period"].astype(str) == str(period)]
    ex = dropped[dropped["period"].astype(str) == str(period)]
    counts = ex["reason"].astype(str).value_counts()
    reasons = {
        "preview": "survey previews",
        "test": "test responses",
        "incomplete": "unfinished responses",
        "duplicate": "duplicate submissions",
        "empty": "responses with no rated statement",
    }
    excluded = ", ".join(f"{counts[k]} {v}" for k, v in reasons.items() if k in counts) or "none"
    level = f"{method.confidence:.0%}".replace("%", " %")
    return "\n".join(
        [
            f"- **Scale.** Every statement was rated from {lo:g} to {hi:g} for how well it is lived today "
            '(*current*) and how much it matters (*importance*). "Don\'t know" answers are left out of the scores.',
            "- **Scores.** Each respondent's ratings of a principle's statements are averaged first, then "
            f"averaged over respondents, so everyone counts once. The {level} interval is a Student-t interval of "
            "those respondent means. *Gap* = importance − current. *Favourable* = share of answers in the top "
            f"{method.favourable_points} scale points.",
            f"- **Bands.** Strength from {strength:.1f}, concern below {concern:.1f} ({method.strength_from:.0%} and "
            f"{method.concern_below:.0%} of the way up the scale), borderline between.",
            "- **Differences.** Two organisations' views, and two reviews, are compared with Welch's t-test on "
            "respondent means; a difference is flagged when it is at least "
            f"{method.difference_threshold:g} scale points and p < {method.significance:g}.",
            f"- **Anonymity.** No figure is shown for a group of fewer than {method.min_n} respondents (and where "
            "hiding one group could be undone by subtraction, the next-smallest is hidden too); comments are shown "
            f"only for groups of at least {method.comments_threshold}.",
            f"- **Responses.** {len(kept)} responses were analysed for {esc(period)}; excluded: {excluded}. Personal "
            "data (names, e-mail and IP addresses, locations) was removed when the export was read.",
        ]
    )


def participation_text(respondents: pd.DataFrame, engagement: pd.DataFrame | None, *, method: Method = METHOD) -> str:
    """Who took part: respondents per organisation and, with a roster, response rates and flags.

    ``engagement`` is :func:`partnerlib.engagement` (rows per role plus an
    ``All roles`` row per organisation).
    """
    counts = respondents.groupby("partner", observed=True).size()
    per_org = ", ".join(f"{n} from {esc(p)}" for p, n in counts.items())
    text = f"{int(counts.sum())} people took part ({per_org})."
    if engagement is None or engagement.empty:
        return text
    totals = engagement[engagement["role"].astype(str) == ALL_ROLES]
    invited = totals["invited"].sum()
    if invited:
        text = (
            f"{int(counts.sum())} of the {int(invited)} people invited took part "
            f"({pct(counts.sum() / invited)}): {per_org}."
        )
    low = engagement[engagement["low_response"].astype(bool) & (engagement["role"].astype(str) != ALL_ROLES)]
    text += _sentence(
        f"Response was below {pct(method.rate_threshold)} for ",
        [f"{esc(r.partner)} {esc(str(r.role).lower())} ({pct(r.response_rate)})" for r in low.itertuples()],
    )
    unbalanced = totals[totals["imbalanced"].astype(bool)]
    text += _sentence(
        "The two sides are unevenly represented: ",
        [
            f"{esc(r.partner)} gave {pct(r.share_responded)} of responses but had {pct(r.share_invited)} of invitations"
            for r in unbalanced.itertuples()
        ],
    )
    return text


def _sentence(lead: str, items: list[str], sep: str = ", ") -> str:
    """``" <lead><item><sep><item>."``, or ``""`` where there are no items."""
    return f" {lead}{sep.join(items)}." if items else ""


def kpi_text(scorecard: pd.DataFrame | None) -> str:
    """KPI status counts and the KPIs off track the longest."""
    if scorecard is None or scorecard.empty:
        return "No KPI workbook was given for this review."
    counts = scorecard["status"].astype(str).value_counts()
    order = ["on track", "watch", "off track", "no target"]
    parts = ", ".join(f"{counts[s]} {s}" for s in order if s in counts)
    text = f"Of {len(scorecard)} KPIs, {parts}."
    off = scorecard[scorecard["status"].astype(str) == "off track"].sort_values("periods_off_track", ascending=False)
    long_off = off[off["periods_off_track"] >= 2]
    text += _sentence(
        "Off track for several periods in a row: ",
        [f"{esc(r['kpi'])} ({int(r['periods_off_track'])} periods)" for r in long_off.to_dict("records")],
    )
    return text


def alignment_text(alignment: pd.DataFrame | None, index: float | None = None) -> str:
    """The objectives alignment index and the objectives that are divergent or unsupported."""
    if alignment is None or alignment.empty:
        return "No objectives sheet was given for this review."
    status = alignment["status"].astype(str)
    text = f"{(status == 'aligned').sum()} of {len(alignment)} objectives are aligned (alignment index {pct(index)})."
    for name, what in (
        ("divergent", "much more important to one partner than to the other"),
        ("unsupported", "poorly served by the partnership"),
    ):
        names = alignment.loc[status == name, "objective"].astype(str).tolist()
        if names:
            text += f" {name.capitalize()} ({len(names)}), {what}: " + "; ".join(esc(n) for n in names) + "."
    return text


def followup_text(followup: pd.DataFrame | None, *, period: str) -> str:
    """How last period's actions went: outcomes of their principles' gaps and overdue actions."""
    if followup is None or followup.empty:
        return "No actions register was given for this review."
    earlier = followup[followup["period"].astype(str) < str(period)]
    if earlier.empty:
        return f"No actions were agreed before {esc(period)}."
    counts = earlier["outcome"].astype(str).value_counts()
    text = (
        f"{len(earlier)} actions were agreed at earlier reviews. Since then the gaps they addressed have "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + "."
    )
    overdue = earlier[earlier["overdue"].fillna(False).astype(bool)]
    text += _sentence(
        f"{len(overdue)} are overdue: ",
        [f"{esc(r.id)} {esc(r.action)} ({esc(r.owner)}, due {date_text(r.due)})" for r in overdue.itertuples()],
        sep="; ",
    )
    return text


def summary_text(results) -> str:
    """The one-page summary of a review, as Markdown bullets.

    ``results`` is a :class:`partnerlib.report.ReviewResults`.
    """
    r = results
    lines = [f"- **Participation.** {participation_text(r.respondents, r.engagement, method=r.method)}"]
    strengths = r.ranking[r.ranking["kind"] == "strength"]
    if len(strengths):
        lines.append(
            "- **Strengths to keep.** "
            + ", ".join(f"{esc(x.principle)} ({fmt(x.current)})" for x in strengths.itertuples())
            + "."
        )
    if len(r.priorities):
        lines.append(
            "- **Priority gaps.** "
            + ", ".join(
                f"{esc(x.principle)} (matters {fmt(x.importance)}, lived {fmt(x.current)})"
                for x in r.priorities.itertuples()
            )
            + "."
        )
    flagged = r.perception[r.perception["flag"].astype(bool)] if len(r.perception) else r.perception
    if len(flagged):
        top = flagged.loc[flagged["difference"].abs().idxmax()]
        higher, lower = (top.side_a, top.side_b) if top.difference > 0 else (top.side_b, top.side_a)
        lines.append(
            f"- **Biggest disagreement.** {esc(top.principle)}: {esc(higher)} rates it "
            f"{abs(top.difference):.1f} points higher than {esc(lower)}."
        )
    else:
        lines.append("- **Biggest disagreement.** None: the organisations see every principle in much the same way.")
    if r.change is not None and len(r.change):
        last = r.change[r.change["period_to"].astype(str) == r.period]
        up = last.loc[last["direction"].astype(str) == "improved", "principle"].astype(str).tolist()
        down = last.loc[last["direction"].astype(str) == "declined", "principle"].astype(str).tolist()
        lines.append(
            f"- **Since {esc(r.previous)}.** Improved: {', '.join(map(esc, up)) or 'none'}; "
            f"declined: {', '.join(map(esc, down)) or 'none'}."
        )
    if r.scorecard is not None:
        lines.append(f"- **KPIs.** {kpi_text(r.scorecard)}")
    return "\n".join(lines)
