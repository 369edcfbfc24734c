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
