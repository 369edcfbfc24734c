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
# What a consultant checks first when a client's export arrives.

# %%
import partnerlib as pl
from partnerlib import report

# %% tags=["parameters"]
export: str = "../data/sample/survey_2026.csv"  # the survey export to explore (only read)
codebook: str = "../data/sample/codebook.yml"  # codebook YAML for that export
period: str = "2026"  # the period the export belongs to
min_n: int = 5  # anonymity minimum

# %%
survey = pl.read_survey(export, codebook, period=period)
report.table(survey.sources, caption="What was read")

# %% [markdown]
# ## Respondents kept per organisation and role

# %%
report.table(pl.respondent_counts(survey.respondents), caption="Kept respondents")

# %% [markdown]
# ## What was dropped, and why

# %%
report.table(survey.dropped, caption="Excluded responses (row numbers count data rows of the export)")

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
import matplotlib.pyplot as plt  # noqa: E402

pl.plots.set_theme()
counts = pl.likert_counts(survey.responses, not_applicable=survey.not_applicable, min_n=min_n)
pl.plots.likert_bars(counts, ax=plt.subplots(figsize=(9, 0.35 * len(counts) + 2))[1]);
