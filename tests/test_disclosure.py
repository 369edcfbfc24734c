"""Disclosure control across the tables of a review: an attacker's subtraction finds no small group.

The attacker knows every group's true size (from a roster, say) and every figure the review shows: the principles
table (overall), the organisations' scores, the organisation x role heatmap and the comparison of the
organisations.  A shown group gives away its sum (mean x n).  The attacker adds disjoint known groups and
subtracts a known group from a known group containing it, again and again, and wins if any set of fewer than
``min_n`` respondents becomes known.  This is written independently of the package's own check (a span test).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from partnerlib.analysis import perception_differences, principle_scores
from partnerlib.analysis.suppression import margin_pattern
from partnerlib.report import analyse_review
from partnerlib.settings import Method
from partnerlib.vocabulary import PROTECTS_SMALLER_GROUP, too_few_text

from .conftest import write_qualtrics

PRINCIPLES = {"Trust": ["Q1", "Q2"], "Openness": ["Q3", "Q4"], "Fairness": ["Q5", "Q6"]}
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
#: Three partnerships with small groups: an organisation of 4 (two roles of 2), two roles of 2 in the larger
#: organisation, and a scatter of small roles with a respondent of no stated role.
REVIEWS = {
    "org-of-four": {"Northwind": {"Executive": 7, "Manager": 16, "Operational": 16},
                    "Contoso": {"Executive": 2, "Manager": 2}},
    "two-roles-of-two": {"Northwind": {"Executive": 2, "Manager": 2, "Operational": 30},
                         "Contoso": {"Executive": 3, "Manager": 12, "Operational": 13}},
    "scattered": {"Northwind": {"Executive": 4, "Manager": 9, "Operational": 20},
                  "Contoso": {"Executive": 6, "Manager": 4, "Operational": 3, "": 1}},
}  # fmt: skip


def _codebook() -> dict:
    statements = {
        p: [{"current": f"{q}_1", "importance": f"{q}_2", "text": f"{p} statement {q}"} for q in qs]
        for p, qs in PRINCIPLES.items()
    }
    return {
        "scale": {"min": 1, "max": 5, "labels": {label: i for i, label in enumerate(LABELS, start=1)}},
        "respondent": {"partner": {"column": "ORG"}, "role": {"column": "ROLE"}, "id": "ResponseId"},
        "principles": statements,
    }


def _export(folder, sizes: dict, seed: int):
    rng = np.random.default_rng(seed)
    questions = ["ORG", "ROLE"] + [f"{q}_{m}" for qs in PRINCIPLES.values() for q in qs for m in (1, 2)]
    rows = []
    for org, roles in sizes.items():
        for role, count in roles.items():
            for _ in range(count):
                row = {"ORG": org, "ROLE": role}
                row.update({q: LABELS[int(rng.integers(0, 5))] for q in questions[2:]})
                rows.append(row)
    return write_qualtrics(folder / "export.csv", questions, rows)


def _review(tmp_path, name: str, seed: int):
    folder = tmp_path / name
    folder.mkdir()
    export = _export(folder, REVIEWS[name], seed)
    return analyse_review(surveys={"2026": export}, codebook=_codebook(), period="2026")


def _cell_sets(responses: pd.DataFrame):
    """The finest cells (organisation, role) of each principle: respondent means, and every respondent's cell."""
    current = responses[responses["measure"] == "current"]
    means = current.groupby(["principle", "partner", "role", "respondent"], observed=True)["score"].mean()
    return means.reset_index()


def _shown_groups(review) -> dict:
    """{principle: [(frozenset of cells, n, mean)]} for every group the review's tables show."""
    shown: dict = {}

    def add(principle, cells, n, mean):
        if pd.notna(mean):
            shown.setdefault(str(principle), []).append((frozenset(cells), int(n), float(mean)))

    people = _cell_sets(review.responses)
    every = set(zip(people["partner"].astype(str), people["role"].astype(str)))
    for r in review.scores.itertuples():
        add(r.principle, every, r.n, r.current)
    for r in review.scores_by_partner.itertuples():
        add(r.principle, {c for c in every if c[0] == str(r.partner)}, r.n, r.current)
    for r in review.scores_by_role.itertuples():
        add(r.principle, {(str(r.partner), str(r.role))}, r.n, r.current)
    for r in review.perception.itertuples():  # the dumbbell chart: each organisation's score
        add(r.principle, {c for c in every if c[0] == str(r.side_a)}, r.n_a, r.current_a)
        add(r.principle, {c for c in every if c[0] == str(r.side_b)}, r.n_b, r.current_b)
    return shown


def attack(shown: list, sizes: dict, min_n: int) -> dict:
    """Every set of cells the attacker can compute from ``shown`` [(cells, n, mean)]: {cells: (n, sum)}.

    ``sizes`` gives the true size of every cell (the attacker's worst-case knowledge).
    """
    known = {cells: (n, n * mean) for cells, n, mean in shown}
    changed = True
    while changed:
        changed = False
        for (a, (na, sa)), (b, (nb, sb)) in combinations(list(known.items()), 2):
            for new, value in (
                (a - b, (na - nb, sa - sb)) if b < a else (None, None),
                (b - a, (nb - na, sb - sa)) if a < b else (None, None),
                (a | b, (na + nb, sa + sb)) if not a & b else (None, None),
            ):
                if new and new not in known:
                    known[new] = value
                    changed = True
    return {cells: v for cells, v in known.items() if 0 < sum(sizes[c] for c in cells) < min_n}


def _sizes(review, principle) -> dict:
    people = _cell_sets(review.responses)
    people = people[people["principle"].astype(str) == principle]
    return {(str(p), str(r)): int(n) for (p, r), n in people.groupby(["partner", "role"], observed=True).size().items()}


@pytest.mark.parametrize("name", list(REVIEWS))
def test_subtraction_across_every_score_table_finds_no_small_group(tmp_path, name):
    review = _review(tmp_path, name, seed=len(name))
    shown = _shown_groups(review)
    assert shown, "the review shows something"
    for principle, groups in shown.items():
        assert attack(groups, _sizes(review, principle), review.min_n) == {}, principle
    # and something is hidden in each: these reviews do have small groups
    assert review.scores_by_role["suppressed"].any()


def test_the_attacker_does_find_a_small_group_where_tables_are_protected_one_by_one(tmp_path):
    """The control: each table hiding only what is small within itself gives the organisation of 4 away."""
    review = _review(tmp_path, "org-of-four", seed=3)
    m = review.method
    naive = {
        "overall": principle_scores(review.responses, scale=review.scale, method=m),
        "by_partner": principle_scores(review.responses, by="partner", scale=review.scale, method=m, margins=False),
        "by_role": principle_scores(review.responses, by=["partner", "role"], scale=review.scale, method=m,
                                    margins=False),
    }  # fmt: skip
    people = _cell_sets(review.responses)
    every = set(zip(people["partner"].astype(str), people["role"].astype(str)))
    groups = [(frozenset(every), r.n, r.current) for r in naive["overall"].itertuples() if r.principle == "Trust"]
    groups += [
        (frozenset(c for c in every if c[0] == str(r.partner)), r.n, r.current)
        for r in naive["by_partner"].itertuples()
        if r.principle == "Trust" and pd.notna(r.current)
    ]
    found = attack(groups, _sizes(review, "Trust"), m.min_n)
    contoso = frozenset(c for c in every if c[0] == "Contoso")
    assert contoso in found
    n, total = found[contoso]
    truth = people[(people["principle"] == "Trust") & (people["partner"] == "Contoso")]["score"]
    assert n == len(truth) == 4 and total / n == pytest.approx(truth.mean())


def test_hidden_groups_say_why():
    cells = pd.DataFrame({"partner": ["A", "A", "A", "B", "B"], "role": ["x", "y", "z", "x", "y"],
                          "principle": "P", "n": [20, 3, 8, 2, 2]})  # fmt: skip
    pattern = margin_pattern(cells, ["partner", "role"], min_n=5).set_index(["level", "partner", "role"])
    hidden = pattern["hidden"]
    assert hidden[(0, None, None)] is None or pd.isna(hidden[(0, None, None)])  # the whole: shown
    assert hidden[(1, "B", None)] == too_few_text(5) == "fewer than 5 responses"
    assert hidden[(1, "A", None)] == PROTECTS_SMALLER_GROUP == "hidden to protect a smaller group"
    assert hidden[(2, "A", "y")] == too_few_text(5)
    assert pd.isna(hidden[(2, "A", "x")]) and pd.isna(hidden[(2, "A", "z")])


def test_an_organisation_with_one_role_is_one_group():
    """Where an organisation has one role, its row and its role's row are the same people: both or neither."""
    cells = pd.DataFrame({"partner": ["A", "A", "B"], "role": ["x", "y", "x"], "principle": "P", "n": [10, 3, 9]})
    pattern = margin_pattern(cells, ["partner", "role"], min_n=5)
    shown = pattern[pattern["hidden"].isna()]
    sets = {(r.level, *(None if pd.isna(v) else v for v in (r.partner, r.role))) for r in shown.itertuples()}
    assert (1, "B", None) in sets and (2, "B", "x") in sets  # B is one group of 9 either way
    assert (2, "A", "y") not in sets and ((1, "A", None) not in sets or (2, "A", "x") not in sets)


def test_the_comparison_of_the_organisations_hides_what_the_heatmap_hides(tmp_path):
    review = _review(tmp_path, "org-of-four", seed=5)
    by_partner = review.scores_by_partner.set_index(["partner", "principle"])["suppressed"]
    for r in review.perception.itertuples():
        either = by_partner[(r.side_a, r.principle)] or by_partner[(r.side_b, r.principle)]
        assert bool(r.suppressed) == bool(either)
    # without the review's shared pattern the comparison would show the larger organisation beside the whole
    alone = perception_differences(review.responses, method=Method(min_n=5))
    assert alone["suppressed"].all()  # Contoso (4) is too small: no comparison is possible at all
