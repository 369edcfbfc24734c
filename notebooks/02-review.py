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
from partnerlib import report

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
kpis: str = ""  # KPI workbook ("" if none)
objectives: str = ""  # objectives sheet ("" if none)
actions: str = ""  # actions register ("" if none)
min_n: int = 5  # anonymity minimum: smaller groups are never shown

# %% tags=["remove-cell"]
pl.plots.set_theme()
survey = pl.read_surveys(surveys, codebook)
responses = pl.select_period(survey.responses, period)
scores = pl.principle_scores(responses, min_n=min_n)
ranking = pl.strengths_and_gaps(scores, top=3)

# %%
report.title(client, period, review_name)

# %% [markdown]
# ## Strengths and gaps

# %%
report.markdown(pl.narrative.strengths_and_gaps_text(ranking, period=period))

# %%
pl.plots.strengths_gaps(scores);

# %%
report.table(scores, columns=["principle", "n", "current", "importance", "gap", "favourable", "band", "quadrant",
                              "suppressed"], caption="Principles, scored from each respondent's mean")
