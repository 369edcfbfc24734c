"""What the comments are about: each comment given the agreed principle it speaks of, or "other" (pure functions).

The classifier is a transparent lexicon, built from the codebook alone, so that a consultant can say why a comment
was counted where it was, and nothing is downloaded or sent anywhere:

- each principle's **lexicon** holds the word stems (Snowball's English stemmer, so "owner", "owns" and "owned"
  meet) of its name and of its ``keywords`` (weight :data:`STRONG_WEIGHT`), and of its statements' texts (weight
  1), leaving out common words (:data:`STOP_WORDS`);
- a stem in the lexicons of ``k`` principles weighs ``weight / k`` in each (it says less about which one is meant);
- a comment's **score** for a principle is the sum of the weights of the distinct stems it shares with that
  principle's lexicon; the comment's **theme** is the principle of highest score, if that score is at least
  :data:`MIN_THEME_SCORE`, else :data:`~partnerlib.vocabulary.OTHER_THEME`.  Equal scores go to the principle listed
  first in the codebook.

Its accuracy on a labelled set of comments written for the purpose is measured by ``tests/test_themes.py`` and
stated in the docs (method note).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..vocabulary import OTHER_THEME

#: The weight of a stem of a principle's name or of one of its keywords (a statement's words weigh 1).
STRONG_WEIGHT = 3.0
#: The least score that gives a comment a principle as its theme.
MIN_THEME_SCORE = 1.0
#: Words that say nothing about a principle (English function words and survey filler).
STOP_WORDS = frozenset(
    " ".join(
        [
            "a about above after again against all also am an and any are as at be because been before being",
            "below between both but by can could did do does doing down during each even ever every few for from",
            "further get gets got had has have having he her here hers him his how i if in into is it its itself",
            "just let lets like make makes made me more most much must my no nor not now of off often on once",
            "only or other others our ours out over own per quite rather really same she should so some such than",
            "that the their theirs them then there these they this those through to too under until up us very",
            "was way we well were what when where which while who whom why will with within without would you",
            "your yours yet always never still sometimes time times thing things lot lots bit partner partners",
            "partnership organisation organisations organization organizations side sides",
        ]
    ).split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


def stems(text: str) -> list[str]:
    """The distinct stems of the words of ``text`` that are not :data:`STOP_WORDS`, in order of appearance."""
    words = [w.casefold().removesuffix("'s") for w in _WORD.findall(str(text))]
    out = _stemmer().stemWords([w for w in words if w not in STOP_WORDS and len(w) > 1])
    return list(dict.fromkeys(out))


def theme_lexicon(codebook, keywords: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Each principle's lexicon: the stems that point to it and their weights.

    Parameters
    ----------
    codebook : Codebook
        Its principles (in order) and their statements' texts; its ``keywords`` unless ``keywords`` is given.
    keywords : mapping, optional
        Principle -> extra words or phrases that point to it (``{"Accountability": ["owner", "follow-up"]}``).

    Returns
    -------
    DataFrame
        ``principle``, ``stem``, ``weight`` (after sharing among the principles whose lexicons hold the stem) and
        ``source`` (``"name or keyword"`` or ``"statement"``), one row per principle and stem.
    """
    keywords = getattr(codebook, "keywords", None) if keywords is None else keywords
    keywords = keywords or {}
    unknown = sorted(set(keywords) - set(codebook.principle_order))
    if unknown:
        from ..exceptions import CodebookError

        raise CodebookError(
            f"keywords given for {unknown}, which the codebook does not have; expected some of "
            f"{list(codebook.principle_order)}"
        )
    rows: dict[tuple[str, str], tuple[float, str]] = {}
    for principle in codebook.principle_order:
        strong = [principle, *keywords.get(principle, ())]
        for stem in stems(" ".join(strong)):
            rows[(principle, stem)] = (STRONG_WEIGHT, "name or keyword")
        texts = [s.text or "" for s in codebook.statements if s.principle == principle]
        for stem in stems(" ".join(texts)):
            rows.setdefault((principle, stem), (1.0, "statement"))
    frame = pd.DataFrame(
        [(p, s, w, src) for (p, s), (w, src) in rows.items()], columns=["principle", "stem", "weight", "source"]
    )
    shared = frame.groupby("stem")["principle"].transform("size")
    return frame.assign(weight=frame["weight"] / shared)


def classify_comments(texts: Iterable[str], lexicon: pd.DataFrame) -> pd.DataFrame:
    """The theme of each comment (see the module docstring for the rule).

    Returns
    -------
    DataFrame
        One row per text, in order: ``theme`` (a principle or ``"other"``), ``score`` (the winning score, 0 if
        none), ``words`` (the matched stems that decided it, as text).
    """
    order = list(dict.fromkeys(lexicon["principle"]))
    table: dict[str, dict[str, float]] = {}
    for p, s, w in lexicon[["principle", "stem", "weight"]].itertuples(index=False):
        table.setdefault(s, {})[p] = w
    out = []
    for text in texts:
        scores = dict.fromkeys(order, 0.0)
        matched: dict[str, list[str]] = {p: [] for p in order}
        for stem in stems(text):
            for p, w in table.get(stem, {}).items():
                scores[p] += w
                matched[p].append(stem)
        best = max(order, key=lambda p: scores[p]) if order else None  # max keeps the first of equal scores
        if best is None or scores[best] < MIN_THEME_SCORE:
            out.append((OTHER_THEME, 0.0, ""))
        else:
            out.append((best, round(scores[best], 3), ", ".join(matched[best])))
    return pd.DataFrame(out, columns=["theme", "score", "words"])


@dataclass
class CommentThemes:
    """What the shown comments are about.

    Attributes
    ----------
    counts : DataFrame
        ``theme``, ``partner``, ``comments``: how many shown comments of each organisation have each theme
        (principles in codebook order, then "other"; a theme no comment has is left out).
    examples : DataFrame
        ``theme``, ``text``, ``people``: up to ``examples`` distinct comments per theme, those given most often
        first, each with how many people gave it.
    """

    counts: pd.DataFrame
    examples: pd.DataFrame


def comment_themes(shown, codebook, *, examples: int = 2, keywords=None) -> CommentThemes:
    """Count the themes of the comments a report may show (:func:`partnerlib.comments_to_show`'s result).

    Only shown comments are counted, so the rules for comments hold here too: organisations below the comments
    threshold contribute nothing, and identical comments appear once among the examples, with a count.
    """
    comments = shown.comments
    themes = classify_comments(comments["text"].astype(str), theme_lexicon(codebook, keywords))
    frame = comments[["partner", "text"]].reset_index(drop=True).assign(theme=themes["theme"])
    order = [*codebook.principle_order, OTHER_THEME]
    frame["theme"] = pd.Categorical(frame["theme"], categories=order, ordered=True)
    counts = (
        frame.groupby(["theme", "partner"], observed=True).size().rename("comments").reset_index()
        if len(frame)
        else pd.DataFrame({"theme": [], "partner": [], "comments": []})
    )
    picked = (
        frame.groupby(["theme", "text"], observed=True)
        .size()
        .rename("people")
        .reset_index()
        .sort_values(["theme", "people", "text"], ascending=[True, False, True], kind="stable")
        .groupby("theme", observed=True)
        .head(examples)
        .reset_index(drop=True)
        if len(frame)
        else pd.DataFrame({"theme": [], "text": [], "people": []})
    )
    return CommentThemes(counts, picked)
