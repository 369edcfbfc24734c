"""Generated text says what the numbers say, and escapes what clients wrote."""

import pandas as pd

from partnerlib import Method, narrative
from partnerlib.analysis import ShownComments

from .conftest import plain


def test_change_text_names_direction_values_and_period():
    change = pd.DataFrame(
        {
            "principle": ["Trust", "Shared goals", "Respect", "Trust"],
            "period_from": ["2025", "2025", "2025", "2024"],
            "period_to": ["2026", "2026", "2026", "2025"],
            "current_from": [3.42, 3.35, 4.31, 3.0],
            "current_to": [3.91, 3.01, 4.35, 3.42],
            "change": [0.49, -0.34, 0.04, 0.42],
            "p_value": [0.001, 0.02, 0.7, 0.01],
            "p_adjusted": [0.003, 0.04, 0.7, 0.03],
            "direction": ["improved", "declined", "no clear change", "improved"],
        }
    )
    text = plain(narrative.change_text(change))
    assert text.splitlines() == [
        "- Trust improved from 3.4 to 3.9 since 2025 (+0.5; unlikely to be chance, p = 0.003 adjusted for the "
        "principles tested (p = 0.001 alone)).",
        "- Shared goals declined from 3.4 to 3.0 since 2025 (-0.3; unlikely to be chance, p = 0.040 adjusted for the "
        "principles tested (p = 0.020 alone)).",
        "- No clear change since 2025 for Respect.",
    ]
    assert "no earlier review" in narrative.change_text(change.iloc[0:0])


def test_perception_text_orders_by_size_and_names_the_higher_side():
    gaps = pd.DataFrame(
        {
            "principle": ["Trust", "Open communication"],
            "side_a": ["Contoso", "Contoso"],
            "side_b": ["Northwind", "Northwind"],
            "current_a": [3.0, 4.0],
            "current_b": [3.6, 2.8],
            "difference": [-0.6, 1.2],
            "p_value": [0.01, 0.0001],
            "p_adjusted": [0.02, 0.0002],
            "flag": [True, True],
            "suppressed": [False, False],
        }
    )
    lines = plain(narrative.perception_text(gaps)).splitlines()
    assert lines[0] == "Clear differences (at least 0.5 points apart and unlikely to be chance):"
    assert lines[1] == (
        "- Open communication: Contoso rates it 4.0, Northwind 2.8 (1.2 points apart; very unlikely to be chance, "
        "p < 0.001 adjusted for the principles tested (p < 0.001 alone))."
    )
    assert (
        lines[2] == "- Trust: Northwind rates it 3.6, Contoso 3.0 (0.6 points apart; unlikely to be chance, p = 0.020 "
        "adjusted for the principles tested (p = 0.010 alone))."
    )
    assert "much the same way" in narrative.perception_text(gaps.assign(flag=False))
    wider = plain(narrative.perception_text(gaps.assign(flag=False), method=Method(difference_threshold=0.8)))
    assert "at least 0.8 points apart" in wider


def test_comments_are_escaped_and_identical_ones_shown_once_with_their_count():
    texts = ["<script>alert(1)</script>", "fine & dandy", "More meetings.", "More meetings.", "More meetings."]
    comments = pd.DataFrame({"partner": ["A"] * 5, "text": texts})
    html = narrative.comments_html(ShownComments(comments, ["B"], 10))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "fine &amp; dandy" in html
    lines = plain(html).splitlines()
    assert lines.count("- More meetings. (3 people)") == 1 and "- fine & dandy" in lines
    assert lines[-1] == "Not shown, from organisations with fewer than 10 respondents: B."


def test_method_note_counts_exclusions_of_the_period():
    dropped = pd.DataFrame(
        {"period": ["2026", "2026", "2026", "2025"], "reason": ["preview", "incomplete", "incomplete", "test"]}
    )
    respondents = pd.DataFrame({"period": ["2026"] * 7 + ["2025"] * 3})
    note = plain(narrative.method_note(scale=(1, 5), dropped=dropped, respondents=respondents, period="2026"))
    assert "7 responses were analysed for 2026; excluded: 1 survey preview, 2 unfinished responses." in note
    assert "a strength from 4.0 (75% of the way up the scale) and a concern below 3.0" in note
    note7 = plain(
        narrative.method_note(
            scale=(1, 7), method=Method(min_n=8), dropped=dropped.iloc[:0], respondents=respondents, period="2026"
        )
    )
    assert "a strength from 5.5 (75% of the way up the scale) and a concern below 4.0" in note7
    assert "excluded: none" in note7
    assert "fewer than 8 respondents" in note7 and "at least 10 respondents" in note7
    assert '"fewer than 8 responses"' in note7 and '"hidden to protect a smaller group"' in note7
