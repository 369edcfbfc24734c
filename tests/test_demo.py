"""The demo partnership: reproducible, committed as generated, and showing the patterns it promises."""

import filecmp

import pytest

import partnerlib as pl
from partnerlib.demo import write_demo_data

from .conftest import SAMPLE


def test_generator_reproduces_the_committed_files(tmp_path):
    written = write_demo_data(tmp_path)
    for path in written:
        name = path.relative_to(tmp_path)
        assert filecmp.cmp(path, SAMPLE / name, shallow=False), f"{name} differs from data/sample"


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


@pytest.mark.slow
def test_demo_norms_are_what_rendering_the_portfolio_records(tmp_path):
    # norms.csv is computed by the generator; a render of a portfolio review must record the same positions.
    from partnerlib.io.norms import collect_norm_records, read_norm_records
    from partnerlib.render.batch import render_manifest

    (outcome,) = render_manifest(SAMPLE / "reviews.yml", tmp_path, only="portfolio-03-2")
    assert outcome.status == "rendered", outcome.error
    rendered = collect_norm_records([tmp_path]).set_index("principle")["position"]
    committed = read_norm_records(SAMPLE / "norms.csv")
    committed = committed[committed["review"] == "portfolio-03-2"].set_index("principle")["position"]
    assert len(rendered) == 6 and rendered.sort_index().round(6).equals(committed.sort_index().round(6))


def test_demo_portfolio_has_enough_partnerships_and_clients_for_norms_to_show():
    from partnerlib.render.manifest import load_manifest
    from partnerlib.settings import METHOD

    review, *portfolio = load_manifest(SAMPLE / "reviews.yml")
    clients = {r.client for r in portfolio}
    assert len(portfolio) >= METHOD.norm_min_partnerships and len(clients) >= METHOD.norm_min_clients
    assert review.client not in clients
