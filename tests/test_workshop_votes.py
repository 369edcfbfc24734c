"""Dot voting: casting, replacing, tallying, and the gap ranking beside it."""

import pandas as pd
import pytest

from partnerlib import Method, PartnerDataError, principle_scores
from partnerlib.workshop.votes import cast_votes, priorities, tally

PRINCIPLES = ["Trust", "Respect", "Accountability"]


def test_cast_records_dots_and_tally_sums_them():
    votes = cast_votes({}, "Ann", {"Trust": 2, "Respect": 1}, dots=3, principles=PRINCIPLES)
    votes = cast_votes(
        votes, "  Bo   Lee ", {"Trust": 1, "Accountability": 2, "Respect": 0}, dots=3, principles=PRINCIPLES
    )
    assert votes == {"Ann": {"Trust": 2, "Respect": 1}, "Bo Lee": {"Trust": 1, "Accountability": 2}}
    t = tally(votes, PRINCIPLES)
    assert t["principle"].tolist() == PRINCIPLES
    assert t["dots"].tolist() == [3, 1, 2]
    assert t["voters"].tolist() == [2, 1, 1]
    assert t["share"].tolist() == pytest.approx([3 / 6, 1 / 6, 2 / 6])


def test_casting_again_replaces_the_participants_dots_and_keeps_the_input_unchanged():
    first = cast_votes({}, "Ann", {"Trust": 3}, dots=3, principles=PRINCIPLES)
    second = cast_votes(first, "Ann", {"Respect": 1}, dots=3, principles=PRINCIPLES)
    assert first == {"Ann": {"Trust": 3}}
    assert tally(second, PRINCIPLES)["dots"].tolist() == [0, 1, 0]


def test_empty_tally_has_zero_shares():
    t = tally({}, PRINCIPLES)
    assert t["dots"].tolist() == [0, 0, 0] and t["share"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    "participant, allocation, message",
    [
        ("", {"Trust": 1}, "participant: enter a name"),
        ("Ann", {"Trust": 2, "Respect": 2}, "participant 'Ann': 4 dots placed but each participant has 3"),
        ("Ann", {}, "participant 'Ann': no dots placed; spread up to 3"),
        ("Ann", {"Trust": -1}, "principle 'Trust': dots must be a whole number from 0, got -1"),
        ("Ann", {"Trust": 1.5}, "principle 'Trust': dots must be a whole number from 0, got 1.5"),
        ("Ann", {"Honesty": 1}, r"votes for unknown principles \['Honesty'\]"),
    ],
)
def test_invalid_votes_say_what_is_wrong(participant, allocation, message):
    with pytest.raises(PartnerDataError, match=message):
        cast_votes({}, participant, allocation, dots=3, principles=PRINCIPLES)


def _responses():
    """Five respondents; per principle current and importance chosen so the gaps are 2.0, 0.0 and 1.0."""
    rows = []
    values = {"Trust": (2, 4), "Respect": (4, 4), "Accountability": (3, 4)}
    for i in range(5):
        for principle, (cur, imp) in values.items():
            rows.append((f"r{i}", principle, "current", float(cur)))
            rows.append((f"r{i}", principle, "importance", float(imp)))
    frame = pd.DataFrame(rows, columns=["respondent", "principle", "measure", "score"])
    frame["principle"] = pd.Categorical(frame["principle"], categories=PRINCIPLES)
    return frame


def test_priorities_put_the_tally_beside_the_gap_ranking():
    scores = principle_scores(_responses(), scale=(1, 5))
    votes = cast_votes({}, "Ann", {"Respect": 3}, dots=3, principles=PRINCIPLES)
    out = priorities(scores, tally(votes, PRINCIPLES))
    assert out["principle"].tolist() == ["Trust", "Accountability", "Respect"]
    assert out["gap_rank"].tolist() == [1, 2, 3]
    assert out["gap"].tolist() == pytest.approx([2.0, 1.0, 0.0])
    assert out["dots"].tolist() == [0, 0, 3]


def test_suppressed_principles_have_no_rank_and_come_last():
    responses = _responses()
    responses = responses[~((responses["principle"] == "Trust") & (responses["respondent"] != "r0"))]
    scores = principle_scores(responses, scale=(1, 5), method=Method(min_n=5))
    out = priorities(scores, tally({}, PRINCIPLES))
    assert out["principle"].tolist() == ["Accountability", "Respect", "Trust"]
    assert out["gap_rank"].isna().tolist() == [False, False, True]
    assert pd.isna(out["gap"].iloc[2])


def test_the_reports_proposal_stands_beside_the_gap_ranking():
    # current / importance per principle (5 identical respondents): crosshairs at the strength cut-off, current
    # 4.0, and the mean importance 4.25.  Only Shared goals is "concentrate here" (important and not a strength),
    # so the report proposes it alone although Trust's gap is larger (Trust matters less than the others).
    values = {"Trust": (1.0, 3.5), "Shared goals": (2.5, 4.5), "Accountability": (4.0, 4.5), "Respect": (4.5, 4.5)}
    rows = [
        (f"r{i}", principle, measure, score)
        for i in range(5)
        for principle, (cur, imp) in values.items()
        for measure, score in (("current", cur), ("importance", imp))
    ]
    frame = pd.DataFrame(rows, columns=["respondent", "principle", "measure", "score"])
    frame["principle"] = pd.Categorical(frame["principle"], categories=list(values))
    out = priorities(principle_scores(frame, scale=(1, 5)), tally({}, list(values)))
    assert out["principle"].tolist() == ["Trust", "Shared goals", "Accountability", "Respect"]
    assert out["gap"].tolist() == pytest.approx([2.5, 2.0, 0.5, 0.0])
    assert out["gap_rank"].tolist() == [1, 2, 3, 4]
    assert out["proposed"].astype(object).tolist() == [pd.NA, 1, pd.NA, pd.NA]


_CASTER = """
import sys
from partnerlib.workshop.store import VoteState, VoteStore
from partnerlib.workshop.votes import cast_votes

store, tag = VoteStore(sys.argv[1]), sys.argv[2]
for k in range(60):
    store.update(lambda st: VoteState(
        cast_votes(st.votes, f"{tag} {k}", {"Trust": 1}, dots=3, principles=["Trust"]), st.cleared))
"""


@pytest.mark.slow
def test_two_pages_casting_at_the_same_moment_keep_every_vote(tmp_path):
    import subprocess
    import sys

    from partnerlib.workshop.store import VoteStore

    path = tmp_path / "review-2026.votes.json"
    script = tmp_path / "caster.py"
    script.write_text(_CASTER, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), str(path), tag]) for tag in ("A", "B")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    votes = VoteStore(path).load().votes
    assert len(votes) == 120 and tally(votes, ["Trust"])["dots"].tolist() == [120]


def test_a_file_that_is_not_a_votes_file_is_named(tmp_path):
    from partnerlib.workshop.store import VoteStore

    path = tmp_path / "x.votes.json"
    path.write_text('{"votes": {}}', encoding="utf-8")
    with pytest.raises(PartnerDataError, match=r"x\.votes\.json.*not a votes file"):
        VoteStore(path).load()


def test_undoing_a_reset_keeps_votes_cast_since():
    from partnerlib.workshop.votes import undo_reset

    cleared = {"Ann": {"Trust": 3}, "Bo": {"Respect": 1}}
    assert undo_reset({"ann ": {"Respect": 2}}, cleared) == {"Bo": {"Respect": 1}, "ann ": {"Respect": 2}}
