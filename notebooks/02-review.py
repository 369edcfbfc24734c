# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["remove-cell"]
import partnerlib as pl
from partnerlib import narrative, report

# %% tags=["parameters"]
review_name: str = "northwind-contoso"  # manifest name of the review (folder under reports/)
client: str = "Northwind Health & Contoso Logistics"  # the client, as shown on the report
period: str = "2026"  # the period under review; must be a key of `surveys`
surveys: dict = {  # survey export per period, current and previous
    "2024": "../data/sample/survey_2024.csv",
    "2025": "../data/sample/survey_2025.csv",
    "2026": "../data/sample/survey_2026.csv",
}
codebook: str = "../data/sample/codebook.yml"  # codebook YAML mapping export columns to principles
roster: str = "../data/sample/roster.csv"  # invited counts per organisation and role ("" if none)
kpis: str = "../data/sample/kpis.xlsx"  # KPI workbook ("" if none)
objectives: str = "../data/sample/objectives.csv"  # objectives sheet ("" if none)
actions: str = "../data/sample/actions.csv"  # actions register ("" if none)
min_n: int = 5  # anonymity minimum: smaller groups are never shown
review_date: str = ""  # YYYY-MM-DD at which open actions are judged overdue (empty: 1 January of the period)

# %% tags=["remove-cell"]
report.setup()
review = report.analyse_review(
    surveys=surveys,
    codebook=codebook,
    period=period,
    client=client,
    roster=roster,
    kpis=kpis,
    objectives=objectives,
    actions=actions,
    min_n=min_n,
    review_date=review_date,
)
report.record_headlines(report.headlines(review))

# %%
report.title(client, period, review_name)

# %% [markdown]
# ## Summary

# %%
report.markdown(narrative.summary_text(review))

# %% [markdown]
# ## Participation and engagement

# %%
report.markdown(narrative.participation_text(review.respondents, review.engagement, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.engagement_bars, review.engagement, size=(8, 4))
# %% [markdown]
# ## Strengths and gaps
# Each principle's score for how well it is lived today against how much it matters. Principles in the top left
# matter most and are lived least: that is where to concentrate.

# %%
report.markdown(narrative.strengths_and_gaps_text(review.ranking, period=period))

# %% tags=["chart"]
report.chart(pl.plots.quadrant_scatter, review.scores, size=(8, 6))
# %%
report.table(
    review.scores,
    columns=[
        "principle",
        "n",
        "current",
        "ci_low",
        "ci_high",
        "importance",
        "gap",
        "favourable",
        "band",
        "quadrant",
        "suppressed",
    ],
    caption="Principles, scored from each respondent's mean (95 % interval of the current score)",
)

# %% [markdown]
# ## Principle detail
# How the answers to each statement were spread, from strongly disagree (left) to strongly agree (right);
# "don't know" answers are counted apart.

# %% tags=["chart"]
report.chart(
    pl.plots.likert_bars,
    review.likert,
    label="statement",
    point_labels=review.survey.codebook.point_labels(),
    size=(9, 11),
)
# %% tags=["chart"]
report.chart(pl.plots.score_heatmap, review.scores_by_role, columns=["partner", "role"], size=(9, 5))
# %% [markdown]
# ## How each organisation sees the partnership

# %%
report.markdown(narrative.perception_text(review.perception, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.perception_dumbbell, review.perception, size=(8, 5))
# %% [markdown]
# ## Change since the previous review

# %%
report.markdown(narrative.change_text(review.change))

# %% tags=["chart"]
report.chart(pl.plots.trend_lines, review.trend, size=(8, 5))
# %% [markdown]
# ## KPI scorecard

# %%
report.markdown(narrative.kpi_text(review.scorecard))

# %% tags=["chart"]
report.chart(pl.plots.kpi_bars, review.scorecard, review.kpis, size=(9, 6))
# %% [markdown]
# ## Objectives alignment

# %%
report.markdown(narrative.alignment_text(review.alignment, review.alignment_index))

# %% tags=["chart"]
report.chart(pl.plots.alignment_matrix, review.alignment, size=(8, 4))
# %% [markdown]
# ## Follow-up of last period's actions

# %%
report.markdown(narrative.followup_text(review.followup, period=period))

# %% tags=["chart"]
report.chart(pl.plots.followup_arrows, review.followup, method=review.method, size=(9, 4))
# %% [markdown]
# ## What people said
# Comments are shown as written, for organisations with at least ten respondents.

# %%
report.comments(review)

# %% [markdown]
# ## Proposed priorities for the action workshop

# %%
report.table(
    review.priorities,
    columns=["rank", "principle", "gap", "current", "importance", "quadrant", "disagreement", "earlier_actions"],
    caption="The largest gaps, 'concentrate here' first; disagreement = flagged difference between the "
    "organisations; earlier actions = actions on the principle and how its gap moved",
)

# %% [markdown]
# ## Method note

# %%
report.markdown(
    narrative.method_note(
        scale=review.scale,
        method=review.method,
        dropped=review.survey.dropped,
        respondents=review.survey.respondents,
        period=period,
    )
)

# %%
report.table(
    review.reliability,
    caption="Internal consistency of each principle's statements (Cronbach's alpha; below 0.7 is flagged)",
)
