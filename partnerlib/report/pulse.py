"""What a pulse check-in report says: the pulse read against the annual baseline, its table and its sentences.

:func:`analyse_pulse` reads the annual review's survey of the baseline period and the pulse's export (with its own
codebook where it has one) and compares each pulsed principle (:func:`partnerlib.analysis.pulse.pulse_change`),
beside the status of the actions the register holds on it (:func:`partnerlib.analysis.pulse.action_status`).
Every figure shown comes from a group of at least the anonymity minimum, the pairs included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..analysis.pulse import action_status, pulse_change
from ..exceptions import PartnerDataError
from ..io.actions import read_actions
from ..io.codebook import load_codebook
from ..io.survey import Survey, read_survey
from ..settings import Method
from ..vocabulary import ACTION_STATUSES, PULSE_TESTS
from .review import _given, review_method
from .tables import _drop_empty, _p
from .text import adjusted_chance_text, and_list, bullets, count, esc, fmt, paragraph, signed, strong


@dataclass(frozen=True)
class PulseResults:
    """Everything a pulse report shows (see :func:`analyse_pulse`)."""

    client: str
    period: str
    baseline: str
    method: Method
    baseline_survey: Survey
    pulse_survey: Survey
    change: pd.DataFrame
    actions: pd.DataFrame
    has_register: bool
    date: dt.date

    @property
    def respondents(self) -> int:
        """The pulse's kept respondents."""
        return len(self.pulse_survey.respondents)


def analyse_pulse(
    *,
    baseline_survey,
    pulse_survey,
    codebook,
    period: str,
    baseline: str,
    client: str = "",
    pulse_codebook=None,
    actions=None,
    min_n: int | None = None,
    method: Method | Mapping | None = None,
) -> PulseResults:
    """Read a pulse and its annual baseline and compare each pulsed principle.

    Parameters
    ----------
    baseline_survey : path
        The annual review's export of period ``baseline``.
    pulse_survey : path
        The pulse's export (its period is ``period``, the pulse's label).
    codebook : path, dict or Codebook
        The annual survey's codebook.
    period, baseline : str
        The pulse's label (``2026-Q3``) and the annual period it is compared with.
    client : str
    pulse_codebook : path, optional
        The pulse's own codebook (default ``None`` or ``""``: the annual one).  Its principles must be principles of
        the annual codebook, on the same scale; the same ``salt`` and id column pair up the respondents.
    actions : path, optional
        The actions register.
    min_n : int, optional
        Anonymity minimum (default ``method.min_n``).
    method : Method or mapping, optional

    Raises
    ------
    PartnerDataError
        If the two codebooks' scales differ, the pulse asks about a principle the annual survey lacks, or an input is
        invalid.
    """
    m = review_method(method, min_n=min_n)
    annual_cb = load_codebook(codebook)
    pulse_cb = load_codebook(pulse_codebook) if _given(pulse_codebook) else annual_cb
    if pulse_cb.scale != annual_cb.scale:
        raise PartnerDataError(
            f"the pulse's codebook {pulse_cb.source} has the scale {pulse_cb.scale}, the annual codebook "
            f"{annual_cb.source} {annual_cb.scale}; expected the same scale so that the scores compare"
        )
    before = read_survey(baseline_survey, annual_cb, period=str(baseline))
    after = read_survey(pulse_survey, pulse_cb, period=str(period))
    change = pulse_change(before.responses, after.responses, method=m)
    register = read_actions(actions, principles=annual_cb.principle_order) if _given(actions) else None
    return PulseResults(
        client=client,
        period=str(period),
        baseline=str(baseline),
        method=m,
        baseline_survey=before,
        pulse_survey=after,
        change=change,
        actions=action_status(register, change["principle"].astype(str).tolist()),
        has_register=register is not None,
        date=dt.date.today(),
    )


def actions_text(row) -> str:
    """One principle's actions by status in words (``"2 actions: 1 done, 1 in progress"``), ``"no action"``."""
    if not row["actions"]:
        return "no action"
    parts = [f"{row[s]} {s}" for s in ACTION_STATUSES if row[s]]
    return f"{count(row['actions'], 'action')}: {', '.join(parts)}"


def _test_text(r) -> str:
    if r["test"] == PULSE_TESTS[0]:
        return f"paired, {r['n_pairs']} in both"
    return "independent samples"


def pulse_table(results: PulseResults) -> pd.DataFrame:
    """The report's table: per principle, both surveys' scores (respondents), the change with its likely range,
    the test, the Holm-adjusted p-value, the reading and the actions on it; a hidden principle says why."""
    acts = results.actions.set_index("principle")
    rows = []
    for r in results.change.to_dict("records"):
        done = actions_text(acts.loc[str(r["principle"])]) if results.has_register else "–"
        if r["suppressed"]:
            rows.append([str(r["principle"]), str(r["hidden"]), "", "", "", "", "", "", done])
            continue
        span = "–" if pd.isna(r["ci_low"]) else f"{signed(r['ci_low'])} to {signed(r['ci_high'])}"
        rows.append([str(r["principle"]), f"{fmt(r['baseline'])} ({r['n_baseline']})",
                     f"{fmt(r['pulse'])} ({r['n_pulse']})", signed(r["change"]), span, _test_text(r),
                     _p(r["p_adjusted"]), str(r["direction"]), done])  # fmt: skip
    columns = [
        "Principle", f"Annual {results.baseline} (responses)", f"Pulse {results.period} (responses)",
        "Change (points)", "Likely range", "Test", "p (adjusted, Holm)", "Reading", "Actions on it",
    ]  # fmt: skip
    return _drop_empty(pd.DataFrame(rows, columns=columns))


def pulse_text(results: PulseResults) -> str:
    """What moved since the annual review, principle by principle, each beside the actions on it (HTML)."""
    change, m = results.change, results.method
    if change["suppressed"].all():
        return paragraph(
            f"Too few people answered the pulse (or the annual survey) on any principle to show a change: each "
            f"group needs at least {m.min_n} respondents."
        )
    acts = results.actions.set_index("principle")
    lines = []
    for r in change[~change["suppressed"].astype(bool)].to_dict("records"):
        what = (
            f"{strong(r['principle'])} {r['direction']} since the annual review"
            if r["direction"] != "no clear change"
            else f"No clear change for {strong(r['principle'])}"
        )
        done = f" Actions on it: {esc(actions_text(acts.loc[str(r['principle'])]))}." if results.has_register else ""
        how = (
            f"the {count(r['n_pairs'], 'person', 'people')} who answered both moved {signed(r['change'])} points on "
            "average (paired test"
            if r["test"] == PULSE_TESTS[0]
            else f"a difference of {signed(r['change'])} points (independent samples"
        )
        lines.append(
            f"{what}: {fmt(r['baseline'])} in {esc(results.baseline)}, {fmt(r['pulse'])} in the pulse; {how}; "
            f"{adjusted_chance_text(r['p_value'], r['p_adjusted'], m.significance)}).{done}"
        )
    hidden = change[change["suppressed"].astype(bool)]["principle"].astype(str).tolist()
    if hidden:
        lines.append(f"Not shown, fewer than {m.min_n} respondents: {and_list(esc(p) for p in hidden)}.")
    return bullets(lines)


def pulse_intro(results: PulseResults) -> str:
    """Who answered the pulse and what it is compared with (HTML)."""
    asked = and_list(esc(p) for p in results.change["principle"].astype(str))
    return paragraph(
        f"A short pulse survey between annual reviews, on {asked}. {count(results.respondents, 'person', 'people')} "
        f"answered it; it is compared with the annual survey of {esc(results.baseline)} "
        f"({count(len(results.baseline_survey.respondents), 'respondent')})."
    )


def pulse_method_note(results: PulseResults) -> str:
    """How the changes were computed, for the report's method note (HTML)."""
    m = results.method
    level = f"{m.confidence:.0%}"
    return bullets(
        [
            "Each person's score for a principle is the mean of their answers to its statements; a principle's score "
            "is the mean over the people who answered it.",
            "Where the same people answered both surveys (matched by a pseudonym, never by name), the change is the "
            "mean of each person's own change and is tested with a paired t-test; otherwise the two surveys are "
            "compared as independent samples with Welch's t-test.",
            f"The likely range is the {level} confidence interval of the change. The p-values are adjusted with "
            f"Holm's method across the principles of the pulse; a change is read as improved or declined where the "
            f"adjusted p-value is below {m.significance:g}.",
            f"No group of fewer than {m.min_n} people is shown, the people in both surveys included; the pairs are "
            f"not used where the people outside them would be fewer than {m.min_n}.",
        ]
    )


def pulse_headlines(results: PulseResults) -> dict:
    """The pulse's headline figures for the portfolio page: its respondents (no scores: a pulse is not a review,
    so it never enters the norms)."""
    return {"respondents": results.respondents}
