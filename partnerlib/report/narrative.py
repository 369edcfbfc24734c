"""Sentences generated from the numbers, for the report (pure functions: tables in, HTML out).

The sentences are HTML, not Markdown, and every name that comes from a client's files is escaped
(:mod:`partnerlib.report.text`), so nothing a respondent or a codebook wrote can become markup, a link or a
formula.  Every threshold a sentence states is read from the :class:`~partnerlib.settings.Method` the analysis
applied, and strengths and priorities come from the one rule of :func:`partnerlib.strengths_and_gaps`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import strengths_and_gaps
from ..analysis.norms import rank_text
from ..analysis.scores import band_cutoffs
from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES, KPI_SEVERITY, PROTECTS_SMALLER_GROUP, QUADRANTS, too_few_text
from .evidence import detectable_text, statistics_note
from .text import adjusted_chance_text, and_list, bullets, count, date_text, esc, fmt, paragraph, pct, signed, strong


def _strength_level(scale, method: Method) -> str:
    return f"{band_cutoffs(scale, method=method)[0]:.1f}"


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["suppressed"].astype(bool)] if "suppressed" in frame else frame


def priority_phrase(row) -> str:
    """``Accountability (matters 4.5, lived 2.9: a gap of 1.6; earlier actions: 2 (1 narrowed, 1 widened))``."""
    earlier = row.get("earlier_actions")
    history = "" if not isinstance(earlier, str) or earlier == "none" else f"; {esc(earlier_text(earlier))}"
    return (
        f"{strong(row['principle'])} (matters {fmt(row['importance'])}, lived {fmt(row['current'])}: "
        f"a gap of {fmt(row['gap'])}{history})"
    )


def earlier_text(earlier: str) -> str:
    """``"2 (1 closed, 1 narrowed)"`` (:func:`partnerlib.analysis.priorities`) as ``"2 earlier actions: 1 closed,
    1 narrowed the gap"``."""
    n, _, outcomes = earlier.partition(" (")
    return f"{count(int(n), 'earlier action')}: {outcomes.rstrip(')')} the gap" if n.isdigit() else earlier


def act_first_text(priorities: pd.DataFrame, scores: pd.DataFrame, *, scale, method: Method = METHOD) -> str:
    """What to act on first: the proposed priorities and why, or why there are none."""
    level = _strength_level(scale, method)
    if len(priorities):
        names = and_list(priority_phrase(r) for r in priorities.to_dict("records"))
        verb = "matters" if len(priorities) == 1 else "matter"
        return (
            f"{names} {verb} more than most principles and {'is' if len(priorities) == 1 else 'are'} not lived at "
            f"strength level ({level} or more): {'this is' if len(priorities) == 1 else 'these are'} the "
            "principles to agree actions on."
        )
    shown = _shown(scores).dropna(subset=["gap"])
    if shown.empty:
        return "No principle could be scored: every group was below the anonymity minimum."
    top = shown.sort_values("gap", ascending=False).iloc[0]
    return (
        f"No principle both matters more than most and is lived below strength level ({level}); the largest gap "
        f"is {strong(top['principle'])} ({fmt(top['gap'])})."
    )


def strengths_phrase(scores: pd.DataFrame, *, scale, method: Method = METHOD) -> str:
    """The strengths to keep (the one rule of :func:`partnerlib.strengths_and_gaps`), or that there are none."""
    ranking = strengths_and_gaps(scores, method=method)
    strong_ones = ranking[ranking["kind"] == "strength"]
    level = _strength_level(scale, method)
    if strong_ones.empty:
        return f"No principle is lived at strength level ({level} or more) yet."
    names = and_list(f"{strong(r.principle)} ({fmt(r.current)})" for r in strong_ones.itertuples())
    verb = "is" if len(strong_ones) == 1 else "are"
    return f"{names} {verb} lived at strength level ({level} or more)."


def strengths_and_gaps_text(scores: pd.DataFrame, *, period: str, scale, method: Method = METHOD) -> str:
    """The strengths and the priority gaps of one group's ``scores``, and where the other principles stand."""
    shown = _shown(scores).dropna(subset=["current"])
    if shown.empty:
        return paragraph(
            f"No principle could be scored for {esc(period)}: every group was below the anonymity minimum."
        )
    ranking = strengths_and_gaps(scores, method=method)
    chosen = set(ranking["principle"].astype(str))
    text = f"In {esc(period)}: {strengths_phrase(scores, scale=scale, method=method)} "
    focus = ranking[ranking["kind"] == "priority"]
    if len(focus):
        text += (
            f"The priority {'gap is' if len(focus) == 1 else 'gaps are'} "
            + and_list(f"{strong(r.principle)} (gap {fmt(r.gap)})" for r in focus.itertuples())
            + ": principles that matter more than the average principle and are not yet strengths. "
        )
    rest = shown[~shown["principle"].astype(str).isin(chosen)]
    low = rest[rest["quadrant"].astype("object") == QUADRANTS[3]]["principle"].astype(str).tolist()
    if low:
        text += (
            f"{and_list(strong(p) for p in low)} {'is' if len(low) == 1 else 'are'} below strength level too but "
            "matter less than the others."
        )
    return paragraph(text.strip())


def hidden_note(frame: pd.DataFrame, what=("principle",)) -> str:
    """A sentence naming the groups of ``frame`` that are hidden, each with its reason (two reasons, two wordings).

    ``what`` are the columns that name a group (joined with " · ": ``("partner", "role")``).
    """
    hidden = frame[frame["suppressed"].astype(bool)] if "suppressed" in frame else frame.iloc[0:0]
    if hidden.empty or "hidden" not in hidden:
        return ""
    columns = [what] if isinstance(what, str) else list(what)
    parts = []
    for reason, block in hidden.groupby("hidden", sort=True):
        labels = [" · ".join(v) for v in zip(*(block[c].astype(str) for c in columns))]
        names = and_list(esc(n) for n in dict.fromkeys(labels))
        parts.append(f"{names}: {esc(reason)}")
    return paragraph("<em>Not shown: " + "; ".join(parts) + ".</em>")


def perception_text(perception: pd.DataFrame, *, method: Method = METHOD) -> str:
    """Where the organisations see a principle clearly differently, largest difference first.

    ``perception`` is :func:`partnerlib.perception_differences`; a difference is clear where it is at least
    ``method.difference_threshold`` points and the Holm-adjusted ``p < method.significance``.
    """
    if perception is None or perception.empty or _shown(perception).empty:
        return paragraph(
            "The organisations' views cannot be compared: one of them has too few responses "
            f"({too_few_text(method.min_n)}, or {PROTECTS_SMALLER_GROUP})."
        )
    flagged = perception[perception["flag"].astype(bool)].copy()
    rule = f"at least {method.difference_threshold:g} points apart and unlikely to be chance"
    if flagged.empty:
        return paragraph(f"The organisations see every principle in much the same way: no difference is {rule}.")
    flagged = flagged.reindex(flagged["difference"].abs().sort_values(ascending=False).index)
    lines = []
    for r in flagged.to_dict("records"):
        first = r["difference"] > 0
        higher, lower = (r["side_a"], r["side_b"]) if first else (r["side_b"], r["side_a"])
        hi_v, lo_v = (r["current_a"], r["current_b"]) if first else (r["current_b"], r["current_a"])
        lines.append(
            f"{strong(r['principle'])}: {esc(higher)} rates it {fmt(hi_v)}, {esc(lower)} {fmt(lo_v)} "
            f"({abs(r['difference']):.1f} points apart; "
            f"{adjusted_chance_text(r['p_value'], r['p_adjusted'], method.significance)})."
        )
    return paragraph(f"Clear differences ({rule}):") + bullets(lines)


def change_text(change: pd.DataFrame | None, *, method: Method = METHOD) -> str:
    """What changed between the last two periods of ``change`` (:func:`partnerlib.period_change`)."""
    if change is None or change.empty:
        return paragraph("There is no earlier review to compare with, so no change can be shown yet.")
    last = change[change["period_to"].astype(str) == str(max(change["period_to"].astype(str)))]
    since = esc(last["period_from"].astype(str).iloc[0])
    lines = []
    for direction in ("improved", "declined"):
        part = last[last["direction"].astype(str) == direction].sort_values("change", ascending=direction != "improved")
        for r in part.itertuples():
            lines.append(
                f"{strong(r.principle)} {direction} from {fmt(r.current_from)} to {fmt(r.current_to)} since {since} "
                f"({signed(r.change)}; {adjusted_chance_text(r.p_value, r.p_adjusted, method.significance)})."
            )
    steady = last[last["direction"].astype(str) == "no clear change"]["principle"].astype(str).tolist()
    if steady:
        lines.append(f"No clear change since {since} for {and_list(esc(p) for p in steady)}.")
    return bullets(lines)


def norms_text(ranks: pd.DataFrame | None, *, method: Method = METHOD) -> str:
    """How the partnership compares with the consultant's other clients' partnerships (percentile ranks)."""
    if ranks is None:
        return paragraph("No portfolio norms were given for this review (the manifest's <code>norms</code>).")
    shown = ranks[ranks["shown"].astype(bool)]
    if shown.empty:
        return paragraph(
            f"Not enough comparable partnerships yet: a rank is shown where at least "
            f"{method.norm_min_partnerships} partnerships of at least {method.norm_min_clients} other clients have "
            "a score for the principle."
        )
    order = shown.sort_values("percentile", ascending=False, kind="stable")
    best, worst = order.iloc[0], order.iloc[-1]
    lines = [
        f"Each principle's score is ranked among the latest reviews of other clients' partnerships (never this "
        f"client's own, never naming another). {strong(best['principle'])} ranks highest: "
        f"{rank_text(best['percentile'], int(best['others']))} partnerships."
    ]
    if len(order) > 1:
        lines.append(
            f"{strong(worst['principle'])} ranks lowest: {rank_text(worst['percentile'], int(worst['others']))}."
        )
    return paragraph(" ".join(lines))


def comments_intro(*, method: Method = METHOD) -> str:
    """How the comments are shown: which groups, identical comments, masked contact details."""
    return paragraph(
        f"Comments are shown as written, for organisations with at least {method.comments_threshold} respondents "
        "(words identify people more easily than averages). A comment given by several people is shown once, with "
        "how many gave it; e-mail addresses and phone numbers are masked."
    )


def themes_caption() -> str:
    """What the themes table shows and how a comment's theme is found."""
    return (
        "Comments per theme and organisation. A comment's theme is the principle whose name, statements and "
        "keywords it shares the most words with; 'other' where it shares none."
    )


def comments_html(shown) -> str:
    """Respondents' comments as escaped HTML, grouped by organisation, each distinct comment once with its count.

    ``shown`` is the :class:`partnerlib.analysis.ShownComments` of :func:`partnerlib.comments_to_show`.
    """
    comments, hidden_groups = shown.comments, shown.hidden
    if comments.empty and not hidden_groups:
        return paragraph("No comments were given.")
    parts = []
    for partner, block in comments.groupby("partner", observed=True, sort=True):
        counts = block["text"].astype(str).value_counts(sort=False)
        items = "".join(
            f"<li>{esc(text)}" + (f" <em>({count(n, 'person', 'people')})</em>" if n > 1 else "") + "</li>"
            for text, n in counts.items()
        )
        parts.append(f"<h4>{esc(partner)}</h4><ul class='partnerlib-comments'>{items}</ul>")
    if hidden_groups:
        parts.append(
            paragraph(
                f"<em>Not shown, from organisations with fewer than {shown.threshold} respondents: "
                f"{and_list(esc(g) for g in hidden_groups)}.</em>"
            )
        )
    return "".join(parts)


def priorities_text(priorities: pd.DataFrame, *, method: Method = METHOD) -> str:
    """What the action workshop should decide, above the table of proposed priorities."""
    if priorities.empty:
        return paragraph(
            "No principle is proposed: none both matters more than most and is lived below strength level. The "
            "workshop can choose where to improve from the gaps above."
        )
    return paragraph(
        f"The workshop should agree, for each of {'this principle' if len(priorities) == 1 else 'these principles'}, "
        "one or two actions, each with an owner and a due date, and how the next review will show whether the gap "
        f"closed (a gap of {method.closed_gap:g} points or less counts as closed). Participants may vote to change "
        "the order."
    )


def scores_caption(*, scale, method: Method = METHOD) -> str:
    """The caption of the principles table (thresholds from ``method``)."""
    lo, hi = scale
    return (
        f"Each principle rated from {lo:g} to {hi:g}; largest gap first. Likely range: where the lived-today score "
        f"would fall {method.confidence:.0%} of the time with other respondents. Favourable: answers in the top "
        f"{method.favourable_points} points of the scale."
    )


def reliability_caption(*, method: Method = METHOD) -> str:
    """The caption of the reliability table."""
    return (
        "Whether each principle's statements measure one thing (Cronbach's alpha, from 0 to 1; below "
        f"{method.alpha_threshold:g} its score is read with care)."
    )


#: How the method note names each exclusion rule of :data:`partnerlib.vocabulary.DROP_REASONS` (one, several).
_EXCLUDED = {
    "preview": ("survey preview", "survey previews"),
    "test": ("test response", "test responses"),
    "incomplete": ("unfinished response", "unfinished responses"),
    "duplicate": ("duplicate submission", "duplicate submissions"),
    "empty": ("response with no rated statement", "responses with no rated statement"),
}


def method_note(
    *,
    scale,
    method: Method = METHOD,
    dropped: pd.DataFrame,
    respondents: pd.DataFrame,
    period: str,
    finite: bool = False,
) -> str:
    """The method note: scales, scores, the one rule for strengths and priorities, tests, anonymity, exclusions.

    Every number it states is read from ``method``, the one the analysis applied; the exact definitions are here,
    the rest of the report uses plain words.  ``finite``: the intervals applied the finite-population correction.
    """
    lo, hi = scale
    strength, concern = band_cutoffs(scale, method=method)
    kept = respondents[respondents["period"].astype(str) == str(period)]
    ex = dropped[dropped["period"].astype(str) == str(period)]
    counts = ex["reason"].astype(str).value_counts()
    excluded = ", ".join(count(counts[k], *v) for k, v in _EXCLUDED.items() if k in counts) or "none"
    level = f"{method.confidence:.0%}"
    return bullets(
        [
            f"<strong>Scale.</strong> Every statement was rated from {lo:g} to {hi:g} for how well it is lived today "
            '(<em>current</em>) and how much it matters (<em>importance</em>). "Don\'t know" answers are left out '
            "of the scores. The answers to a reverse-worded statement are shown as given; only its score is "
            f"reversed ({lo:g} + {hi:g} − answer), so that a high score is good for every statement.",
            "<strong>Scores.</strong> Each respondent's ratings of a principle's statements are averaged first, "
            "then those averages are averaged over respondents (the mean of respondent means), so everyone counts "
            f"once. The likely range is the {level} Student-t confidence interval of the respondent means. "
            "<em>Gap</em> = importance − current. <em>Favourable</em> = share of answers in the top "
            f"{method.favourable_points} scale points.",
            f"<strong>Strengths and priorities.</strong> A principle is a <em>strength</em> from {strength:.1f} "
            f"({method.strength_from:.0%} of the way up the scale) and a <em>concern</em> below {concern:.1f} "
            f"({method.concern_below:.0%}), <em>borderline</em> between. The quadrant chart's lines are the strength "
            "level and the average importance of the principles. A <em>priority</em> is a principle that matters at "
            'least as much as the average principle and is not a strength ("concentrate here"); at most '
            f"{method.top} are proposed, largest gap first. So no principle is both a strength and a priority.",
            "<strong>Differences and changes.</strong> The two organisations' views, and two reviews, are compared "
            "with Welch's t-test on respondent means. Every principle is tested at once, so each p-value is adjusted "
            "by Holm's method across the principles of one comparison (the chance of any false alarm among them "
            "stays below the level); both are shown, and the adjusted one decides. A difference between the "
            f"organisations is <em>clear</em> when it is at least {method.difference_threshold:g} points and the "
            f"adjusted p &lt; {method.significance:g}; a change since the last review is clear when the adjusted "
            f"p &lt; {method.significance:g}. A difference between the "
            "organisations is never called a gap: a gap is importance − current.",
            *statistics_note(method=method, finite=finite),
            f"<strong>Anonymity.</strong> No figure is shown for a group of fewer than {method.min_n} respondents "
            f'("{too_few_text(method.min_n)}"). The overall, organisation and organisation × role figures are '
            "treated as parts of one table: further groups are hidden until no group smaller than "
            f'{method.min_n} can be worked out by adding and subtracting shown figures ("{PROTECTS_SMALLER_GROUP}"). '
            f"Comments are shown only for organisations of at least {method.comments_threshold} respondents.",
            f"<strong>Responses.</strong> {count(len(kept), 'response')} {'was' if len(kept) == 1 else 'were'} "
            f"analysed for {esc(period)}; excluded: {excluded}. Personal data (names, e-mail and IP addresses, "
            "locations) was removed when the export was read.",
        ]
    )


def _group_size(n: int, method: Method) -> str:
    """A group's respondent count as shown: the number, or "fewer than 5" below the anonymity minimum."""
    return f"fewer than {method.min_n}" if n < method.min_n else f"{n}"


def participation_text(respondents: pd.DataFrame, engagement: pd.DataFrame | None, *, method: Method = METHOD) -> str:
    """Who took part: respondents per organisation and, with a roster, response rates and flags.

    ``engagement`` is :func:`partnerlib.engagement` (rows per role plus an ``All roles`` row per organisation).
    Counts of a group below the anonymity minimum are written "fewer than 5".
    """
    counts = respondents.groupby("partner", observed=True).size()
    per_org = and_list(f"{_group_size(n, method)} from {esc(p)}" for p, n in counts.items())
    total = int(counts.sum())
    text = f"{count(total, 'person', 'people')} took part ({per_org})."
    if engagement is None or engagement.empty:
        return text
    totals = engagement[engagement["role"].astype(str) == ALL_ROLES]
    invited = int(totals["invited"].sum())
    if invited:
        people = count(invited, "person", "people")
        text = f"{total} of the {people} invited took part ({pct(total / invited)}): {per_org}."
    roles = engagement[engagement["role"].astype(str) != ALL_ROLES]
    low = roles[roles["low_response"].astype(bool)]
    lows = [
        f"{esc(r['partner'])} · {esc(r['role'])} ({pct(r['response_rate'])})"
        if int(r["responded"]) >= method.min_n
        else f"{esc(r['partner'])} · {esc(r['role'])} (fewer than {method.min_n} of {int(r['invited'])})"
        for r in low.to_dict("records")
    ]
    if lows:
        text += f" Response was below {pct(method.rate_threshold)} for {and_list(lows)}."
    unbalanced = totals[totals["imbalanced"].astype(bool)]
    if len(unbalanced):
        text += (
            " The two sides are unevenly represented: "
            + and_list(
                f"{esc(r.partner)} gave {pct(r.share_responded)} of responses but had {pct(r.share_invited)} "
                "of invitations"
                for r in unbalanced.itertuples()
            )
            + "."
        )
    return text


def kpi_text(scorecard: pd.DataFrame | None) -> str:
    """KPI status counts, most serious first, and the KPIs off track the longest."""
    if scorecard is None or scorecard.empty:
        return "No KPI workbook was given for this review."
    counts = scorecard["status"].astype(str).value_counts()
    parts = and_list(f"{counts[s]} {s}" for s in KPI_SEVERITY if s in counts)
    text = f"Of {count(len(scorecard), 'KPI')}, {parts}."
    off = scorecard[scorecard["status"].astype(str) == "off track"].sort_values("periods_off_track", ascending=False)
    long_off = off[off["periods_off_track"] >= 2]
    if len(long_off):
        text += (
            " Off track for several periods in a row: "
            + and_list(
                f"{esc(r['kpi'])} ({count(r['periods_off_track'], 'period')})" for r in long_off.to_dict("records")
            )
            + "."
        )
    return text


def alignment_text(alignment: pd.DataFrame | None, index: float | None = None) -> str:
    """The objectives alignment index and the objectives that are divergent or unsupported."""
    if alignment is None or alignment.empty:
        return paragraph("No objectives sheet was given for this review.")
    status = alignment["status"].astype(str)
    aligned = (status == "aligned").sum()
    text = f"{aligned} of {count(len(alignment), 'objective')} are aligned (alignment index {pct(index)})."
    for name, what in (
        ("divergent", "much more important to one partner than to the other"),
        ("unsupported", "poorly served by the partnership"),
    ):
        names = alignment.loc[status == name, "objective"].astype(str).tolist()
        if names:
            text += f" {name.capitalize()} ({len(names)}), {what}: " + "; ".join(esc(n) for n in names) + "."
    return paragraph(text)


def followup_text(followup: pd.DataFrame | None, *, period: str, method: Method = METHOD) -> str:
    """How earlier actions went: what became of the gaps they addressed, and which are overdue."""
    if followup is None or followup.empty:
        return paragraph("No actions register was given for this review.")
    earlier = followup[followup["period"].astype(str) < str(period)]
    if earlier.empty:
        return paragraph(f"No actions were agreed before {esc(period)}.")
    counts = earlier["outcome"].astype(str).value_counts()
    text = (
        f"{count(len(earlier), 'action')} {'was' if len(earlier) == 1 else 'were'} agreed at earlier reviews. "
        "Since then the gaps they addressed have "
        + and_list(f"{k} for {v}" if k in {"closed", "narrowed", "widened"} else f"{v} {k}" for k, v in counts.items())
        + f" (closed: a gap of {method.closed_gap:g} points or less; narrowed or widened: by at least "
        f"{method.min_gap_change:g})."
    )
    overdue = earlier[earlier["overdue"].fillna(False).astype(bool)]
    if len(overdue):
        text += (
            f" {len(overdue)} {'is' if len(overdue) == 1 else 'are'} overdue: "
            + "; ".join(
                f"{esc(r.id)} {esc(r.action)} ({esc(r.owner)}, due {date_text(r.due)})" for r in overdue.itertuples()
            )
            + "."
        )
    return paragraph(text)


def summary_text(results) -> str:
    """The summary of a review: what to act on first, then strengths, participation, differences and change.

    ``results`` is a :class:`partnerlib.report.ReviewResults`.
    """
    r = results
    lines = [
        f"<strong>Act on first.</strong> {act_first_text(r.priorities, r.scores, scale=r.scale, method=r.method)}",
        f"<strong>Strengths to keep.</strong> {strengths_phrase(r.scores, scale=r.scale, method=r.method)}",
        f"<strong>Who took part.</strong> {participation_text(r.respondents, r.engagement, method=r.method)}",
    ]
    flagged = r.perception[r.perception["flag"].astype(bool)] if len(r.perception) else r.perception
    if len(flagged):
        top = flagged.loc[flagged["difference"].abs().idxmax()]
        higher, lower = (top.side_a, top.side_b) if top.difference > 0 else (top.side_b, top.side_a)
        lines.append(
            f"<strong>Biggest difference between the organisations.</strong> {strong(top.principle)}: {esc(higher)} "
            f"rates it {abs(top.difference):.1f} points higher than {esc(lower)}."
        )
    else:
        lines.append(
            "<strong>Differences between the organisations.</strong> None clear: the organisations see every "
            "principle in much the same way."
        )
    if r.change is not None and len(r.change):
        last = r.change[r.change["period_to"].astype(str) == r.period]
        up = last.loc[last["direction"].astype(str) == "improved", "principle"].astype(str).tolist()
        down = last.loc[last["direction"].astype(str) == "declined", "principle"].astype(str).tolist()
        lines.append(
            f"<strong>Since {esc(r.previous)}.</strong> Improved: {and_list(map(esc, up)) or 'none'}; "
            f"declined: {and_list(map(esc, down)) or 'none'}."
        )
    unclear = not len(flagged) or (
        r.change is not None and (r.change["direction"].astype(str) == "no clear change").any()
    )
    detect = detectable_text(r.detectable, r.detectable_change, previous=r.previous, method=r.method)
    if unclear and detect:
        lines.append(f"<strong>What the survey can detect.</strong> {detect}")
    if r.scorecard is not None:
        lines.append(f"<strong>KPIs.</strong> {kpi_text(r.scorecard)}")
    return bullets(lines)
