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
from partnerlib.report import pulse

# %% tags=["parameters"]
review_name: str = "northwind-contoso"  # manifest name of the review the pulse follows (folder under reports/)
client: str = "Northwind Health & Contoso Logistics"  # the client, as shown on the report
period: str = "2026-Q3"  # the pulse's label (its folder under reports/<review_name>/)
baseline: str = "2026"  # the annual review's period the pulse is compared with
baseline_survey: str = "../data/sample/survey_2026.csv"  # the annual survey export of `baseline`
pulse_survey: str = "../data/sample/pulse_2026-Q3.csv"  # the pulse's survey export
codebook: str = "../data/sample/codebook.yml"  # the annual survey's codebook
pulse_codebook: str = "../data/sample/pulse_codebook.yml"  # the pulse's own codebook ("" if the annual one)
actions: str = "../data/sample/actions.csv"  # actions register ("" if none)
min_n: int = 5  # anonymity minimum: smaller groups (the pairs included) are never shown
allow_small_groups: bool = False  # the manifest's explicit consent to a min_n below 5; the cover then says so

# %% tags=["remove-cell"]
report.setup()
checkin = pulse.analyse_pulse(
    baseline_survey=baseline_survey,
    pulse_survey=pulse_survey,
    codebook=codebook,
    pulse_codebook=pulse_codebook,
    period=period,
    baseline=baseline,
    client=client,
    actions=actions,
    min_n=min_n,
    method={"allow_small_groups": allow_small_groups},
)
report.record_headlines(pulse.pulse_headlines(checkin))

# %%
report.title(client, period, date=checkin.date, method=checkin.method, kind="Pulse check-in")

# %%
report.prose(pulse.pulse_intro(checkin))

# %% [markdown]
# ## What moved since the annual review

# %%
report.prose(pulse.pulse_text(checkin))

# %% tags=["chart"]
report.chart(pl.plots.pulse_changes, checkin.change, size=(6.5, 3.2))

# %%
report.table(pulse.pulse_table(checkin))

# %% [markdown]
# ## Method note

# %%
report.prose(pulse.pulse_method_note(checkin))
