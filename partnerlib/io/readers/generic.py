"""Generic CSV (or XLSX) exports: one header row, wide or tidy.

*Wide*: one row per response, one column per question, named by its header
(any survey tool, or a spreadsheet typed by hand).  Every row counts as
finished; there are no previews.

*Tidy* (long): one row per respondent x question, recognised by its header
holding a respondent column (``respondent``, ``respondent_id``,
``response_id`` or ``id``), a question column (``question``, ``item``,
``variable`` or ``statement``) and an answer column (``answer``, ``value``,
``response`` or ``score``).  It is turned into the wide shape: one column per
distinct question (named by the question value, as a codebook names it), one
row per respondent in order of first appearance, the respondent column kept
under its own name; every other column (organisation, role, ...) must hold
one value per respondent.  ``source_row`` is the respondent's first data row.
A respondent answering the same question twice is an error, never resolved
by picking one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...exceptions import ExportFormatError
from ..tables import Table
from ._base import RawExport, Reader, header_row, make_export, strip_header

RESPONDENT = ("respondent", "respondent_id", "respondentid", "response_id", "responseid", "id")
QUESTION = ("question", "item", "variable", "statement")
ANSWER = ("answer", "value", "response", "score")


def _find(names: list[str], candidates) -> int | None:
    folded = [n.casefold().replace(" ", "_") for n in names]
    for c in candidates:
        if c in folded:
            return folded.index(c)
    return None


def tidy_columns(names: list[str]) -> tuple[int, int, int] | None:
    """Positions of the respondent, question and answer columns of a tidy header, or None."""
    rid, qid, aid = (_find(names, c) for c in (RESPONDENT, QUESTION, ANSWER))
    if rid is None or qid is None or aid is None or len({rid, qid, aid}) < 3:
        return None
    return rid, qid, aid


class GenericReader(Reader):
    """Reader for any CSV with one header row (wide or tidy); tried after every platform reader."""

    name = "generic"
    layout = "wide"

    def detect(self, grid: pd.DataFrame) -> bool:
        """One header row of distinct, non-blank text cells (not numbers) above the data."""
        if grid.shape[1] < 2 or len(grid) < 1:
            return False
        heads = [strip_header(v) for v in grid.iloc[0]]
        if any(h == "" for h in heads):
            return False
        numeric = sum(h.replace(".", "", 1).lstrip("-").isdigit() for h in heads)
        return numeric < len(heads) / 2

    def read(self, table: Table) -> RawExport:
        """Read a wide export as it is, or pivot a tidy one to the wide shape."""
        names = header_row(table, 0)
        tidy = tidy_columns(names)
        return super().read(table) if tidy is None else self._pivot(table, names, *tidy)

    def _pivot(self, table: Table, names, rid, qid, aid) -> RawExport:
        body = table.text().iloc[1:].reset_index(drop=True)
        body = body.set_axis(range(body.shape[1]), axis=1)
        numbers = table.rows[1:]
        _check_tidy_keys(table.path, body, numbers, names, rid, qid)
        resp_codes, respondents = pd.factorize(body[rid])
        q_codes, questions = pd.factorize(body[qid])
        clash = [str(q) for q in questions if q in names]
        if clash:
            raise ExportFormatError(
                f"question names {clash} repeat a column header; rename them so each column of "
                "the wide table is unique",
                path=table.path,
                column=names[qid],
            )
        answers = np.full((len(respondents), len(questions)), None, dtype=object)
        answers[resp_codes, q_codes] = body[aid].to_numpy(dtype=object)
        first = pd.Series(np.arange(len(body))).groupby(resp_codes).min().to_numpy()
        wide = {names[rid]: pd.Series(respondents, dtype="str")}
        for j, name in enumerate(names):
            if j not in (rid, qid, aid):
                _check_one_value(table.path, body[j], resp_codes, respondents, numbers, name)
                wide[name] = pd.Series(body[j].to_numpy()[first], dtype="str")
        for j, q in enumerate(questions):
            wide[str(q)] = pd.Series(answers[:, j], dtype="str")
        frame = pd.DataFrame(wide)
        return make_export(
            table,
            self.name,
            list(frame.columns),
            header_rows=0,
            body=frame,
            rows=numbers[first],
            questions=list(frame.columns),
            details={"layout": "tidy (one row per answer)"},
        )


def _check_tidy_keys(path, body: pd.DataFrame, numbers, names, rid: int, qid: int) -> None:
    """Every row of a tidy export names its respondent and question, and no respondent answers a question twice."""
    who, what = body[rid], body[qid]
    for pos, series in ((rid, who), (qid, what)):
        if series.isna().any():
            row = int(numbers[np.flatnonzero(series.isna().to_numpy())[0]])
            raise ExportFormatError(
                "blank; a tidy export needs a respondent and a question on every row",
                path=path,
                row=row,
                column=names[pos],
            )
    twice = body.duplicated([rid, qid], keep="first")
    if twice.any():
        i = int(np.flatnonzero(twice.to_numpy())[0])
        raise ExportFormatError(
            f"respondent {who.iat[i]!r} answers this question twice; expected one row per respondent and question",
            path=path,
            row=int(numbers[i]),
            column=names[qid],
            value=what.iat[i],
        )


def _check_one_value(path, col: pd.Series, resp_codes, respondents, numbers, name: str) -> None:
    """A column of a tidy export other than question and answer holds one value per respondent."""
    per = col.groupby(resp_codes, dropna=False).nunique(dropna=False)
    if (per > 1).any():
        bad = int(per.index[(per > 1).to_numpy()][0])
        mine = np.flatnonzero(resp_codes == bad)
        values = col.iloc[mine].fillna("").to_numpy()
        i = int(mine[np.flatnonzero(values != values[0])[0]])
        raise ExportFormatError(
            f"respondent {respondents[bad]!r} has more than one {name!r}; in a tidy export "
            "every column other than question and answer must hold one value per respondent",
            path=path,
            row=int(numbers[i]),
            column=name,
            value=col.iat[i],
        )
