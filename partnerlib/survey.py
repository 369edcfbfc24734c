"""From a survey export and a codebook to tidy tables: :func:`read_survey`.

The reader for the export's platform (see :mod:`partnerlib.readers`) has
already dropped personal data and translated the platform's bookkeeping.
This module applies the codebook: it excludes previews, test and unfinished
responses, duplicates and empty responses (logging each in
``Survey.dropped``), turns answers into scale points (reverse keying where
the codebook says so), and builds the tidy ``responses`` table.  Nothing is
guessed: an answer the codebook does not cover is an error naming the file,
row, column and value.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .codebook import Codebook, GroupSpec, load_codebook, normalise_label
from .config import MEASURES
from .exceptions import CodebookError, PartnerDataError, describe_place
from .privacy import is_personal, pseudonymise
from .readers import RawExport, read_export
from .schemas import validate_responses

NOT_STATED = "Not stated"
DROP_REASONS = ("preview", "test", "incomplete", "duplicate", "empty")


@dataclass
class Survey:
    """One or more periods of a partnership survey, as tidy tables.

    Attributes
    ----------
    responses : DataFrame
        One row per respondent x statement x measure with a score:
        ``respondent, partner, role, period, principle, item, measure, score``
        and one column per codebook attribute.  ``attrs["scale"]`` holds the
        scale bounds ``(min, max)``.
    respondents : DataFrame
        One row per kept respondent: ``respondent, partner, role, period``,
        attributes, ``answered`` (number of scored answers).
    dropped : DataFrame
        One row per excluded response: ``period, source_row, reason``.
    comments : DataFrame
        Free-text answers: ``respondent, partner, role, period, question, text``.
    not_applicable : DataFrame
        One row per "not applicable" answer (same key columns as ``responses``,
        no score), so charts can show them apart.
    codebook : Codebook
    sources : DataFrame
        One row per export read: ``period, path, format, layout, sheet, rows,
        kept, personal_columns_dropped``.
    """

    responses: pd.DataFrame
    respondents: pd.DataFrame
    dropped: pd.DataFrame
    comments: pd.DataFrame
    not_applicable: pd.DataFrame
    codebook: Codebook
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def scale(self) -> tuple[float, float]:
        """Scale bounds ``(min, max)`` from the codebook."""
        return self.codebook.scale

    @property
    def periods(self) -> list[str]:
        """The periods present, in chronological (sorted) order."""
        return sorted(self.respondents["period"].astype(str).unique().tolist())


def _statement_meta(cb: Codebook):
    """Flattened (principle, item, measure, column, reverse) of every rated column."""
    rows = []
    for st in cb.statements:
        for measure, column in st.columns().items():
            rows.append((st.principle, st.item, measure, column, st.reverse))
    return rows


def _check_columns(export: RawExport, cb: Codebook) -> None:
    available = list(export.data.columns)
    missing = [c for c in cb.question_columns() if c not in export.data.columns]
    if not missing:
        return
    lines = []
    for col in missing:
        if is_personal(col):
            lines.append(f"column '{col}' is personal data and is dropped when the file is read; "
                         "leave it out of the codebook")
            continue
        near = difflib.get_close_matches(col, available, n=3, cutoff=0.6)
        hint = f" (near matches: {near})" if near else ""
        lines.append(f"column '{col}' is not in the export{hint}")
    raise CodebookError(f"file '{export.path}': the codebook {cb.source} names columns the export lacks: "
                        + "; ".join(lines) + f". Columns found: {available[:40]}"
                        + (" ..." if len(available) > 40 else ""))


def _to_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _factorize(data: pd.DataFrame, column: str, cache: dict) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize`` of one export column (codes -1 for blanks), computed once per column."""
    if column not in cache:
        cache[column] = pd.factorize(data[column], use_na_sentinel=True)
    return cache[column]


def _duplicates(codes: list[np.ndarray], n: int) -> np.ndarray:
    """True for each row whose codes equal those of an earlier row in every column.

    Each row's codes are folded into a 64-bit hash; only rows whose hash
    repeats are candidates, and those are compared code by code, so a hash
    collision can never make two different responses duplicates.  With no
    column to compare, nothing is a duplicate.
    """
    if not codes:
        return np.zeros(n, bool)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in codes:
            h = h * np.uint64(1_000_003) ^ (c.astype(np.uint64) + np.uint64(1))
    candidates = np.flatnonzero(pd.Series(h).duplicated(keep=False).to_numpy())
    out = np.zeros(n, bool)
    if len(candidates):
        rows = np.column_stack([c[candidates] for c in codes])
        out[candidates] = pd.DataFrame(rows).duplicated(keep="first").to_numpy()
    return out


def _score_column(codes: np.ndarray, uniques, column: str, cb: Codebook, export: RawExport, rows: np.ndarray):
    """Scores (float, NaN for blank or not applicable) and a not-applicable mask for one column.

    ``codes``/``uniques`` are the column's factorization restricted to the kept
    rows; only answers present in those rows are checked against the codebook.
    """
    if len(uniques) == 0:
        return np.full(len(codes), np.nan), np.zeros(len(codes), bool)
    present = np.zeros(len(uniques), bool)
    present[codes[codes >= 0]] = True
    mapped = np.full(len(uniques), np.nan)
    na_flag = np.zeros(len(uniques), bool)
    for k in np.flatnonzero(present):
        raw = uniques[k]
        key = normalise_label(raw)
        if key == "":
            continue
        if key in cb.not_applicable:
            na_flag[k] = True
        elif key in cb.labels:
            mapped[k] = cb.labels[key]
        else:
            number = _to_float(key)
            if number is not None and cb.scale_min <= number <= cb.scale_max:
                mapped[k] = number
            else:
                first = int(np.flatnonzero(codes == k)[0])
                where = describe_place(export.path, sheet=export.sheet, row=int(rows[first]), column=column,
                                       value=str(raw))
                expected = (f"a label of the codebook's scale {sorted(cb.labels)}" if cb.labels else
                            "a number")
                raise PartnerDataError(
                    f"{where}: not a scale answer. Expected {expected} or a number from {cb.scale_min:g} to "
                    f"{cb.scale_max:g}, or a not-applicable answer {sorted(cb.not_applicable)}. Check for "
                    "spelling or a label missing from the codebook; the value is never treated as missing.")
    scores = np.where(codes >= 0, mapped[np.maximum(codes, 0)], np.nan)
    not_app = np.where(codes >= 0, na_flag[np.maximum(codes, 0)], False)
    return scores, not_app


def _group(spec: GroupSpec | None, export: RawExport, rows: np.ndarray, name: str, data: pd.DataFrame,
           required: bool) -> pd.Categorical:
    n = len(data)
    if spec is None:
        return pd.Categorical([NOT_STATED] * n)
    if spec.value is not None:
        return pd.Categorical([spec.value] * n)
    raw = data[spec.column]
    # Work on the distinct values only (a handful), then spread the result to every row through the codes.
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    clean = [" ".join(str(u).split()) for u in uniques]
    blank_u = np.array([c == "" for c in clean], bool)
    blank = (codes < 0) | blank_u[np.maximum(codes, 0)]
    if required and blank.any():
        first = int(np.flatnonzero(blank)[0])
        where = describe_place(export.path, sheet=export.sheet, row=int(rows[first]), column=spec.column)
        raise PartnerDataError(f"{where}: blank {name}; every kept response needs the respondent's {name}. "
                               f"Fill it in a copy of the export, or exclude the response.")
    if spec.values is None:
        names_u = clean
        cats = sorted({c for c in clean if c})
    else:
        keys = [normalise_label(u) for u in uniques]
        for k, key in enumerate(keys):
            if key != "" and key not in spec.values:
                first = int(np.flatnonzero(codes == k)[0])
                where = describe_place(export.path, sheet=export.sheet, row=int(rows[first]), column=spec.column,
                                       value=str(uniques[k]))
                raise PartnerDataError(f"{where}: not one of the codebook's {name} codes {sorted(spec.values)}")
        names_u = [spec.values.get(key, "") for key in keys]
        cats = list(dict.fromkeys(spec.values.values()))
    if blank.any() and NOT_STATED not in cats:
        cats.append(NOT_STATED)
    position = {c: i for i, c in enumerate(cats)}
    code_u = np.array([position.get(c, position.get(NOT_STATED, -1)) for c in names_u] or [0], dtype=np.int64)
    out = np.where(blank, position.get(NOT_STATED, -1), code_u[np.maximum(codes, 0)])
    return pd.Categorical.from_codes(out, categories=cats)


def _file_key(path: Path, cb: Codebook) -> bytes:
    if cb.salt:
        return hashlib.sha256(cb.salt.encode("utf-8")).digest()
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.digest()


def read_survey(path, codebook, *, period=None, format: str | None = None) -> Survey:
    """Read one survey export into tidy tables.

    Parameters
    ----------
    path : path-like
        The export (Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms or
        generic; CSV or XLSX).  Only read, never modified.
    codebook : path, dict or Codebook
        See :mod:`partnerlib.codebook`.
    period : str, optional
        The period the survey belongs to; overrides the codebook's ``period``.
    format : str, optional
        Force a reader instead of detecting the format.

    Returns
    -------
    Survey

    Raises
    ------
    PartnerDataError
        For an answer the codebook does not cover, a score outside the scale,
        a column the codebook names but the export lacks, an unrecognised
        export, or no period given.
    """
    cb = load_codebook(codebook)
    period = period if period is not None else cb.period
    if period is None or str(period).strip() == "":
        raise PartnerDataError(f"file '{path}': no period given; pass period=... or set 'period' in the "
                               f"codebook {cb.source}")
    period = str(period)
    export = read_export(path, format=format)
    _check_columns(export, cb)
    data, meta = export.data, export.meta
    n = len(data)

    reason = np.full(n, None, dtype=object)
    if cb.exclude_previews:
        reason[meta["preview"].to_numpy()] = "preview"
        reason[(reason == None) & meta["test"].to_numpy()] = "test"  # noqa: E711
    if cb.exclude_incomplete:
        reason[(reason == None) & ~meta["finished"].to_numpy()] = "incomplete"  # noqa: E711

    id_col = cb.respondent_id
    # A duplicate submission repeats every answer; the platform's ids and dates differ, so they are not compared.
    compared = [c for c in data.columns if c != id_col and c not in set(export.bookkeeping)]
    alive = reason == None  # noqa: E711
    factors: dict = {}
    dup = _duplicates([_factorize(data, c, factors)[0][alive] for c in compared], int(alive.sum()))
    reason[np.flatnonzero(alive)[dup]] = "duplicate"

    keep = reason == None  # noqa: E711
    # Only the columns still needed are carried on (the rated ones are already factorized).
    needed = [c for c in [id_col, cb.partner.column, cb.role.column if cb.role else None, *cb.attributes,
                          *cb.comments] if c]
    kept = data.loc[keep, list(dict.fromkeys(needed))].reset_index(drop=True)
    rows = meta["source_row"].to_numpy()[keep]
    stmeta = _statement_meta(cb)
    scores = np.empty((len(kept), len(stmeta)))
    not_app = np.empty((len(kept), len(stmeta)), bool)
    for j, (_, _, measure, column, reverse) in enumerate(stmeta):
        codes, uniques = _factorize(data, column, factors)
        s, na = _score_column(codes[keep], uniques, column, cb, export, rows)
        # Reverse keying applies to the "current" rating only: how much a statement matters is not reversed.
        scores[:, j] = (cb.scale_min + cb.scale_max - s) if reverse and measure == "current" else s
        not_app[:, j] = na

    answered = (~np.isnan(scores)).sum(axis=1)
    empty = answered == 0
    reason[np.flatnonzero(keep)[empty]] = "empty"
    keep_idx = ~empty
    kept, rows, scores, not_app, answered = (kept.loc[keep_idx].reset_index(drop=True), rows[keep_idx],
                                             scores[keep_idx], not_app[keep_idx], answered[keep_idx])

    ids = kept[id_col] if id_col else pd.Series(rows.astype(str))
    if id_col and ids.isna().any():
        first = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise PartnerDataError(f"{describe_place(export.path, sheet=export.sheet, row=int(rows[first]), column=id_col)}"
                               ": blank respondent id; expected a unique id per response")
    pseudo = pseudonymise(ids.astype("str"), _file_key(export.path, cb))
    if pseudo.duplicated().any():
        dupe = ids[pseudo.duplicated(keep=False)].astype(str).unique().tolist()[:5]
        raise PartnerDataError(f"file '{export.path}', column '{id_col}': respondent ids are not unique among "
                               f"kept responses ({dupe}); expected one row per respondent")

    partner = _group(cb.partner, export, rows, "organisation (partner)", kept, required=True)
    role = _group(cb.role, export, rows, "role", kept, required=False)
    attrs = {a: _group(GroupSpec(column=a), export, rows, a, kept, required=False) for a in cb.attributes}

    respondents = pd.DataFrame({
        "respondent": pd.Categorical(pseudo),
        "partner": partner,
        "role": role,
        "period": pd.Categorical([period] * len(kept)),
        **attrs,
        "answered": answered.astype("int64"),
    })

    principles = pd.Categorical([m[0] for m in stmeta], categories=list(cb.principle_order))
    items = pd.Categorical([m[1] for m in stmeta], categories=list(dict.fromkeys(m[1] for m in stmeta)))
    measures = pd.Categorical([m[2] for m in stmeta], categories=list(MEASURES))

    def long_frame(mask: np.ndarray) -> pd.DataFrame:
        r, c = np.nonzero(mask)

        def spread(cat: pd.Categorical, at: np.ndarray) -> pd.Categorical:
            # Codes come from valid categoricals, so from_codes need not re-check them (7M rows at scale).
            return pd.Categorical.from_codes(np.asarray(cat.codes)[at], dtype=cat.dtype, validate=False)

        frame = {col: spread(respondents[col].array, r) for col in ["respondent", "partner", "role", "period"]}
        frame.update({"principle": spread(principles, c), "item": spread(items, c), "measure": spread(measures, c)})
        for a in cb.attributes:
            frame[a] = spread(respondents[a].array, r)
        return pd.DataFrame(frame), r, c

    responses, r, c = long_frame(~np.isnan(scores))
    responses.insert(7, "score", scores[r, c])
    responses = validate_responses(responses, attributes=cb.attributes, where=f"file '{export.path}'")
    responses.attrs["scale"] = cb.scale
    not_applicable, _, _ = long_frame(not_app)

    comment_parts = []
    for col in cb.comments:
        text = kept[col].astype("str").str.strip()
        idx = np.flatnonzero((kept[col].notna() & (text != "")).to_numpy())
        comment_parts.append(pd.DataFrame({
            "respondent": pd.Series(pseudo.to_numpy()[idx], dtype="str"),
            "partner": pd.Categorical.from_codes(partner.codes[idx], categories=partner.categories),
            "role": pd.Categorical.from_codes(role.codes[idx], categories=role.categories),
            "period": pd.Series([period] * len(idx), dtype="str"),
            "question": pd.Series([export.questions.get(col) or col] * len(idx), dtype="str"),
            "text": pd.Series(text.to_numpy()[idx], dtype="str"),
        }))
    comments = (pd.concat(comment_parts, ignore_index=True) if comment_parts else pd.DataFrame({
        "respondent": pd.Series([], dtype="str"),
        "partner": pd.Categorical([], categories=partner.categories),
        "role": pd.Categorical([], categories=role.categories),
        "period": pd.Series([], dtype="str"), "question": pd.Series([], dtype="str"),
        "text": pd.Series([], dtype="str")}))

    dropped_mask = reason != None  # noqa: E711
    dropped = pd.DataFrame({
        "period": pd.Series([period] * int(dropped_mask.sum()), dtype="str"),
        "source_row": meta["source_row"].to_numpy()[dropped_mask].astype("int64"),
        "reason": pd.Categorical(reason[dropped_mask].tolist(), categories=list(DROP_REASONS)),
    })
    sources = pd.DataFrame([{
        "period": period, "path": str(export.path), "format": export.format,
        "layout": export.details.get("layout"), "sheet": export.sheet, "rows": n, "kept": len(kept),
        "personal_columns_dropped": ", ".join(export.personal_columns),
    }])
    return Survey(responses=responses, respondents=respondents, dropped=dropped, comments=comments,
                  not_applicable=not_applicable, codebook=cb, sources=sources)


def combine(surveys: list[Survey]) -> Survey:
    """Stack surveys of several periods (same codebook) into one :class:`Survey`.

    Categorical columns are unioned, so groups present in one period only are
    kept; periods must be distinct.
    """
    if not surveys:
        raise PartnerDataError("no surveys to combine")
    periods = [p for s in surveys for p in s.periods]
    if len(periods) != len(set(periods)):
        raise PartnerDataError(f"the same period appears in more than one export: {periods}")
    cb = surveys[0].codebook

    def stack(name):
        frames = [getattr(s, name) for s in surveys]
        out = pd.concat(frames, ignore_index=True)
        for col in frames[0].columns:
            if isinstance(frames[0][col].dtype, pd.CategoricalDtype):
                cats = list(dict.fromkeys(c for f in frames for c in f[col].cat.categories))
                if col in {"principle", "item", "measure"}:
                    cats = list(frames[0][col].cat.categories)
                elif col == "period":
                    cats = sorted(cats)
                out[col] = pd.Categorical(out[col].astype("object"), categories=cats)
        return out

    responses = stack("responses")
    responses.attrs["scale"] = cb.scale
    return Survey(responses=responses, respondents=stack("respondents"), dropped=stack("dropped"),
                  comments=stack("comments"), not_applicable=stack("not_applicable"), codebook=cb,
                  sources=pd.concat([s.sources for s in surveys], ignore_index=True))


def read_surveys(paths: Mapping[str, "str | Path"], codebook, *, format: str | None = None) -> Survey:
    """Read one export per period and combine them.

    Parameters
    ----------
    paths : mapping
        ``{period: export path}``, e.g. ``{"2025": "survey_2025.csv", "2026": ...}``.
    codebook : path, dict or Codebook
        One codebook for every period.
    """
    cb = load_codebook(codebook)
    return combine([read_survey(p, cb, period=str(period), format=format) for period, p in paths.items()])


def select_period(frame: pd.DataFrame, period) -> pd.DataFrame:
    """Rows of ``frame`` for one period (``attrs`` such as the scale are kept).

    Raises
    ------
    PartnerDataError
        If the period is not present, naming the periods that are.
    """
    period = str(period)
    present = frame["period"].astype("str")
    if not (present == period).any():
        raise PartnerDataError(f"period {period!r} is not in the data; periods present: "
                               f"{sorted(present.unique().tolist())}")
    out = frame[present == period].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def respondent_counts(respondents: pd.DataFrame, by=("partner", "role"), *, min_n: int | None = None
                      ) -> pd.DataFrame:
    """Number of kept respondents per group of ``by`` (column ``respondents``).

    With ``min_n``, a boolean column ``below_min_n`` marks the groups smaller
    than the anonymity minimum (their figures will be suppressed in reports).
    """
    counts = respondents.groupby(list(by), observed=True).size().rename("respondents").reset_index()
    if min_n is not None:
        counts["below_min_n"] = counts["respondents"] < min_n
    return counts


def drop_summary(dropped: pd.DataFrame, periods=None) -> pd.DataFrame:
    """How many responses each exclusion rule dropped, and which rows.

    Parameters
    ----------
    dropped : DataFrame
        ``Survey.dropped``.
    periods : list of str, optional
        The periods to list (e.g. ``Survey.periods``), so that a period with
        nothing dropped still shows its zeros; default: those in ``dropped``.

    Returns
    -------
    DataFrame
        One row per period and reason (every reason listed, zero included):
        ``period, reason, responses`` (the number of rows dropped) and
        ``source_rows`` (their 1-based data-row numbers, comma-joined).
    """
    if periods is None:
        periods = sorted(dropped["period"].astype("str").unique().tolist())
    periods = [str(p) for p in periods]
    rows = []
    for period in periods:
        mine = dropped[dropped["period"].astype("str") == period]
        for reason in DROP_REASONS:
            hit = mine.loc[mine["reason"].astype("str") == reason, "source_row"]
            rows.append((period, reason, len(hit), ", ".join(str(int(r)) for r in hit)))
    return pd.DataFrame(rows, columns=["period", "reason", "responses", "source_rows"])

