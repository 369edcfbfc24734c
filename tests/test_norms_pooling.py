"""The codebook's ``norm:`` key: principles named differently pooled on purpose in the portfolio norms."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlib import CodebookError, load_codebook
from partnerlib.analysis.norms import RECORD_COLUMNS, build_norms, percentile_ranks
from partnerlib.io.norms import collect_norm_records
from partnerlib.render.portfolio import write_index
from partnerlib.report.marks import headlines_payload

from .conftest import SAMPLE


def _codebook(**extra) -> dict:
    import yaml

    raw = yaml.safe_load((SAMPLE / "codebook.yml").read_text())
    raw["principles"]["Mutual trust"] = raw["principles"].pop("Trust")
    raw["keywords"]["Mutual trust"] = raw["keywords"].pop("Trust")
    return {**raw, **extra}


def test_norm_key_is_read_and_checked():
    cb = load_codebook(_codebook(norm={"Mutual trust": "Trust"}))
    assert cb.norm == {"Mutual trust": "Trust"}
    assert load_codebook(_codebook()).norm == {}
    with pytest.raises(CodebookError, match=r"norm: \['Trust'\] are not principles of the codebook"):
        load_codebook(_codebook(norm={"Trust": "Mutual trust"}))  # "Trust" is not a principle of this codebook
    with pytest.raises(CodebookError, match=r"norm.Mutual trust: 'Trust\\n'"):
        load_codebook(_codebook(norm={"Mutual trust": "Trust\n"}))


def _record(folder, name, client, scores, norm=None):
    path = folder / name / "2026" / "render.json"
    path.parent.mkdir(parents=True)
    heads = headlines_payload(respondents=40, scores=scores, scale=(1, 5), norm=norm)
    path.write_text(json.dumps({"name": name, "client": client, "period": "2026", "headlines": heads}))
    (path.parent / "review.html").write_text("<html></html>")


def test_a_principle_pooled_by_its_norm_key_is_ranked_among_the_others_of_that_name(tmp_path):
    rng = np.random.default_rng(11)
    others = {f"r{i}": float(rng.uniform(2, 4.5)) for i in range(6)}  # six clients' "Trust"
    for name, score in others.items():
        _record(tmp_path, name, f"Client {name}", {"Trust": score})
    _record(tmp_path, "me", "Me", {"Mutual trust": 3.7}, norm={"Mutual trust": "Trust"})
    records = collect_norm_records([tmp_path])
    mine = records[records["review"] == "me"]
    assert mine["principle"].tolist() == ["Trust"] and mine["position"].tolist() == [pytest.approx(0.675)]
    norms = build_norms(records).set_index("principle")
    assert norms.loc["Trust", "partnerships"] == 7 and list(norms.index) == ["Trust"]

    scores = pd.DataFrame({"principle": ["Mutual trust"], "current": [3.7], "suppressed": [False]})
    pooled = percentile_ranks(scores, records, client="Me", scale=(1, 5), pooled={"Mutual trust": "Trust"})
    expected = stats.percentileofscore([(s - 1) / 4 for s in others.values()], 0.675, kind="mean")
    assert pooled.loc[0, "principle"] == "Mutual trust"  # the report names it as its own codebook does
    assert pooled.loc[0, "shown"] and pooled.loc[0, "percentile"] == pytest.approx(expected)
    assert pooled.loc[0, "others"] == 6
    alone = percentile_ranks(scores, records, client="Me", scale=(1, 5))  # without norm: nobody else has the name
    assert not alone.loc[0, "shown"] and alone.loc[0, "others"] == 0

    # the portfolio page pools it too: the review's rank sits in the "Trust" column
    html = write_index(tmp_path).read_text()
    section = html[html.index("Percentile rank per principle") :]
    assert "<th>Mutual trust</th>" not in section
    row = section[section.index("<td>me</td>") :].split("</tr>", 1)[0]
    assert f"<td class=num>{expected:.0f}</td>" in row


def test_without_norm_keys_differently_named_principles_stay_apart():
    records = pd.DataFrame(
        [["A", "a", "2026", "Trust", 0.5], ["B", "b", "2026", "Mutual trust", 0.7]], columns=RECORD_COLUMNS
    )
    assert build_norms(records)["principle"].tolist() == ["Trust", "Mutual trust"]


def test_headlines_carry_the_norm_names_and_refuse_a_malformed_one():
    heads = headlines_payload(scores={"Mutual trust": 3.0}, scale=(1, 5), norm={"Mutual trust": "Trust"})
    assert heads["norm"] == {"Mutual trust": "Trust"}
    assert "norm" not in headlines_payload(scores={"Trust": 3.0}, scale=(1, 5), norm={})
    with pytest.raises(ValueError, match="norm must map a principle to the name it is pooled under"):
        headlines_payload(norm={"Mutual trust": 3})
