"""What the comments are about: the lexicon's weights, the rule, the counts, and accuracy on a labelled set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from partnerlib import CodebookError, load_codebook
from partnerlib.analysis import ShownComments, classify_comments, comment_themes, theme_lexicon
from partnerlib.analysis.themes import MIN_THEME_SCORE, STRONG_WEIGHT, stems
from partnerlib.demo import codebook_dict
from partnerlib.report.tables import themes_table

LABELLED = Path(__file__).parent / "fixtures" / "comment_themes.csv"


def _codebook(principles: dict[str, list[str]], keywords=None):
    spec = codebook_dict()
    spec["principles"] = {
        p: [{"item": f"{p[:3].lower()}_{i}", "current": f"C{p[:3]}{i}", "text": t} for i, t in enumerate(texts)]
        for p, texts in principles.items()
    }
    spec["keywords"] = keywords or {}
    return load_codebook(spec)


def test_stems_meet_across_word_forms_and_leave_out_common_words():
    assert stems("The owner owns it; owners owned them") == ["owner", "own"]
    assert stems("We are sharing, they shared") == ["share"]


def test_lexicon_weights_are_shared_among_the_principles_that_hold_a_stem():
    cb = _codebook({"Trust": ["We rely on them."], "Respect": ["They rely on our expertise."]}, {"Respect": ["tone"]})
    lex = theme_lexicon(cb).set_index(["principle", "stem"])["weight"]
    assert lex[("Trust", "trust")] == STRONG_WEIGHT  # the name: strong, and in one lexicon only
    assert lex[("Respect", "tone")] == STRONG_WEIGHT  # a keyword
    assert lex[("Respect", "expertis")] == 1.0  # a statement word
    assert lex[("Trust", "reli")] == lex[("Respect", "reli")] == 0.5  # "rely" in both statements: half each


def test_theme_is_the_highest_score_first_listed_on_a_tie_and_other_below_the_minimum():
    cb = _codebook({"Trust": ["We rely on them."], "Respect": ["Expertise is valued; we rely on it."]})
    texts = ["They value our expertise", "Rely on it", "The car park is full", "Trust and respect"]
    got = classify_comments(texts, theme_lexicon(cb))
    assert got["theme"].tolist() == ["Respect", "other", "other", "Trust"]
    assert got.loc[0, "score"] == 2.0 and got.loc[0, "words"] == "valu, expertis"
    # "rely" is in both lexicons (0.5 each): below MIN_THEME_SCORE, so no theme
    assert MIN_THEME_SCORE == 1.0 and got.loc[1, "score"] == 0.0
    assert got.loc[3, "score"] == STRONG_WEIGHT  # equal scores: Trust, listed first


def test_comment_themes_counts_only_shown_comments_and_quotes_each_text_once():
    cb = _codebook({"Trust": ["We rely on them."], "Respect": ["Expertise is valued."]})
    comments = pd.DataFrame({
        "partner": ["A", "A", "A", "B", "B"],
        "question": "Q20",
        "text": ["We can rely on them", "We can rely on them", "Our expertise is ignored", "Trust is low", "Car park"],
    })  # fmt: skip
    themes = comment_themes(ShownComments(comments, hidden=["C"], threshold=10), cb)
    counts = {(r.theme, r.partner): r.comments for r in themes.counts.itertuples()}
    assert counts == {("Trust", "A"): 2, ("Trust", "B"): 1, ("Respect", "A"): 1, ("other", "B"): 1}
    trust = themes.examples[themes.examples["theme"] == "Trust"]
    assert trust[["text", "people"]].values.tolist() == [["We can rely on them", 2], ["Trust is low", 1]]
    table = themes_table(themes)
    assert table.columns.tolist() == ["Theme", "A", "B", "For example"]
    assert table.values.tolist()[0] == ["Trust", "2", "1", "“We can rely on them” (2 people); “Trust is low”"]
    assert table["Theme"].tolist() == ["Trust", "Respect", "Other (none of the principles)"]


def test_keywords_for_an_unknown_principle_are_refused():
    with pytest.raises(CodebookError, match=r"keywords: \['Trsut'\] are not principles of the codebook"):
        _codebook({"Trust": ["We rely on them."]}, {"Trsut": ["faith"]})


def test_accuracy_on_a_labelled_set_of_comments():
    # 57 comments written for the purpose, each labelled by hand with the demo principle it speaks of (or other),
    # classified with the demo codebook's statements and keywords; the docs state the figure measured here.
    labelled = pd.read_csv(LABELLED)
    got = classify_comments(labelled["text"], theme_lexicon(load_codebook(codebook_dict())))
    right = int((got["theme"] == labelled["theme"]).sum())
    assert len(labelled) == 57
    assert right == 52, labelled.assign(got=got["theme"])[got["theme"] != labelled["theme"]]
    # every principle is found for at least 70 % of its own comments
    for theme, block in labelled.assign(got=got["theme"]).groupby("theme"):
        assert (block["got"] == theme).mean() >= 0.7, theme
