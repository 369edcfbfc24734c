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

# %% [markdown]
# # Explore a survey export
# What a consultant checks first when a client's export arrives: which format was recognised and which
# personal-data columns were dropped, who is left per organisation and role, what was excluded and why, and how
# each statement was answered. To start a codebook for a new export, run `partnerlib codebook init EXPORT`.

# %%
import partnerlib as pl
from partnerlib import report

# %% tags=["parameters"]
export: str = "../data/sample/survey_2026.csv"  # the survey export to explore (only read)
codebook: str = "../data/sample/codebook.yml"  # codebook YAML for that export
period: str = "2026"  # the period the export belongs to
min_n: int = 5  # anonymity minimum: smaller groups are flagged (reports will not show them)

# %%
survey = pl.read_survey(export, codebook, period=period)
method = pl.METHOD.with_(min_n=min_n)
report.table(survey.sources, caption="Format detected, rows read and kept, personal-data columns dropped at read")

# %% [markdown]
# ## Respondents kept per organisation and role

# %%
report.table(
    pl.respondent_counts(survey.respondents, min_n=min_n),
    caption=f"Kept respondents (groups below {min_n} are flagged: reports suppress them)",
)

# %% [markdown]
# ## What was dropped, and why

# %%
report.table(pl.drop_summary(survey.dropped, survey.periods), caption="Excluded responses per rule")

# %%
report.table(survey.dropped, caption="Excluded responses (rows numbered as a spreadsheet shows the export)")

# %% [markdown]
# ## Data-quality warnings (kept responses: nobody is dropped for these)

# %%
report.table(
    pl.quality_summary(survey.warnings, survey.periods),
    caption="Kept responses whose answers equal another's, or that give one score to every statement",
)

# %% [markdown]
# ## Answer distributions per statement

# %%
report.table(
    pl.likert_counts(
        survey.responses,
        measure="current",
        not_applicable=survey.not_applicable,
        reversed_items=survey.codebook.reversed_items(),
        scale=survey.scale,
        method=method,
    ),
    caption="Current: answers per scale point as given (reverse-worded statements too) and not-applicable answers",
)

# %%
report.table(
    pl.likert_counts(
        survey.responses, measure="importance", not_applicable=survey.not_applicable, scale=survey.scale, method=method
    ),
    caption="Importance: respondents per scale point and not-applicable answers",
)

# %% [markdown]
# ## Do each principle's statements hang together? (reliability)
# Cronbach's alpha on the respondents who answered every statement of the principle, with Feldt's 95 % interval.
# Below 0.7 (flagged) the statements may not measure one principle: read its score with care. A principle with
# a single statement has no alpha; the note says so.

# %%
report.table(pl.reliability(survey.responses), caption="Reliability of each principle's current statements")

# %% [markdown]
# ## How people answered each statement
# Shares of answers per scale point, centred on the middle of the scale; "don't know" answers shown apart, right.

# %%
report.setup()
report.chart(
    pl.plots.likert_bars,
    pl.likert_counts(
        survey.responses,
        not_applicable=survey.not_applicable,
        reversed_items=survey.codebook.reversed_items(),
        scale=survey.scale,
        method=method,
    ),
    size=(8.5, 9),
)
