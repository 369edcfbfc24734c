"""Key drivers: general dominance against an exhaustive computation, relative weights, bootstrap, the frame API."""

from itertools import combinations, permutations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from partnerlib import PartnerDataError, key_drivers, read_survey
from partnerlib.analysis.dominance import all_subset_r2, bootstrap_correlations, general_dominance, relative_weights
from partnerlib.settings import METHOD
from partnerlib.vocabulary import too_few_for_drivers_text


def _data(n=400, p=4, seed=1):
    """Correlated predictors and an outcome that depends on them unequally."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    x[:, 1] += 0.8 * x[:, 0]
    x[:, 2] -= 0.5 * x[:, 1]
    y = x @ np.linspace(1.0, 0.2, p) + rng.normal(size=n)
    return x, y


def _ols_r2(x, y, cols) -> float:
    if not cols:
        return 0.0
    return float(sm.OLS(y, sm.add_constant(x[:, list(cols)])).fit().rsquared)


def _shapley_by_orderings(x, y) -> np.ndarray:
    """Each predictor's R² gain averaged over every order of entering the predictors (independent of the
    subset-size formula): OLS fits with statsmodels for every subset."""
    p = x.shape[1]
    r2 = {s: _ols_r2(x, y, s) for k in range(p + 1) for s in combinations(range(p), k)}
    out = np.zeros(p)
    orders = list(permutations(range(p)))
    for order in orders:
        for pos, j in enumerate(order):
            before = tuple(sorted(order[:pos]))
            out[j] += r2[tuple(sorted((*before, j)))] - r2[before]
    return out / len(orders)


def test_general_dominance_equals_exhaustive_ols_shapley_and_sums_to_r2():
    x, y = _data()
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    weights = general_dominance(corr)
    expected = _shapley_by_orderings(x, y)
    np.testing.assert_allclose(weights, expected, atol=1e-12)
    assert weights.sum() == pytest.approx(_ols_r2(x, y, range(4)), abs=1e-12)
    subsets = all_subset_r2(corr)
    assert subsets[0b0101] == pytest.approx(_ols_r2(x, y, (0, 2)), abs=1e-12)


def test_two_predictors_by_hand():
    # r1 = 0.5, r2 = 0.3, r12 = 0.2: R² = (r1² + r2² - 2 r1 r2 r12) / (1 - r12²) = 0.28 / 0.96
    corr = np.array([[1, 0.2, 0.5], [0.2, 1, 0.3], [0.5, 0.3, 1]])
    r2 = (0.25 + 0.09 - 2 * 0.5 * 0.3 * 0.2) / (1 - 0.04)
    w1 = (0.25 + (r2 - 0.09)) / 2  # alone, and added to the other
    w2 = (0.09 + (r2 - 0.25)) / 2
    np.testing.assert_allclose(general_dominance(corr), [w1, w2], atol=1e-12)


def test_relative_weights_second_method():
    x, y = _data(p=5, seed=3)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    rw = relative_weights(corr)
    assert rw.sum() == pytest.approx(_ols_r2(x, y, range(5)), abs=1e-12)
    # Johnson (2000): relative weights come close to general dominance (LeBreton et al. 2004: within about .01)
    np.testing.assert_allclose(rw, general_dominance(corr), atol=0.01)
    # Uncorrelated predictors: both are the squared correlations with the outcome.
    orth = np.eye(4)
    orth[:3, 3] = orth[3, :3] = [0.5, 0.3, 0.1]
    np.testing.assert_allclose(relative_weights(orth), [0.25, 0.09, 0.01], atol=1e-12)
    np.testing.assert_allclose(general_dominance(orth), [0.25, 0.09, 0.01], atol=1e-12)


def test_bootstrap_correlations_are_those_of_the_resampled_rows():
    x, y = _data(n=50)
    data = np.column_stack([x, y])
    boot = bootstrap_correlations(data, 30, np.random.default_rng(7), chunk=25)
    rng = np.random.default_rng(7)
    first = rng.integers(0, 50, size=(25, 50))[3]
    np.testing.assert_allclose(boot[3], np.corrcoef(data[first], rowvar=False), atol=1e-12)
    second = rng.integers(0, 50, size=(5, 50))[1]
    np.testing.assert_allclose(boot[26], np.corrcoef(data[second], rowvar=False), atol=1e-12)


def _survey_frames(n_by_partner, p=4, seed=0):
    """Tidy responses (two statements per principle) and respondents with an outcome driven by principle 0."""
    rng = np.random.default_rng(seed)
    rows, people = [], []
    principles = [f"P{k}" for k in range(p)]
    for partner, n in n_by_partner.items():
        for i in range(n):
            rid = f"{partner}{i}"
            level = rng.normal(3, 0.7, p)
            for k, name in enumerate(principles):
                for s in range(2):
                    score = float(np.clip(np.rint(level[k] + rng.normal(0, 0.5)), 1, 5))
                    rows.append((rid, partner, name, f"{name}_{s}", "current", score))
                    rows.append((rid, partner, name, f"{name}_{s}", "importance", 4.0))
            people.append((rid, partner, float(np.clip(np.rint(level[0] + 0.3 * level[1] + rng.normal(0, 0.5)), 1, 5))))
    responses = pd.DataFrame(rows, columns=["respondent", "partner", "principle", "item", "measure", "score"])
    for c in ["respondent", "partner", "principle", "item", "measure"]:
        responses[c] = responses[c].astype("category")
    responses["principle"] = responses["principle"].cat.reorder_categories(principles)
    respondents = pd.DataFrame(people, columns=["respondent", "partner", "outcome"])
    return responses, respondents


def test_key_drivers_weights_are_general_dominance_of_the_respondent_means():
    responses, respondents = _survey_frames({"A": 120})
    respondents.loc[3, "outcome"] = np.nan  # without an outcome: left out
    out = key_drivers(responses, respondents)
    current = responses[responses["measure"] == "current"]
    means = current.groupby(["respondent", "principle"], observed=True)["score"].mean().unstack()
    joined = means.join(respondents.set_index("respondent")["outcome"]).dropna()
    expected = general_dominance(np.corrcoef(joined.to_numpy(), rowvar=False))
    np.testing.assert_allclose(out["weight"], expected, atol=1e-12)
    assert (out["n"] == 119).all()
    assert out["r_squared"].iloc[0] == pytest.approx(
        _ols_r2(joined.to_numpy()[:, :4], joined["outcome"].to_numpy(), range(4))
    )
    assert out["share"].sum() == pytest.approx(1.0)
    assert list(out["principle"].astype(str)) == ["P0", "P1", "P2", "P3"]
    assert out.loc[out["rank"] == 1, "principle"].item() == "P0"
    assert (out["ci_low"] <= out["weight"]).all() and (out["weight"] <= out["ci_high"]).all()
    assert (out["method"] == "general dominance").all()
    again = key_drivers(responses, respondents)
    pd.testing.assert_frame_equal(out, again)  # seeded: the same intervals every time
    other = key_drivers(responses, respondents, method=METHOD.with_(bootstrap_seed=1))
    assert not np.allclose(other["ci_low"], out["ci_low"])


def test_bootstrap_interval_is_the_percentile_of_resampled_weights():
    responses, respondents = _survey_frames({"A": 60})
    method = METHOD.with_(bootstrap_resamples=40)
    out = key_drivers(responses, respondents, method=method)
    current = responses[responses["measure"] == "current"]
    means = current.groupby(["respondent", "principle"], observed=True)["score"].mean().unstack()
    data = means.join(respondents.set_index("respondent")["outcome"]).to_numpy()
    rng = np.random.default_rng([method.bootstrap_seed, 0])
    draws = np.vstack([rng.integers(0, 60, size=(25, 60)), rng.integers(0, 60, size=(15, 60))])
    boot = np.array([general_dominance(np.corrcoef(data[d], rowvar=False)) for d in draws])
    np.testing.assert_allclose(out["ci_low"], np.percentile(boot, 2.5, axis=0), atol=1e-10)
    np.testing.assert_allclose(out["ci_high"], np.percentile(boot, 97.5, axis=0), atol=1e-10)


def test_small_group_gets_nothing_and_says_why():
    responses, respondents = _survey_frames({"A": 80, "B": 29})
    out = key_drivers(responses, respondents, by="partner")
    small = out[out["partner"] == "B"]
    assert small["suppressed"].all() and small["weight"].isna().all() and small["n"].isna().all()
    assert (small["hidden"] == too_few_for_drivers_text(30)).all()
    assert too_few_for_drivers_text(30) == "fewer than 30 respondents rated the outcome and every principle"
    assert out.loc[out["partner"] == "A", "weight"].notna().all()


def test_many_principles_use_relative_weights_and_say_so():
    responses, respondents = _survey_frames({"A": 60}, p=13)
    out = key_drivers(responses, respondents, method=METHOD.with_(bootstrap_resamples=20))
    assert (out["method"] == "relative weights").all()
    assert out["weight"].sum() == pytest.approx(out["r_squared"].iloc[0])


def test_no_outcome_is_a_clear_error():
    responses, respondents = _survey_frames({"A": 40})
    with pytest.raises(PartnerDataError, match="Name the overall outcome statement in the codebook"):
        key_drivers(responses, respondents.drop(columns="outcome"))


def test_codebook_outcome_is_read_and_reverse_keyed(qualtrics):
    questions = ["Q1", "Q5_1", "Q9"]
    rows = [{"Q1": "Northwind", "Q5_1": "4", "Q9": "Agree"}, {"Q1": "Contoso", "Q5_1": "2", "Q9": "Don't know"}]
    cb = {
        "period": "2026",
        "scale": {"min": 1, "max": 5, "labels": {"Agree": 4}, "not_applicable": ["Don't know"]},
        "respondent": {"partner": "Q1"},
        "principles": {"Trust": [{"item": "t1", "current": "Q5_1"}]},
        "outcome": {"current": "Q9", "text": "Overall, this partnership works well for my organisation"},
    }
    survey = read_survey(qualtrics(questions, rows), cb)
    assert survey.respondents["outcome"].tolist()[0] == 4.0 and np.isnan(survey.respondents["outcome"].tolist()[1])
    assert survey.codebook.outcome.text.startswith("Overall")
    reverse = read_survey(
        qualtrics(questions, rows, name="r.csv"), {**cb, "outcome": {"current": "Q9", "reverse": True}}
    )
    assert reverse.respondents["outcome"].tolist()[0] == 2.0
    assert set(survey.responses["item"].astype(str)) == {"t1"}  # the outcome is not a principle's statement


def _grid_inputs():
    scores = pd.DataFrame(
        {"principle": ["A", "B", "C", "D"], "importance": [4.5, 3.0, 4.4, 3.1], "suppressed": [False] * 4}
    )
    drivers = pd.DataFrame(
        {
            "principle": ["A", "B", "C", "D"],
            "weight": [0.20, 0.15, 0.03, 0.02],
            "share": [0.5, 0.375, 0.075, 0.05],
            "share_low": [0.4, 0.3, 0.0, 0.0],
            "share_high": [0.6, 0.45, 0.15, 0.1],
            "method": "general dominance",
            "suppressed": [False] * 4,
            "hidden": [None] * 4,
        }
    )
    return scores, drivers


def test_importance_grid_readings_split_at_the_means():
    from partnerlib import importance_grid

    scores, drivers = _grid_inputs()
    grid = importance_grid(scores, drivers)  # stated mean 3.75, derived mean 0.1
    assert grid.set_index("principle")["reading"].astype(str).to_dict() == {
        "A": "key driver",
        "B": "hidden driver",
        "C": "stated, not driving",
        "D": "low impact",
    }
    assert grid["stated"].tolist() == [4.5, 3.0, 4.4, 3.1] and grid["derived"].tolist() == [0.20, 0.15, 0.03, 0.02]
    hidden = importance_grid(scores, drivers.assign(suppressed=True))
    assert hidden.empty


def test_importance_grid_plot_draws_each_principle_where_the_grid_puts_it():
    import matplotlib.pyplot as plt

    from partnerlib import importance_grid
    from partnerlib.plots import importance_grid_plot

    grid = importance_grid(*_grid_inputs())
    ax = importance_grid_plot(grid, scale=(1, 5), ax=plt.figure().gca())
    from matplotlib.collections import PathCollection

    points = np.vstack([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
    expected = np.column_stack([grid["stated"], 100 * grid["share"]])
    assert sorted(map(tuple, points.round(6))) == sorted(map(tuple, expected.round(6)))
    names = {t.get_text() for t in ax.texts}
    assert {"Key driver", "Hidden driver", "Stated, not driving", "Low impact"} <= names
    assert {"A", "B", "C", "D"} <= names
    assert next(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--") == pytest.approx(3.75)
    assert ax.get_title(loc="center") == "Stated and derived importance"


def test_drivers_text_names_the_top_principles_and_hidden_drivers():
    from partnerlib import importance_grid
    from partnerlib.report.evidence import detectable_text, drivers_text

    from .conftest import plain

    scores, drivers = _grid_inputs()
    drivers = drivers.assign(n=40, r_squared=0.4)
    text = plain(drivers_text(drivers, importance_grid(scores, drivers), outcome="Overall <it> works."))
    assert "How people rate “Overall <it> works” is 40% explained" in text
    assert "- A: 50% of what the principles explain (likely range 40%–60%)" in text.splitlines()
    assert (
        "B: rated less important than the others, but it moves the overall outcome more than most (a hidden driver)"
        in text
    )
    assert "fewer than 30" in plain(drivers_text(drivers.assign(suppressed=True, hidden="fewer than 30 x"), None))
    det = pd.DataFrame({"detectable": [0.42, 0.55]})
    sentence = detectable_text(det, det.assign(detectable=[0.3, 0.31]), previous="2025")
    assert "could not reliably detect a difference between the organisations smaller than 0.4–0.6 points" in sentence
    assert "or a change since 2025 smaller than 0.3 points" in sentence
    assert detectable_text(None, None) == ""


def test_published_example_attitude_data():
    """R's ``attitude`` data (Chatterjee & Price, *Regression Analysis by Example*): the general dominance that the
    R package dominanceanalysis publishes in its README (average contributions 0.371, 0.051, 0.156, 0.120, 0.007,
    0.028; R² 0.733; complaints+learning 0.708), from the data's correlation matrix (``cor(attitude)``, 4 decimals)."""
    names = ["complaints", "privileges", "learning", "raises", "critical", "advance", "rating"]
    upper = {
        ("complaints", "privileges"): 0.5582, ("complaints", "learning"): 0.5967, ("complaints", "raises"): 0.6691,
        ("complaints", "critical"): 0.1877, ("complaints", "advance"): 0.2245, ("privileges", "learning"): 0.4933,
        ("privileges", "raises"): 0.4455, ("privileges", "critical"): 0.1472, ("privileges", "advance"): 0.3433,
        ("learning", "raises"): 0.6403, ("learning", "critical"): 0.1160, ("learning", "advance"): 0.5316,
        ("raises", "critical"): 0.3768, ("raises", "advance"): 0.5742, ("critical", "advance"): 0.2833,
        ("complaints", "rating"): 0.8254, ("privileges", "rating"): 0.4261, ("learning", "rating"): 0.6237,
        ("raises", "rating"): 0.5901, ("critical", "rating"): 0.1564, ("advance", "rating"): 0.1551,
    }  # fmt: skip
    corr = np.eye(7)
    for (a, b), r in upper.items():
        corr[names.index(a), names.index(b)] = corr[names.index(b), names.index(a)] = r
    weights = general_dominance(corr)
    np.testing.assert_allclose(weights, [0.371, 0.051, 0.156, 0.120, 0.007, 0.028], atol=6e-4)
    assert weights.sum() == pytest.approx(0.733, abs=6e-4)
    assert all_subset_r2(corr)[0b000101] == pytest.approx(0.708, abs=6e-4)  # complaints + learning
    np.testing.assert_allclose(relative_weights(corr), weights, atol=0.01)
