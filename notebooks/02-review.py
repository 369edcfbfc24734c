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
norms: str = "../data/sample/norms.csv"  # the portfolio's norms, `partnerlib norms` ("" if none)
min_n: int = 5  # anonymity minimum: smaller groups are never shown (below 5 only with allow_small_groups)
allow_small_groups: bool = False  # the manifest's explicit consent to a min_n below 5; the cover then says so
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
    norms=norms,
    min_n=min_n,
    review_date=review_date,
    method={"allow_small_groups": allow_small_groups},
)
report.record_headlines(report.headlines(review))

# %%
report.title(client, period, date=review.date, method=review.method)

# %% [markdown]
# ## Summary

# %%
report.prose(narrative.summary_text(review))

# %% [markdown]
# ## Strengths and gaps
# Each principle by how well it is lived today and how much it matters. Top left: it matters and is not yet a
# strength, so that is where to concentrate.

# %%
report.prose(narrative.strengths_and_gaps_text(review.scores, period=period, scale=review.scale, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.quadrant_scatter, review.scores, scale=review.scale, method=review.method, size=(8, 5.5))

# %%
report.table(
    report.tables.scores_table(review.scores, scale=review.scale, method=review.method),
    caption=narrative.scores_caption(scale=review.scale, method=review.method),
)

# %%
report.prose(report.evidence.drivers_section(review))

# %% tags=["chart"]
report.chart(pl.plots.importance_grid_plot, review.shown_grid, scale=review.scale, size=(8, 5))

# %%
report.table(report.tables.drivers_table(review.shown_grid))

# %% [markdown]
# ## Proposed priorities for the action workshop

# %%
report.prose(narrative.priorities_text(review.priorities, method=review.method))

# %%
report.table(report.tables.priorities_table(review.priorities))

# %% [markdown]
# ## How each organisation sees the partnership

# %%
report.prose(narrative.perception_text(review.perception, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.perception_dumbbell, review.perception, scale=review.scale, size=(8, 4))

# %%
report.table(report.tables.perception_table(review.perception))

# %% [markdown]
# ## Change since the previous review

# %%
report.prose(narrative.change_text(review.change, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.trend_lines, review.trend, size=(8, 4))

# %%
report.table(report.tables.change_table(review.change))

# %% [markdown]
# ## Compared with other partnerships

# %%
report.prose(narrative.norms_text(review.norms, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.norm_bars, review.norms, size=(8, 4))

# %% [markdown]
# ## Follow-up of earlier actions

# %%
report.prose(narrative.followup_text(review.followup, period=period, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.followup_arrows, review.followup, method=review.method, size=(8.5, 4.5))

# %% [markdown]
# ## KPI scorecard

# %%
report.prose(narrative.kpi_text(review.scorecard))

# %% tags=["chart"]
report.chart(pl.plots.kpi_bars, review.scorecard, review.kpis, size=(8.5, 6))

# %% [markdown]
# ## Objectives alignment

# %%
report.prose(narrative.alignment_text(review.alignment, review.alignment_index))

# %% tags=["chart"]
report.chart(pl.plots.alignment_matrix, review.alignment, size=(8, 4.5))

# %% [markdown]
# ## Principle detail
# How the answers to each statement were spread, from strongly disagree (left) to strongly agree (right), and how
# well each principle is lived in each organisation and role.

# %% tags=["chart"]
report.chart(
    pl.plots.likert_bars,
    review.likert,
    label="statement",
    group="principle",
    point_labels=review.survey.codebook.point_labels(),
    size=(8.5, 10.5),
)

# %% tags=["chart"]
report.chart(
    pl.plots.score_heatmap, review.scores_by_role, columns=["partner", "role"], scale=review.scale, size=(8.5, 5)
)

# %%
report.prose(narrative.hidden_note(review.scores_by_role, what=["partner", "role"]))

# %% [markdown]
# ## Who took part

# %%
report.prose(narrative.participation_text(review.respondents, review.engagement, method=review.method))

# %% tags=["chart"]
report.chart(pl.plots.engagement_bars, review.engagement, method=review.method, size=(8, 4.5))

# %% [markdown]
# ## What people said

# %%
report.prose(narrative.comments_intro(method=review.method))

# %%
report.table(report.tables.themes_table(review.themes), caption=narrative.themes_caption())

# %%
report.comments(review)

# %% [markdown]
# ## Method note

# %%
report.prose(
    narrative.method_note(
        scale=review.scale,
        method=review.method,
        dropped=review.survey.dropped,
        respondents=review.survey.respondents,
        period=period,
        finite=review.engagement is not None,
    )
)

# %%
report.table(
    report.tables.reliability_table(review.reliability, method=review.method),
    caption=narrative.reliability_caption(method=review.method),
)
