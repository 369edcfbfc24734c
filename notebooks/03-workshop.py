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

# %% tags=["parameters"]
review_name: str = "northwind-contoso"  # manifest name of the review
client: str = "Northwind Health & Contoso Logistics"  # the client, as shown above the workshop
period: str = "2026"  # the period under review: shown first, ranked in Prioritise, given to new actions
surveys: dict = {  # survey export per period (the trend view uses every period listed)
    "2024": "../data/sample/survey_2024.csv",
    "2025": "../data/sample/survey_2025.csv",
    "2026": "../data/sample/survey_2026.csv",
}
codebook: str = "../data/sample/codebook.yml"  # codebook YAML mapping export columns to principles
actions: str = "../data/sample/actions.csv"  # actions register the Act tab saves to ("" for none; the demo's is copied)
min_n: int = 5  # anonymity minimum: smaller groups are never shown
dots: int = 3  # dots each participant spreads over the principles in Prioritise

# %%
pl.open_workshop(
    surveys,
    codebook,
    period=period,
    actions=actions or None,
    min_n=min_n,
    dots=dots,
    title=f"{client} · partnership workshop {period}",
    review=review_name,
    watch=0.5,
    prepare=True,
    show_errors=True,
)
