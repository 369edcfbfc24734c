import pandas as pd

from partnerlib.comments import hidden_comment_groups, visible_comments


def _respondents(sizes):
    rows = [(f"{p}{i}", p, "2026") for p, n in sizes.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["respondent", "partner", "period"])


def test_only_groups_of_ten_or_more_show_comments():
    respondents = _respondents({"A": 10, "B": 9})
    comments = pd.DataFrame({"respondent": ["A0", "B0"], "partner": ["A", "B"], "period": ["2026", "2026"],
                             "question": ["Q", "Q"], "text": ["from A", "from B"]})
    shown = visible_comments(comments, respondents, min_n=5)
    assert shown["text"].tolist() == ["from A"] and shown["group_size"].tolist() == [10]
    assert "respondent" not in shown.columns
    assert hidden_comment_groups(comments, respondents, min_n=5) == ["2026 / B"]
    # a higher anonymity minimum raises the threshold
    assert visible_comments(comments, respondents, min_n=12).empty
