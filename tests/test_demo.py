"""The demo partnership: reproducible, committed as generated, and showing the patterns it promises."""

import filecmp

import partnerlib as pl
from partnerlib.demo import write_demo_data

from .conftest import SAMPLE


def test_generator_reproduces_the_committed_files(tmp_path):
    written = write_demo_data(tmp_path)
    for path in written:
        assert filecmp.cmp(path, SAMPLE / path.name, shallow=False), f"{path.name} differs from data/sample"


def _survey():
    return pl.read_surveys({p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}, SAMPLE / "codebook.yml")


def test_demo_waves_are_realistic_exports():
    s = _survey()
    kept = s.respondents.groupby("period", observed=True).size()
    assert kept.between(40, 80).all()
    assert set(s.respondents["partner"].astype(str)) == {"Northwind Health", "Contoso Logistics"}
    assert set(s.respondents["role"].astype(str)) == {"Executive", "Manager", "Operational"}
    assert (
        s.dropped.groupby("period", observed=True)["reason"].apply(lambda r: sorted(r.astype(str))).tolist()
        == [["incomplete", "preview"]] * 3
    )
    assert len(s.not_applicable) > 0  # a few "Don't know"
    raw = (SAMPLE / "survey_2026.csv").read_text()
    assert "@northwind-health.example" in raw and "203.0.113." in raw  # a real export carries personal data


def test_demo_patterns_show_in_the_scores():
    s = _survey()
    r26 = pl.select_period(s.responses, "2026")
    scores = pl.principle_scores(r26, scale=s.scale).set_index("principle")
    assert scores["current"].idxmax() == "Respect" and scores.loc["Respect", "band"] == "strength"
    assert scores["gap"].idxmax() == "Accountability"
    by_partner = pl.principle_scores(r26, by="partner", scale=s.scale).pivot(
        index="principle", columns="partner", values="current"
    )
    diff = (by_partner["Contoso Logistics"] - by_partner["Northwind Health"]).abs()
    assert diff.idxmax() == "Open communication" and diff.max() > 0.8
    trend = pl.principle_scores(s.responses, by="period", scale=s.scale).pivot(
        index="principle", columns="period", values="current"
    )
    assert trend.loc["Shared goals", "2026"] - trend.loc["Shared goals", "2024"] > 0.7
