"""Every anonymity rule, in one place (pure).

1. **Minimum group size** (:func:`below_minimum`): no figure of a group of
   fewer than ``min_n`` respondents is shown; the report says "fewer than 5
   responses" in its place (:func:`partnerlib.vocabulary.too_few_text`).
2. **Margins of one table** (:func:`margin_pattern`): the overall figures, the
   organisations' and the organisation x role figures of a review are the
   margins of one table, and an attacker holding all of them can add and
   subtract shown groups (weighted by their counts).  Groups are hidden until
   no group of fewer than ``min_n`` respondents, and no union of such groups
   smaller than ``min_n``, can be computed from what is shown; a group hidden
   only for that reason says "hidden to protect a smaller group"
   (:data:`partnerlib.vocabulary.PROTECTS_SMALLER_GROUP`).
3. **No differencing between views** (:func:`check_disclosure`): a workshop
   lets people flip filters freely, so any group they can see can be
   subtracted from any other.  For every group obtained by *relaxing* some of
   a selection's filters (down to the whole period), the respondents it holds
   beyond the selection must number zero or at least ``min_n``.  Otherwise the
   figures of that small remainder could be recovered as
   ``(N_T * mean_T - N_S * mean_S) / (N_T - N_S)`` from two views that are
   each above the minimum.  Example: with 6 Northwind and 4 Contoso
   executives, "Northwind executives" (6) is refused because "all
   executives" (10) is shown too, and 10 - 6 = 4 < 5.  Views that compare
   groups inside the selection pass ``split``: each compared group is checked
   as a selection of its own.
4. **Comments** are shown only for groups of at least
   :attr:`partnerlib.settings.Method.comments_threshold` respondents
   (:func:`partnerlib.analysis.comments.comments_to_show`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from ..settings import METHOD
from ..vocabulary import PROTECTS_SMALLER_GROUP, too_few_text
from .selection import active, filter_options, mask, select

#: Tolerance of the test that a set's indicator lies in the span of the shown groups' indicators.
_SPAN_TOLERANCE = 1e-8


def below_minimum(n, min_n: int = METHOD.min_n) -> np.ndarray:
    """True where a group's respondent count ``n`` is under the anonymity minimum (missing counts as 0)."""
    return np.asarray(pd.Series(n).astype("Float64").fillna(0).to_numpy(float) < min_n, bool)


def _small_sets(cell_n: np.ndarray, min_n: int) -> np.ndarray:
    """Indicator rows of every non-empty set of cells holding fewer than ``min_n`` respondents in all.

    Only cells below the minimum can belong to such a set, and it holds fewer than ``min_n`` of them, so the
    enumeration stays small whatever the number of cells.
    """
    small = [int(i) for i in np.flatnonzero(cell_n < min_n) if cell_n[i] > 0]
    rows: list[np.ndarray] = []

    def grow(start: int, chosen: list[int], total: float) -> None:
        for k in range(start, len(small)):
            size = total + cell_n[small[k]]
            if size < min_n:
                row = np.zeros(len(cell_n))
                row[np.array([*chosen, small[k]], int)] = 1
                rows.append(row)
                grow(k + 1, [*chosen, small[k]], size)

    grow(0, [], 0.0)
    return np.array(rows).reshape(-1, len(cell_n))


def _disclosed(sets: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """Which ``sets`` (indicator rows) can be computed from the ``shown`` groups (indicator rows) by adding and
    subtracting them: those in the span of the shown rows."""
    if not len(sets) or not len(shown):
        return np.zeros(len(sets), bool)
    projector = np.linalg.pinv(shown) @ shown
    return np.abs(sets @ projector - sets).max(axis=1) < _SPAN_TOLERANCE


def _protect(members: np.ndarray, cell_n: np.ndarray, level: np.ndarray, min_n: int) -> np.ndarray:
    """The reason each group is hidden (``""`` where shown): too small, or protecting a smaller group.

    ``members[g, c]`` says whether cell ``c`` belongs to group ``g``.  Greedy, keeping the whole (level 0, the
    principles table) shown wherever possible: while some small set can be computed, hide the group, or else the
    pair of groups, below the whole that leaves the fewest computable small sets (ties: the deepest level, then
    the fewest respondents hidden); the whole is hidden only where no such choice helps.
    """
    n = members @ cell_n
    reason = np.where(n < min_n, "small", "").astype(object)
    sets = _small_sets(cell_n, min_n)

    def left(shown: np.ndarray) -> int:
        return int(_disclosed(sets, members[shown]).sum())

    while True:
        shown = reason == ""
        now = left(shown)
        if not now:
            return reason
        parts = [int(g) for g in np.flatnonzero(shown) if level[g] > 0]
        choice = None
        for size in (1, 2):
            costs = {}
            for hide in combinations(parts, size):
                keep = shown.copy()
                keep[list(hide)] = False
                costs[hide] = (left(keep), -max(level[list(hide)]), n[list(hide)].sum())
            better = [h for h, c in costs.items() if c[0] < now]
            if better:
                choice = min(better, key=costs.__getitem__)
                break
        if choice is None:
            choice = tuple(int(g) for g in np.flatnonzero(shown & (level == 0)))
        reason[list(choice)] = "protects"


@lru_cache(maxsize=256)
def _protect_cached(members: bytes, shape: tuple, cell_n: tuple, level: tuple, min_n: int) -> np.ndarray:
    """:func:`_protect` remembered: the principles of a review mostly have the same cells and counts."""
    matrix = np.frombuffer(members, float).reshape(shape)
    return _protect(matrix, np.array(cell_n), np.array(level), min_n)


def margin_pattern(
    counts: pd.DataFrame, keys: list[str], *, unit: str | None = "principle", min_n: int
) -> pd.DataFrame:
    """Which groups of a table and of its margins may be shown, so that no small group can be recovered.

    Parameters
    ----------
    counts : DataFrame
        The finest cells: the ``keys`` columns, ``unit`` and ``n`` (respondents of the cell; a cell of 0 is
        empty).
    keys : list of str
        The grouping of the finest cells, outermost first (``["partner", "role"]``); its margins are the groups
        of each prefix of ``keys``, down to the whole (``[]``, ``["partner"]``).
    unit : str or None
        Each value of this column (each principle, each statement) is protected on its own; ``None`` for a table
        of one figure per group (a response count).
    min_n : int
        The anonymity minimum.

    Returns
    -------
    DataFrame
        One row per group of every level and unit: ``level`` (the number of ``keys`` it is grouped by), the
        ``keys`` (missing beyond the level), ``unit``, ``n``, and ``hidden``: missing where the group may be
        shown, else the text to show instead (:func:`partnerlib.vocabulary.too_few_text` for a group of fewer
        than ``min_n``, :data:`partnerlib.vocabulary.PROTECTS_SMALLER_GROUP` for one hidden so that a smaller
        one cannot be computed).

    Notes
    -----
    A shown group tells its sum (mean x n).  A set of respondents is *computable* when its indicator over the
    finest cells is a linear combination of the shown groups' indicators (the attacker adds and subtracts whole
    shown groups).  The pattern leaves no computable set of fewer than ``min_n`` respondents; it is found
    greedily (see ``_protect``) and is exact in what it checks, not necessarily minimal in what it hides.
    """
    counts = counts[counts["n"].astype(float) > 0].reset_index(drop=True)
    n_all = counts["n"].to_numpy(float)
    units = pd.factorize(counts[unit])[0] if unit is not None else np.zeros(len(counts), int)
    codes = [np.zeros(len(counts), int)] + [
        counts.groupby(keys[:k], observed=True, sort=False).ngroup().to_numpy() for k in range(1, len(keys) + 1)
    ]
    level: list[int] = []
    first: list[int] = []
    sizes: list[float] = []
    reason: list[str] = []
    for u in range(units.max(initial=-1) + 1):
        cells = np.flatnonzero(units == u)
        cell_n = n_all[cells]
        members = []
        for k, code in enumerate(codes):
            groups, where = np.unique(code[cells], return_index=True)
            members.append(code[cells][None, :] == groups[:, None])
            level += [k] * len(groups)
            first += cells[where].tolist()
        matrix = np.vstack(members).astype(float)
        sizes += (matrix @ cell_n).tolist()
        if (cell_n >= min_n).all():  # no small group anywhere: nothing to protect
            reason += [""] * len(matrix)
        else:
            levels = tuple(level[-len(matrix) :])
            reason += list(_protect_cached(matrix.tobytes(), matrix.shape, tuple(cell_n), levels, min_n))
    rows = counts.iloc[first].reset_index(drop=True)
    depth = np.array(level, int)
    out = pd.DataFrame({"level": depth})
    for k_depth, key in enumerate(keys, start=1):
        out[key] = rows[key].astype(object).where(depth >= k_depth, None).to_numpy()
    if unit is not None:
        out[unit] = rows[unit].to_numpy()
    out["n"] = np.array(sizes, float).astype(int)
    out["hidden"] = [too_few_text(min_n) if r == "small" else PROTECTS_SMALLER_GROUP if r == "protects" else None
                     for r in reason]  # fmt: skip
    return out


def hidden_texts(
    table: pd.DataFrame, by: list[str], *, unit: str = "principle", min_n: int, pattern: pd.DataFrame | None = None
) -> pd.api.extensions.ExtensionArray:
    """What each row of ``table`` (one row per group of ``by`` and ``unit``, with ``n``) shows instead of its
    figures: missing where it may be shown, else the text of :func:`margin_pattern`.

    Without ``pattern`` the table is protected as if all its margins were shown too (:func:`margin_pattern` of
    its own rows); with one (computed on a finer grouping, so that several tables of a review hide alike) the
    rows take its verdict at their level.  A row below ``min_n`` is always hidden as too small.
    """
    if pattern is None:
        pattern = margin_pattern(table[[*by, unit, "n"]].fillna({"n": 0}), by, unit=unit, min_n=min_n)
    level = pattern[pattern["level"] == len(by)]
    keys = [*by, unit]
    verdict = {tuple(str(v) for v in row[:-1]): row[-1] for row in level[[*keys, "hidden"]].itertuples(index=False)}
    found = np.array([verdict.get(tuple(str(v) for v in row)) for row in table[keys].itertuples(index=False)], object)
    small = below_minimum(table["n"], min_n)
    found[small] = too_few_text(min_n)
    return pd.array(found, dtype="str")


def too_few_texts(n, min_n: int):
    """The ``hidden`` column of a table without margins: "fewer than 5 responses" where ``n < min_n``, else
    missing (text dtype, as :func:`hidden_texts`)."""
    small = below_minimum(n, min_n)
    return pd.array([too_few_text(min_n) if hide else None for hide in small], dtype="str")


def too_few_message(min_n: int = METHOD.min_n) -> str:
    """The message shown instead of any figure for a group below the minimum."""
    return f"Too few responses to show (n < {min_n})"


def differencing_message(min_n: int = METHOD.min_n) -> str:
    """The message shown when a selection would reveal a small remainder by difference."""
    return (
        f"Too few responses to show (n < {min_n} left out by this filter): the respondents it leaves out "
        "could be identified by comparing views. Widen or change the filters."
    )


@dataclass(frozen=True)
class Disclosure:
    """Whether a selection may be shown.

    Attributes
    ----------
    ok : bool
        True when both rules hold.
    n : int or None
        Respondents in the selection when ``ok`` (never reported otherwise).
    message : str
        Empty when ``ok``; else the text to show instead of the figure.
    """

    ok: bool
    n: int | None
    message: str = ""


def _count(masks: dict, columns, size: int) -> int:
    keep = np.ones(size, bool)
    for col in columns:
        keep &= masks[col]
    return int(keep.sum())


def _check_cell(masks: dict, size: int, min_n: int) -> str:
    """The rule a group breaks (its message), or ``""``."""
    n = _count(masks, list(masks), size)
    if n < min_n:
        return too_few_message(min_n)
    for k in range(len(masks)):
        for kept in combinations(masks, k):
            extra = _count(masks, kept, size) - n
            if 0 < extra < min_n:
                return differencing_message(min_n)
    return ""


def check_disclosure(
    respondents: pd.DataFrame,
    selection: Mapping[str, object] | None,
    *,
    min_n: int = METHOD.min_n,
    split: str | None = None,
) -> Disclosure:
    """Apply the minimum-size and no-differencing rules to one period's respondents.

    Parameters
    ----------
    respondents : DataFrame
        One row per respondent of the period (``Survey.respondents`` for one period).
    selection : mapping
        The active filters, ``{column: value}``.
    min_n : int
        The anonymity minimum.
    split : str, optional
        A column whose groups the view compares inside the selection; each
        group present is checked as a selection of its own.

    Returns
    -------
    Disclosure
        ``ok`` with the selection's respondent count ``n``, or not ``ok`` with
        :func:`too_few_message` (a group below ``min_n``) or
        :func:`differencing_message` (a remainder ``0 < N_T - N_S < min_n``
        for some relaxation ``T`` of a selection ``S``).
    """
    filters = active(selection)
    base = {col: mask(respondents, col, value) for col, value in filters.items()}
    cells = [base]
    if split is not None:
        levels = filter_options(select(respondents, filters), [split])[split][1:]
        cells += [{**base, split: mask(respondents, split, level)} for level in levels]
    for cell in cells:
        problem = _check_cell(cell, len(respondents), min_n)
        if problem:
            return Disclosure(False, None, problem)
    return Disclosure(True, _count(base, list(base), len(respondents)))
