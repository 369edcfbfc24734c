"""Portfolio norms: distributions and percentile ranks against independent computations, and what is never shown."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlib import Method, PartnerDataError
from partnerlib.analysis.norms import RECORD_COLUMNS, build_norms, percentile_ranks, rank_text
from partnerlib.cli import main
from partnerlib.io.norms import collect_norm_records, read_norm_records, write_norm_records

PRINCIPLES = ["Trust", "Open communication", "Respect"]


def _portfolio(seed: int = 7) -> pd.DataFrame:
    """12 partnerships: 6 clients with 2 each (the first is the client under review), two periods each."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(6):
        for k in range(2):
            for period in ("2025", "2026"):
                for p in PRINCIPLES:
                    rows.append([f"Client {c}", f"p-{c}-{k}", period, p, float(rng.uniform(0.2, 0.9))])
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def _scores(current: dict, hidden=()) -> pd.DataFrame:
    return pd.DataFrame({
        "principle": list(current), "current": list(current.values()), "suppressed": [p in hidden for p in current],
    })  # fmt: skip


def test_percentile_ranks_equal_scipys_percentile_of_score_over_the_other_clients_latest_reviews():
    records = _portfolio()
    scores = _scores({"Trust": 3.9, "Open communication": 2.4, "Respect": 4.6})
    got = percentile_ranks(scores, records, client="  client 0 ", scale=(1, 5)).set_index("principle")
    for p, current in zip(scores["principle"], scores["current"]):
        others = records[
            (records["client"] != "Client 0") & (records["period"] == "2026") & (records["principle"] == p)
        ]
        assert len(others) == 10  # 5 other clients x 2 partnerships, each at its latest period
        expected = stats.percentileofscore(others["position"], (current - 1) / 4, kind="mean")
        assert got.loc[p, "percentile"] == pytest.approx(expected)
        assert got.loc[p, "others"] == 10 and got.loc[p, "other_clients"] == 5 and got.loc[p, "shown"]


def test_ties_count_half_and_the_ends_read_in_words():
    records = pd.DataFrame(
        [[f"C{i}", f"r{i}", "2026", "Trust", pos] for i, pos in enumerate([0.25, 0.5, 0.5, 0.75, 1.0])],
        columns=RECORD_COLUMNS,
    )
    got = percentile_ranks(_scores({"Trust": 3.0}), records, client="Me", scale=(1, 5))
    assert got.loc[0, "percentile"] == pytest.approx(100 * (1 + 2 / 2) / 5)  # one below, two equal
    assert rank_text(100, 12) == "higher than all 12" and rank_text(0, 12) == "lower than all 12"
    assert rank_text(83.3, 12) == "higher than 83 % of 12"


def test_no_rank_with_fewer_than_five_other_partnerships_or_three_other_clients():
    records = _portfolio()
    four = records[records["review"].isin(["p-1-0", "p-2-0", "p-3-0", "p-4-0"])]  # 4 partnerships, 4 clients
    two_clients = records[records["client"].isin(["Client 1", "Client 2"])]  # 4 partnerships, 2 clients
    six_two = pd.concat([two_clients, two_clients.assign(review=two_clients["review"] + "b")])  # 8, still 2 clients
    scores = _scores({"Trust": 3.9})
    for subset, why in [(four, "fewer than 5"), (six_two, "fewer than 5 other partnerships from 3 other clients")]:
        got = percentile_ranks(scores, subset, client="Client 0", scale=(1, 5))
        assert not got.loc[0, "shown"] and np.isnan(got.loc[0, "percentile"]), subset["review"].unique()
        assert why in got.loc[0, "reason"]
    # the client's own partnerships never count, however many
    own = records[records["client"] == "Client 0"]
    got = percentile_ranks(scores, pd.concat([four, own]), client="Client 0", scale=(1, 5))
    assert got.loc[0, "others"] == 4 and not got.loc[0, "shown"]
    hidden = percentile_ranks(_scores({"Trust": np.nan}, hidden=["Trust"]), records, client="Client 0", scale=(1, 5))
    assert not hidden.loc[0, "shown"] and hidden.loc[0, "reason"] == "this principle's score is hidden"
    with pytest.raises(ValueError):
        Method(norm_min_partnerships=4)  # the floor cannot be lowered


def test_build_norms_quantiles_and_counts_and_names_pooled_without_case_or_spacing():
    records = _portfolio()
    records.loc[records["principle"] == "Open communication", "principle"] = "open  Communication"
    got = build_norms(records).set_index("principle")
    assert list(got.index) == ["Trust", "open  Communication", "Respect"]
    trust = records.loc[records["principle"] == "Trust", "position"].to_numpy()
    assert got.loc["Trust", "median"] == pytest.approx(np.percentile(trust, 50))
    assert got.loc["Trust", "top_quartile"] == pytest.approx(np.percentile(trust, 75))
    assert got.loc["Trust", "top_decile"] == pytest.approx(np.percentile(trust, 90))
    assert got.loc["Trust", ["partnerships", "clients", "scores"]].tolist() == [12, 6, 24]
    ranks = percentile_ranks(_scores({"Open communication": 3.0}), records, client="Client 0", scale=(1, 5))
    assert ranks.loc[0, "others"] == 10  # "Open communication" matched "open  Communication"


def _render_record(folder, name, client, period, scores, scale=(1, 5)):
    path = folder / name / period / "render.json"
    path.parent.mkdir(parents=True)
    headlines = {"respondents": 40, "scores": scores, "scale": list(scale)} if scores else {"respondents": 40}
    path.write_text(json.dumps({"name": name, "client": client, "period": period, "headlines": headlines}))


def test_records_collected_from_render_records_written_and_read_back(tmp_path, capsys):
    reports, archive = tmp_path / "reports", tmp_path / "archive"
    _render_record(reports, "alpha", "Alpha", "2026", {"Trust": 4.0, "Respect": 2.0})
    _render_record(reports, "old", "Old", "2024", None)  # rendered before scores were recorded: nothing
    _render_record(archive, "beta", "Beta", "2025", {"Trust": 5.0}, scale=(0, 10))
    records = collect_norm_records([reports, archive])
    assert records.values.tolist() == [
        ["Alpha", "alpha", "2026", "Trust", 0.75],
        ["Alpha", "alpha", "2026", "Respect", 0.25],
        ["Beta", "beta", "2025", "Trust", 0.5],  # 5 on a 0-10 scale
    ]
    out = write_norm_records(records, tmp_path / "norms.csv", built="2026-12-02")
    back = read_norm_records(out)
    pd.testing.assert_frame_equal(back, records.reset_index(drop=True), check_dtype=False)
    assert out.read_text().splitlines()[0] == "client,review,period,principle,position,built"
    assert main(["norms", "--reports", str(reports), "--archive", str(archive)]) == 0
    said = capsys.readouterr().out
    assert "3 scores of 2 partnerships of 2 clients" in said and (reports / "norms.csv").is_file()


def test_a_norms_file_with_a_position_off_the_scale_is_refused_naming_the_cell(tmp_path):
    path = tmp_path / "norms.csv"
    path.write_text("client,review,period,principle,position,built\nA,a,2026,Trust,0.5,x\nB,b,2026,Trust,1.7,x\n")
    with pytest.raises(PartnerDataError) as err:
        read_norm_records(path)
    message = str(err.value)
    assert str(path) in message and "row 3" in message and "'position'" in message and "1.7" in message
    assert "expected a position on the scale from 0 to 1" in message


def test_portfolio_index_ranks_every_partnership_among_the_other_clients(tmp_path):
    from partnerlib.render.portfolio import write_index

    rng = np.random.default_rng(3)
    scores = {f"r{i}": {"Trust": float(rng.uniform(2, 4.5)), "Respect": float(rng.uniform(2, 4.5))} for i in range(7)}
    for i, s in scores.items():
        _render_record(tmp_path, i, f"Client {i}", "2026", s)
        (tmp_path / i / "2026" / "review.html").write_text("<html></html>")
    html = write_index(tmp_path).read_text()
    section = html[html.index("Percentile rank per principle") :]
    row = section[section.index("<td>r0</td>") :].split("</tr>", 1)[0]
    others = [(s["Trust"] - 1) / 4 for i, s in scores.items() if i != "r0"]
    expected = stats.percentileofscore(others, (scores["r0"]["Trust"] - 1) / 4, kind="mean")
    assert f"<td class=num>{expected:.0f}</td>" in row.split("</td>", 2)[2]
    # with 5 reviews, each has only 4 others: no rank anywhere
    for name in ("r5", "r6"):
        (tmp_path / name / "2026" / "render.json").unlink()
        (tmp_path / name / "2026" / "review.html").unlink()
    html = write_index(tmp_path).read_text()
    section = html[html.index("Percentile rank per principle") :]
    assert "No ranks yet" in section and "<td class=num>" not in section


def test_norms_from_a_manifest_take_only_its_reviews_and_the_archive_whole(tmp_path, capsys):
    reports, archive = tmp_path / "reports", tmp_path / "archive"
    _render_record(reports, "alpha", "Alpha", "2026", {"Trust": 4.0})
    _render_record(reports, "stray", "Stray", "2026", {"Trust": 1.0})  # rendered here, not in the manifest
    _render_record(archive, "beta", "Beta", "2025", {"Trust": 5.0})
    manifest = tmp_path / "reviews.yml"
    survey = tmp_path / "s.csv"
    survey.write_text("respondent,org,q1\n1,A,4\n", encoding="utf-8")
    (tmp_path / "cb.yml").write_text("scale: {min: 1, max: 5}\n", encoding="utf-8")
    entry = {"name": "alpha", "client": "Alpha", "period": "2026", "surveys": {"2026": "s.csv"}, "codebook": "cb.yml"}
    manifest.write_text(json.dumps({"reviews": [entry]}), encoding="utf-8")
    out = tmp_path / "norms.csv"
    argv = ["norms", "--manifest", str(manifest), "--reports", str(reports), "--archive", str(archive)]
    assert main([*argv, "--out", str(out)]) == 0
    assert sorted(read_norm_records(out)["review"]) == ["alpha", "beta"]
    assert "2 scores of 2 partnerships of 2 clients" in capsys.readouterr().out
