"""comments_to_show keeps only the comments of groups of at least max(min_n, 10) respondents."""

import pandas as pd
import pytest

from partnerlib import Method, PartnerDataError, comments_to_show

RESPONDENTS = pd.DataFrame(
    {"respondent": [f"r{i}" for i in range(22)], "partner": ["Big"] * 12 + ["Small"] * 9 + ["Silent"]}
).astype("category")
COMMENTS = pd.DataFrame(
    {
        "respondent": ["r0", "r1", "r12"],
        "partner": ["Big", "Big", "Small"],
        "question": "Q20",
        "text": ["Good <b>work</b>", "More meetings", "Who is in charge?"],
    }
)


def test_groups_under_ten_lose_their_comments():
    shown = comments_to_show(COMMENTS, RESPONDENTS)
    assert shown.comments["text"].tolist() == ["Good <b>work</b>", "More meetings"]  # escaping: the renderer's job
    assert "respondent" not in shown.comments.columns
    assert shown.hidden == ["Small"] and shown.threshold == 10


def test_a_higher_minimum_raises_the_threshold():
    shown = comments_to_show(COMMENTS, RESPONDENTS, method=Method(min_n=13))
    assert shown.comments.empty and shown.hidden == ["Big", "Small"] and shown.threshold == 13
    assert comments_to_show(COMMENTS, RESPONDENTS, method=Method(comments_min_n=12)).hidden == ["Small"]
    assert comments_to_show(COMMENTS, RESPONDENTS, method=Method(comments_min_n=13)).hidden == ["Big", "Small"]


def test_ungrouped_counts_everyone():
    assert len(comments_to_show(COMMENTS, RESPONDENTS, by=None).comments) == 3
    few = comments_to_show(COMMENTS, RESPONDENTS.iloc[:9], by=None)
    assert few.comments.empty and few.hidden == ["all respondents"]


def test_unknown_group_column():
    with pytest.raises(PartnerDataError, match=r"cannot group comments by \['site'\]"):
        comments_to_show(COMMENTS, RESPONDENTS, by="site")
