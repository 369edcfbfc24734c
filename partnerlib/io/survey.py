"""From a survey export and a codebook to tidy tables: :func:`read_survey`.

The reader for the export's platform (see :mod:`partnerlib.io.readers`) has
already dropped personal data and translated the platform's bookkeeping.
This module applies the codebook in named steps: it excludes previews, test
and unfinished responses, duplicates and empty responses (logging each in
``Survey.dropped``), turns answers into scale points (reverse keying where
the codebook says so), and builds the tidy ``responses`` table.  Nothing is
guessed: an answer the codebook does not cover is an error naming the file,
row, column and value.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import CodebookError, PartnerDataError
from ..schemas import validate_responses
from ..vocabulary import DROP_REASONS, MEASURES, NOT_STATED, QUALITY_WARNINGS
from .codebook import Codebook, GroupSpec, load_codebook, normalise_label
from .privacy import is_personal, mask_contact_details, pseudonymise
from .readers import RawExport, read_export
from .readers._base import response_id_column
from .tables import odd_characters

__all__ = ["Survey", "combine", "drop_summary", "quality_summary", "read_survey", "read_surveys", "respondent_counts",
           "select_period"]  # fmt: skip


@dataclass
class Survey:
    """One or more periods of a partnership survey, as tidy tables.

    Attributes
    ----------
    responses : DataFrame
        One row per respondent x statement x measure with a score:
        ``respondent, partner, role, period, principle, item, measure, score``
        and one column per codebook attribute.
    respondents : DataFrame
        One row per kept respondent: ``respondent, partner, role, period``,
        attributes, ``outcome`` (the score of the codebook's outcome statement, where it has one),
        ``answered`` (number of scored answers).
    dropped : DataFrame
        One row per excluded response: ``period, row, reason, detail`` (``row``
        as a spreadsheet program shows the export; ``detail`` says which rule
        made a duplicate, e.g. ``same e-mail as row 7``).  See docs/formats.md.
    comments : DataFrame
        Free-text answers: ``respondent, partner, role, period, question, text``.
    not_applicable : DataFrame
        One row per "not applicable" answer (same key columns as ``responses``,
        no score), so charts can show them apart.
    codebook : Codebook
    sources : DataFrame
        One row per export read: ``period, path, format, layout, sheet, rows,
        kept, personal_columns_dropped, personal_columns_why``.
    warnings : DataFrame
        The data-quality log of kept responses: ``period, row, warning, detail``
        (``identical answers``, ``straight-lining``; see docs/formats.md).
    """

    responses: pd.DataFrame
    respondents: pd.DataFrame
    dropped: pd.DataFrame
    comments: pd.DataFrame
    not_applicable: pd.DataFrame
    codebook: Codebook
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def scale(self) -> tuple[float, float]:
        """Scale bounds ``(min, max)`` from the codebook: pass it as ``scale=`` to the analysis functions."""
        return self.codebook.scale

    @property
    def periods(self) -> list[str]:
        """The periods present, in chronological (sorted) order."""
        return sorted(self.respondents["period"].astype(str).unique().tolist())


@dataclass
class _Scored:
    """The kept responses of one export after scoring: their needed columns, rows and scores."""

    kept: pd.DataFrame  # the kept rows' id, group and comment columns
    rows: np.ndarray  # their rows in the file
    scores: np.ndarray  # kept x statement-columns, NaN where blank or not applicable
    not_app: np.ndarray  # kept x statement-columns, True where not applicable
    meta: list  # (principle, item, measure, column, reverse) of each statement column


# --------------------------------------------------------------------------------------------- steps


def _check_columns(export: RawExport, cb: Codebook) -> None:
    """Every column the codebook names is in the export (else an error listing near matches)."""
    available = list(export.data.columns)
    missing = [c for c in cb.question_columns() if c not in export.data.columns]
    if not missing:
        return
    lines = []
    for col in missing:
        if is_personal(col):
            lines.append(
                f"column '{col}' is personal data and is dropped when the file is read; leave it out of the codebook"
            )
            continue
        near = difflib.get_close_matches(col, available, n=3, cutoff=0.6)
        hint = f" (near matches: {near})" if near else ""
        lines.append(f"column '{col}' is not in the export{hint}")
    shown = available[:40]
    raise CodebookError(
        f"the codebook {cb.source} names columns the export lacks: "
        + "; ".join(lines)
        + f". Columns found: {shown}"
        + (" ..." if len(available) > 40 else ""),
        path=export.path,
    )


def _factorize(data: pd.DataFrame, column: str, cache: dict) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize`` of one export column (codes -1 for blanks), computed once per column."""
    if column not in cache:
        cache[column] = pd.factorize(data[column], use_na_sentinel=True)
    return cache[column]


#: The fewest scored answers a response needs before identical answers or straight-lining are worth a warning.
QUALITY_MIN_ANSWERS = 3


def _keeper(rows: np.ndarray, finished: np.ndarray, answered: np.ndarray) -> int:
    """The submission kept of one respondent's several: the last finished one with an answer, else the last finished
    one, else the last."""
    for pick in (finished[rows] & answered[rows], finished[rows]):
        if pick.any():
            return int(rows[np.flatnonzero(pick)[-1]])
    return int(rows[-1])


def _identity_keys(export: RawExport, cb: Codebook) -> list[tuple[str, pd.Series]]:
    """The identities that make two submissions one respondent's: the response id, then each identity field."""
    keys = []
    id_col = cb.respondent_id or response_id_column(export.bookkeeping)
    if id_col and id_col in export.data.columns:
        keys.append(("response id", export.data[id_col].reset_index(drop=True)))
    for kind in export.identities.columns:
        keys.append((kind, export.identities[kind].reset_index(drop=True)))
    return keys


def _duplicates(export: RawExport, cb: Codebook, reason: np.ndarray, answered: np.ndarray, detail: np.ndarray):
    """Mark ``duplicate`` every submission of a respondent identity but one (see :func:`_keeper`), naming the rule.

    Previews and test responses are not submissions of anyone.  An unfinished submission counts when the kept one
    is chosen (the respondent may have started twice), but one already excluded as ``incomplete`` keeps that
    reason: the rules apply in the order of :data:`DROP_REASONS`.
    """
    finished = export.meta["finished"].to_numpy()
    rows_in_file = export.meta["row"].to_numpy()
    for kind, key in _identity_keys(export, cb):
        alive = ~np.isin(reason, ["preview", "test", "duplicate"]) & key.notna().to_numpy()
        codes, _ = pd.factorize(key.where(alive))
        repeated = pd.Series(codes[codes >= 0]).value_counts()
        for code in repeated.index[repeated.to_numpy() > 1]:
            rows = np.flatnonzero(codes == code)
            kept = _keeper(rows, finished, answered)
            for r in rows[(rows != kept) & (reason[rows] == None)]:  # noqa: E711
                reason[r], detail[r] = "duplicate", f"same {kind} as row {int(rows_in_file[kept])}"


def _answered(export: RawExport, cb: Codebook, factors: dict) -> np.ndarray:
    """True for each response with at least one scored answer (an answer the codebook does not cover counts:
    it is an error when the response is kept)."""
    out = np.zeros(len(export.data), bool)
    for st in cb.statements:
        for column in st.columns().values():
            codes, uniques = _factorize(export.data, column, factors)
            value = [_answer_value(u, cb) for u in uniques]
            scored = np.array([v is None or not np.isnan(v[0]) for v in value] + [False], bool)
            out |= scored[np.where(codes < 0, len(uniques), codes)]
    return out


def _exclusions(export: RawExport, cb: Codebook, factors: dict) -> tuple[np.ndarray, np.ndarray]:
    """The drop reason of each response (``None`` = kept) and what it rests on, in the order of
    :data:`DROP_REASONS`; ``empty`` (no scored answer) wins over every other reason."""
    data, meta = export.data, export.meta
    reason = np.full(len(data), None, dtype=object)
    detail = np.full(len(data), "", dtype=object)
    if cb.exclude_previews:
        reason[meta["preview"].to_numpy()] = "preview"
        reason[(reason == None) & meta["test"].to_numpy()] = "test"  # noqa: E711
    if cb.exclude_incomplete:
        reason[(reason == None) & ~meta["finished"].to_numpy()] = "incomplete"  # noqa: E711
    answered = _answered(export, cb, factors)
    _duplicates(export, cb, reason, answered, detail)
    reason[~answered], detail[~answered] = "empty", ""
    return reason, detail


def _to_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _answer_value(raw, cb: Codebook) -> tuple[float, bool] | None:
    """One distinct answer as ``(score, not_applicable)``; ``None`` when the codebook does not cover it."""
    key = normalise_label(raw)
    if key == "":
        return np.nan, False
    if key in cb.not_applicable:
        return np.nan, True
    if key in cb.labels:
        return cb.labels[key], False
    number = _to_float(key)
    if number is not None and cb.scale_min <= number <= cb.scale_max:
        return number, False
    return None


def _score_column(codes: np.ndarray, uniques, column: str, cb: Codebook, export: RawExport, rows: np.ndarray):
    """Scores (float, NaN for blank or not applicable) and a not-applicable mask for one column.

    ``codes``/``uniques`` are the column's factorization restricted to the kept
    rows; only answers present in those rows are checked against the codebook.
    """
    mapped = np.full(len(uniques), np.nan)
    na_flag = np.zeros(len(uniques), bool)
    present = np.zeros(len(uniques), bool)
    present[codes[codes >= 0]] = True
    for k in np.flatnonzero(present):
        value = _answer_value(uniques[k], cb)
        if value is None:
            first = int(np.flatnonzero(codes == k)[0])
            expected = f"a label of the codebook's scale {sorted(cb.labels)}" if cb.labels else "a number"
            raise PartnerDataError(
                f"not a scale answer. Expected {expected} or a number from {cb.scale_min:g} to {cb.scale_max:g}, "
                f"or a not-applicable answer {sorted(cb.not_applicable)}. Check for spelling or a label missing "
                "from the codebook; the value is never treated as missing.",
                path=export.path,
                sheet=export.sheet,
                row=int(rows[first]),
                column=column,
                value=str(uniques[k]),
            )
        mapped[k], na_flag[k] = value
    valid = codes >= 0
    safe = np.maximum(codes, 0)
    return np.where(valid, mapped[safe] if len(uniques) else np.nan, np.nan), np.where(
        valid, na_flag[safe] if len(uniques) else False, False
    )


def _score(export: RawExport, cb: Codebook, reason: np.ndarray, factors: dict) -> _Scored:
    """Score every rated column of the responses still kept (reverse keying on *current* only)."""
    keep = reason == None  # noqa: E711
    needed = [
        c
        for c in [
            cb.respondent_id,
            cb.partner.column,
            cb.role.column if cb.role else None,
            *cb.attributes,
            *cb.comments,
            cb.outcome.current if cb.outcome else None,
        ]
        if c
    ]
    kept = export.data.loc[keep, list(dict.fromkeys(needed))].reset_index(drop=True)
    rows = export.meta["row"].to_numpy()[keep]
    meta = [(st.principle, st.item, m, col, st.reverse) for st in cb.statements for m, col in st.columns().items()]
    scores = np.empty((len(kept), len(meta)))
    not_app = np.empty((len(kept), len(meta)), bool)
    for j, (_, _, measure, column, reverse) in enumerate(meta):
        codes, uniques = _factorize(export.data, column, factors)
        s, na = _score_column(codes[keep], uniques, column, cb, export, rows)
        # How much a statement matters is never reversed: only the "current" rating of a reverse-worded statement.
        scores[:, j] = (cb.scale_min + cb.scale_max - s) if reverse and measure == "current" else s
        not_app[:, j] = na
    return _Scored(kept, rows, scores, not_app, meta)


def _identical(scored: _Scored, many: np.ndarray) -> list[tuple[int, str, str]]:
    """Kept responses (of those marked ``many``) whose every answer equals another kept response's."""
    values = np.where(np.isnan(scored.scores), -np.inf, scored.scores)[many]
    if values.size == 0:
        return []
    # Hash each row (each column's values hashed, then combined row by row), then compare only rows whose hash
    # repeats, value by value: a collision never joins two rows.
    hashed = np.zeros(len(values), np.uint64)
    with np.errstate(over="ignore"):
        for j in range(values.shape[1]):
            hashed = hashed * np.uint64(1_000_003) ^ pd.util.hash_array(np.ascontiguousarray(values[:, j]))
    suspects = pd.Series(hashed).duplicated(keep=False).to_numpy()
    pattern = pd.DataFrame(values[suspects])  # only the rows whose hash repeats (a handful): never a copy of all
    rows_of = scored.rows[np.flatnonzero(many)[suspects]]
    found = []
    for members in pattern.groupby(list(pattern.columns), sort=False).indices.values():
        if len(members) > 1:
            rows = rows_of[members]
            shown = ", ".join(str(int(r)) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
            found += [(int(r), "identical answers", f"{len(rows)} responses give these answers (rows {shown})")
                      for r in rows]  # fmt: skip
    return found


def _warnings(scored: _Scored, period: str) -> pd.DataFrame:
    """The data-quality warnings about kept responses (:data:`QUALITY_WARNINGS`): answers identical to another
    kept response's, and the same answer to every statement (straight-lining), for responses with at least
    :data:`QUALITY_MIN_ANSWERS` scored answers.  Nobody is dropped for either."""
    answers = scored.scores
    counts = (~np.isnan(answers)).sum(axis=1)
    many = counts >= QUALITY_MIN_ANSWERS
    found = _identical(scored, many)
    with np.errstate(invalid="ignore"):
        high = np.nanmax(np.where(many[:, None], answers, 0), axis=1, initial=-np.inf)
        low = np.nanmin(np.where(many[:, None], answers, 0), axis=1, initial=np.inf)
    for i in np.flatnonzero(many & (high == low)):
        found.append((int(scored.rows[i]), "straight-lining", f"{high[i]:g} to all {int(counts[i])} statements"))
    found.sort()
    return pd.DataFrame(
        {
            "period": pd.Series([period] * len(found), dtype="str"),
            "row": np.array([f[0] for f in found], dtype="int64"),
            "warning": pd.Categorical([f[1] for f in found], categories=list(QUALITY_WARNINGS)),
            "detail": pd.Series([f[2] for f in found], dtype="str"),
        }
    )


#: Put before an export's bytes to make its pseudonym key: a digest that differs from the export's plain SHA-256,
#: which a render record publishes (``render.json``), so the report folder never holds the key.
PSEUDONYM_DOMAIN = b"partnerlib pseudonym key\0"


def _file_key(path: Path, cb: Codebook) -> bytes:
    """The key of a file's pseudonyms: the codebook's ``salt`` (hashed), else a domain-separated digest of the
    export (:data:`PSEUDONYM_DOMAIN`): only someone holding the export itself can compute it."""
    if cb.salt:
        return hashlib.sha256(cb.salt.encode("utf-8")).digest()
    h = hashlib.sha256(PSEUDONYM_DOMAIN)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.digest()


def _pseudonyms(export: RawExport, cb: Codebook, scored: _Scored) -> pd.Series:
    """The keyed hash of each kept respondent's id (or of its row number where the codebook names no id)."""
    id_col = cb.respondent_id
    ids = scored.kept[id_col] if id_col else pd.Series(scored.rows.astype(str))
    if id_col and ids.isna().any():
        first = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise PartnerDataError(
            "blank respondent id; expected a unique id per response",
            path=export.path,
            sheet=export.sheet,
            row=int(scored.rows[first]),
            column=id_col,
        )
    pseudo = pseudonymise(ids.astype("str"), _file_key(export.path, cb))
    if pseudo.duplicated().any():
        dupe = ids[pseudo.duplicated(keep=False)].astype(str).unique().tolist()[:5]
        raise PartnerDataError(
            f"respondent ids are not unique among kept responses ({dupe}); expected one row per respondent",
            path=export.path,
            column=id_col,
        )
    return pseudo


def _spellings_clash(export: RawExport, spec: GroupSpec, name: str, cats: list[str]) -> None:
    """Refuse a group written in more than one way ("Contoso", "contoso") instead of making two groups of it."""
    spellings: dict[str, list[str]] = {}
    for c in cats:
        spellings.setdefault(normalise_label(c), []).append(c)
    clash = next((v for v in spellings.values() if len(v) > 1), None)
    if clash:
        raise PartnerDataError(
            f"the {name} is written in more than one way {clash}; expected one spelling per group. Map the "
            f"spellings in the codebook, e.g. {{column: {spec.column}, values: {{{clash[-1]}: {clash[0]}}}}} (codes "
            "match without case)",
            path=export.path,
            column=spec.column,
        )


def _check_characters(export: RawExport, column: str, name: str, codes, uniques, rows: np.ndarray) -> None:
    """Refuse a group name holding an invisible or look-alike character (:func:`partnerlib.io.tables.odd_characters`),
    which would make a group of its own that reads like another."""
    for k, u in enumerate(uniques):
        odd = odd_characters(str(u))
        if odd:
            raise PartnerDataError(
                f"the {name} holds {odd}; it would make a group of its own that looks like another. Retype the "
                "value in a copy of the export, or map it in the codebook",
                path=export.path,
                sheet=export.sheet,
                row=int(rows[int(np.flatnonzero(codes == k)[0])]),
                column=column,
                value=str(u),
            )


def _group(
    spec: GroupSpec | None, export: RawExport, rows: np.ndarray, name: str, data: pd.DataFrame, required: bool
) -> pd.Categorical[str]:
    """One grouping variable (organisation, role, attribute) of the kept responses, as a categorical."""
    n = len(data)
    if spec is None:
        return pd.Categorical([NOT_STATED] * n)
    if spec.value is not None:
        return pd.Categorical([spec.value] * n)
    # Work on the distinct values only (a handful), then spread the result to every row through the codes.
    codes, uniques = pd.factorize(data[spec.column], use_na_sentinel=True)
    _check_characters(export, str(spec.column), name, codes, uniques, rows)
    clean = [" ".join(str(u).split()) for u in uniques]
    blank = (codes < 0) | np.array([c == "" for c in clean] + [True], bool)[np.where(codes < 0, -1, codes)]
    if required and blank.any():
        first = int(np.flatnonzero(blank)[0])
        raise PartnerDataError(
            f"blank {name}; every kept response needs the respondent's {name}. Fill it in a "
            "copy of the export, or exclude the response.",
            path=export.path,
            sheet=export.sheet,
            row=int(rows[first]),
            column=spec.column,
        )
    if spec.values is None:
        names_u, cats = clean, sorted({c for c in clean if c})
        _spellings_clash(export, spec, name, cats)
    else:
        keys = [normalise_label(u) for u in uniques]
        for k, key in enumerate(keys):
            if key != "" and key not in spec.values:
                first = int(np.flatnonzero(codes == k)[0])
                raise PartnerDataError(
                    f"not one of the codebook's {name} codes {sorted(spec.values)}",
                    path=export.path,
                    sheet=export.sheet,
                    row=int(rows[first]),
                    column=spec.column,
                    value=str(uniques[k]),
                )
        names_u, cats = [spec.values.get(key, "") for key in keys], list(dict.fromkeys(spec.values.values()))
    if blank.any() and NOT_STATED not in cats:
        cats.append(NOT_STATED)
    position = {c: i for i, c in enumerate(cats)}
    code_u = np.array([position.get(c, position.get(NOT_STATED, -1)) for c in names_u] or [0], dtype=np.int64)
    out = np.where(blank, position.get(NOT_STATED, -1), code_u[np.maximum(codes, 0)])
    return pd.Categorical.from_codes(out.astype(np.int64), categories=pd.Index(cats))


def _respondents(export: RawExport, cb: Codebook, scored: _Scored, period: str) -> pd.DataFrame:
    """One row per kept respondent: pseudonym, organisation, role, period, attributes, answers scored."""
    kept, rows = scored.kept, scored.rows
    attrs = {a: _group(GroupSpec(column=a), export, rows, a, kept, required=False) for a in cb.attributes}
    return pd.DataFrame(
        {
            "respondent": pd.Categorical(_pseudonyms(export, cb, scored)),
            "partner": _group(cb.partner, export, rows, "organisation (partner)", kept, required=True),
            "role": _group(cb.role, export, rows, "role", kept, required=False),
            "period": pd.Categorical([period] * len(kept)),
            **attrs,
            **_outcome(export, cb, scored),
            "answered": (~np.isnan(scored.scores)).sum(axis=1).astype("int64"),
        }
    )


def _outcome(export: RawExport, cb: Codebook, scored: _Scored) -> dict:
    """``{"outcome": scores}`` of the codebook's outcome statement (NaN blank or not applicable), or ``{}``."""
    if cb.outcome is None or not cb.outcome.current:
        return {}
    column = cb.outcome.current
    codes, uniques = pd.factorize(scored.kept[column], use_na_sentinel=True)
    score, _ = _score_column(codes, uniques, column, cb, export, scored.rows)
    return {"outcome": (cb.scale_min + cb.scale_max - score) if cb.outcome.reverse else score}


def _long(respondents: pd.DataFrame, scored: _Scored, cb: Codebook, mask: np.ndarray, score: bool) -> pd.DataFrame:
    """The long table of the (respondent, statement column) cells where ``mask`` is True, row by row, with each
    cell's ``score`` where ``score`` is True.

    Built from codes only (7 million cells at the benchmark's scale): a respondent's codes are repeated once per
    cell of its row, a statement column's codes picked by the mask broadcast over all rows.
    """
    meta = scored.meta
    principles = pd.Categorical([m[0] for m in meta], categories=list(cb.principle_order))
    items = pd.Categorical([m[1] for m in meta], categories=list(dict.fromkeys(m[1] for m in meta)))
    measures = pd.Categorical([m[2] for m in meta], categories=list(MEASURES))
    per_row = mask.sum(axis=1)

    def by_row(cat: pd.Categorical) -> pd.Categorical:
        # Codes come from valid categoricals, so from_codes need not re-check them.
        return pd.Categorical.from_codes(np.repeat(np.asarray(cat.codes), per_row), dtype=cat.dtype, validate=False)

    def by_column(cat: pd.Categorical) -> pd.Categorical:
        codes = np.broadcast_to(np.asarray(cat.codes), mask.shape)[mask]
        return pd.Categorical.from_codes(codes, dtype=cat.dtype, validate=False)

    frame = {col: by_row(respondents[col].array) for col in ["respondent", "partner", "role", "period"]}
    frame.update({"principle": by_column(principles), "item": by_column(items), "measure": by_column(measures)})
    if score:
        frame["score"] = scored.scores[mask]
    for a in cb.attributes:
        frame[a] = by_row(respondents[a].array)
    return pd.DataFrame(frame, copy=False)


def _comments(export: RawExport, cb: Codebook, scored: _Scored, respondents: pd.DataFrame, period: str) -> pd.DataFrame:
    """The kept respondents' free-text answers: ``respondent, partner, role, period, question, text``, with
    e-mail addresses and phone numbers masked (:func:`partnerlib.io.privacy.mask_contact_details`)."""
    partner, role = respondents["partner"].array, respondents["role"].array
    pseudo = respondents["respondent"].astype("str").to_numpy()
    parts = []
    for col in cb.comments:
        text = mask_contact_details(scored.kept[col].astype("str").str.strip())
        idx = np.flatnonzero((scored.kept[col].notna() & (text != "")).to_numpy())
        parts.append(
            pd.DataFrame(
                {
                    "respondent": pd.Series(pseudo[idx], dtype="str"),
                    "partner": pd.Categorical.from_codes(partner.codes[idx], categories=partner.categories),
                    "role": pd.Categorical.from_codes(role.codes[idx], categories=role.categories),
                    "period": pd.Series([period] * len(idx), dtype="str"),
                    "question": pd.Series([export.questions.get(col) or col] * len(idx), dtype="str"),
                    "text": pd.Series(text.to_numpy()[idx], dtype="str"),
                }
            )
        )
    if parts:
        return pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {
            "respondent": pd.Series([], dtype="str"),
            "partner": pd.Categorical([], categories=partner.categories),
            "role": pd.Categorical([], categories=role.categories),
            "period": pd.Series([], dtype="str"),
            "question": pd.Series([], dtype="str"),
            "text": pd.Series([], dtype="str"),
        }
    )


def _dropped(export: RawExport, reason: np.ndarray, detail: np.ndarray, period: str) -> pd.DataFrame:
    mask = reason != None  # noqa: E711
    return pd.DataFrame(
        {
            "period": pd.Series([period] * int(mask.sum()), dtype="str"),
            "row": export.meta["row"].to_numpy()[mask].astype("int64"),
            "reason": pd.Categorical(reason[mask].tolist(), categories=list(DROP_REASONS)),
            "detail": pd.Series(detail[mask].tolist(), dtype="str"),
        }
    )


def _period(path, cb: Codebook, period) -> str:
    period = period if period is not None else cb.period
    if period is None or str(period).strip() == "":
        raise PartnerDataError(
            f"no period given; pass period=... or set 'period' in the codebook {cb.source}", path=path
        )
    return str(period)


# --------------------------------------------------------------------------------------------- reading


def read_survey(path, codebook, *, period=None, format: str | None = None, sheet: str | None = None) -> Survey:
    """Read one survey export into tidy tables.

    Parameters
    ----------
    path : path-like
        The export (any format of :mod:`partnerlib.io.readers`; CSV or XLSX).  Only read, never modified.
    codebook : path, dict or Codebook
        See :mod:`partnerlib.io.codebook`.
    period : str, optional
        The period the survey belongs to; overrides the codebook's ``period``.
    format : str, optional
        Force a reader instead of detecting the format.
    sheet : str, optional
        The worksheet of a workbook; overrides the codebook's ``sheet`` (default: the first sheet that holds an
        export).

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
    period = _period(path, cb, period)
    export = read_export(path, format=format, sheet=sheet if sheet is not None else cb.sheet)
    _check_columns(export, cb)
    factors: dict = {}
    reason, detail = _exclusions(export, cb, factors)
    scored = _score(export, cb, reason, factors)
    respondents = _respondents(export, cb, scored, period)
    responses = _long(respondents, scored, cb, ~np.isnan(scored.scores), score=True)
    responses = validate_responses(responses, attributes=cb.attributes, path=export.path)
    not_applicable = _long(respondents, scored, cb, scored.not_app, score=False)
    sources = pd.DataFrame(
        [
            {
                "period": period,
                "path": str(export.path),
                "format": export.format,
                "layout": export.details.get("layout"),
                "sheet": export.sheet,
                "rows": len(export.data),
                "kept": len(respondents),
                "personal_columns_dropped": ", ".join(export.personal_columns),
                "personal_columns_why": "; ".join(f"{c}: {w}" for c, w in export.personal_why.items()),
            }
        ]
    )
    return Survey(
        responses=responses,
        respondents=respondents,
        dropped=_dropped(export, reason, detail, period),
        warnings=_warnings(scored, period),
        comments=_comments(export, cb, scored, respondents, period),
        not_applicable=not_applicable,
        codebook=cb,
        sources=sources,
    )


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tables of several periods, unioning the categories of their categorical columns."""
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
    tables = {
        name: _stack([getattr(s, name) for s in surveys])
        for name in ("responses", "respondents", "dropped", "comments", "not_applicable", "warnings")
    }
    return Survey(
        **tables, codebook=surveys[0].codebook, sources=pd.concat([s.sources for s in surveys], ignore_index=True)
    )


def read_surveys(paths: Mapping[str, str | Path], codebook, *, format: str | None = None) -> Survey:
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
    """Rows of ``frame`` for one period.

    Raises
    ------
    PartnerDataError
        If the period is not present, naming the periods that are.
    """
    period = str(period)
    present = frame["period"].astype("str")
    if not (present == period).any():
        raise PartnerDataError(
            f"period {period!r} is not in the data; periods present: {sorted(present.unique().tolist())}"
        )
    return frame[present == period].reset_index(drop=True)


def respondent_counts(respondents: pd.DataFrame, by=("partner", "role"), *, min_n: int | None = None) -> pd.DataFrame:
    """Number of kept respondents per group of ``by`` (column ``respondents``).

    With ``min_n``, a boolean column ``below_min_n`` marks the groups smaller
    than the anonymity minimum (their figures will be suppressed in reports).
    """
    counts = respondents.groupby(list(by), observed=True).size().rename("respondents").reset_index()
    if min_n is not None:
        counts["below_min_n"] = counts["respondents"] < min_n
    return counts


def _per_period(frame: pd.DataFrame, column: str, kinds, periods, count: str) -> pd.DataFrame:
    """One row per period and kind of ``column`` (zeros included): how many rows, and which."""
    if periods is None:
        periods = sorted(frame["period"].astype("str").unique().tolist())
    out = []
    for period in [str(p) for p in periods]:
        mine = frame[frame["period"].astype("str") == period]
        for kind in kinds:
            hit = mine.loc[mine[column].astype("str") == kind, "row"]
            out.append((period, kind, len(hit), ", ".join(str(int(r)) for r in hit)))
    return pd.DataFrame(out, columns=["period", column, count, "rows"])


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
        ``rows`` (their rows in the export, comma-joined).
    """
    return _per_period(dropped, "reason", DROP_REASONS, periods, "responses")


def quality_summary(warnings: pd.DataFrame, periods=None) -> pd.DataFrame:
    """How many kept responses each data-quality warning concerns, and which rows.

    Parameters
    ----------
    warnings : DataFrame
        ``Survey.warnings``.
    periods : list of str, optional
        As for :func:`drop_summary`.

    Returns
    -------
    DataFrame
        One row per period and warning of :data:`partnerlib.vocabulary.QUALITY_WARNINGS`:
        ``period, warning, responses, rows``.
    """
    return _per_period(warnings, "warning", QUALITY_WARNINGS, periods, "responses")
