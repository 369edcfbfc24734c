"""Start a codebook from an export: ``partnerlib codebook init EXPORT``.

:func:`draft_codebook` reads an export (any registered format; personal data
is dropped as always) and returns a codebook as a dict that lists every
column with its question text and the distinct answers seen, so that a
consultant only fills in the principles (and says which column holds the
organisation and the role).  Answers that are one of the usual agreement or
importance labels are put into ``scale.labels`` and the usual "don't know"
answers into ``scale.not_applicable``; anything else is listed, not guessed.
A respondent's own words never reach the draft: an answer is listed only
when it is a number, a known label, a numbered label (``4 - Agree``) or a
scale-like answer (one line of at most :data:`MAX_ANSWER_LENGTH` characters)
given by at least the anonymity minimum of respondents
(:attr:`partnerlib.settings.Method.min_n`); every other answer is counted, not
listed.  A column with more than :data:`MAX_LISTED` listable answers is
summarised.  The response-id column is pre-filled for every platform
(:data:`partnerlib.io.readers._base.RESPONSE_ID_COLUMNS`).
:func:`write_codebook_draft` writes it as YAML, atomically, and never over the
export or an existing file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from ..exceptions import PartnerDataError
from ..settings import METHOD
from .atomic import atomic_write_text
from .codebook import normalise_label
from .readers import RawExport, read_export
from .readers._base import response_id_column

#: Columns with more distinct listable answers than this are summarised, not listed.
MAX_LISTED = 12
#: Answers longer than this (characters) are free text: counted, not copied into the codebook.
MAX_ANSWER_LENGTH = 80
#: A numbered scale label, as Qualtrics and others write them: ``4 - Agree``, ``1 = Never``.
_NUMBERED = re.compile(r"^\d+(\.\d+)?\s*[-=:.)]\s*\S")

#: Labels recognised as scale points (compared with :func:`partnerlib.codebook.normalise_label`).
KNOWN_LABELS = {
    "Strongly disagree": 1,
    "Disagree": 2,
    "Neither agree nor disagree": 3,
    "Neutral": 3,
    "Agree": 4,
    "Strongly agree": 5,
    "Somewhat disagree": 2,
    "Somewhat agree": 4,
    "Not at all important": 1,
    "Slightly important": 2,
    "Moderately important": 3,
    "Very important": 4,
    "Extremely important": 5,
}
KNOWN_NOT_APPLICABLE = ["Don't know", "N/A", "Not applicable", "Unfamiliar (N/A)", "Prefer not to say", "Can't say"]

#: Platform bookkeeping columns: listed apart, never as questions.
METADATA = {
    "startdate",
    "enddate",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "responseset",
    "distributionchannel",
    "userlanguage",
    "respondent id",
    "respondentid",
    "collector id",
    "collectorid",
    "start date",
    "end date",
    "timestamp",
    "id",
    "start time",
    "completion time",
    "last modified time",
    "custom data 1",
    "score",
    "total points",
}

_HEADER = """\
# Starting codebook written by `partnerlib codebook init` from {path}
# (format: {format}, {rows} responses; personal-data columns dropped: {personal}).
# To finish it:
#   1. set `period`, and `respondent.partner` (and `role`) to the columns holding the organisation and role
#      (or {{value: Name}} for an export from one organisation);
#   2. check `scale`: every answer listed under `questions` must be a label, a number on the scale or a
#      not-applicable answer; add the labels that are missing;
#   3. fill in `principles` from the columns listed under `questions`, e.g.
#        Trust:
#          - {{item: trust_1, current: Q5_1, importance: Q6_1}}
#   4. list free-text columns under `comments`.
# `questions` and `metadata` are for reference only; read_survey ignores them.
"""


def _listable(answer: str, count: int, known: set[str]) -> bool:
    """True for an answer the draft may show: a number, a known or numbered label, or a one-line answer of at most
    :data:`MAX_ANSWER_LENGTH` characters given by at least the anonymity minimum of respondents."""
    key = normalise_label(answer)
    if key in known or _NUMBERED.match(answer):
        return True
    try:
        float(answer)
        return True
    except ValueError:
        pass
    return count >= METHOD.min_n and len(answer) <= MAX_ANSWER_LENGTH and "\n" not in answer


def _answers(column: pd.Series, known: set[str]):
    text = column.dropna().astype("str").str.strip()
    counts = text[text != ""].value_counts(sort=True)
    shown = pd.Series([_listable(str(k), int(v), known) for k, v in counts.items()], index=counts.index, dtype=bool)
    if int(shown.sum()) > MAX_LISTED:
        return f"{len(counts)} distinct answers (free text or many values; not listed)"
    listed = {str(k): int(v) for k, v in counts[shown].items()}
    if not shown.all():
        hidden = counts[~shown]
        listed[f"({len(hidden)} other answers, free text or rare: not listed)"] = int(hidden.sum())
    return listed


def draft_codebook(export: RawExport) -> dict:
    """Return a starting codebook for ``export`` as a dict (see the module docstring).

    Parameters
    ----------
    export : RawExport
        An export read by :func:`partnerlib.io.readers.read_export`.

    Returns
    -------
    dict
        Keys ``period, scale, respondent, principles, comments, exclude,
        questions`` (column -> ``{text, answers}``, where ``answers`` maps each
        distinct answer to the number of responses giving it) and ``metadata``
        (the platform's bookkeeping columns).
    """
    questions, metadata = {}, []
    seen: dict[str, str] = {}
    vocabulary = {normalise_label(k) for k in [*KNOWN_LABELS, *KNOWN_NOT_APPLICABLE]}
    for col in export.data.columns:
        if col in export.bookkeeping or col.casefold() in METADATA or col.endswith("_DO"):
            metadata.append(col)
            continue
        answers = _answers(export.data[col], vocabulary)
        entry = {"text": export.questions.get(col, col)}
        entry["answers"] = answers
        questions[col] = entry
        if isinstance(answers, dict):
            for a in answers:
                seen.setdefault(normalise_label(a), a)
    known = {normalise_label(k): (k, v) for k, v in KNOWN_LABELS.items()}
    labels = {seen[key]: known[key][1] for key in seen if key in known}
    na_known = {normalise_label(v) for v in KNOWN_NOT_APPLICABLE}
    not_applicable = [seen[key] for key in seen if key in na_known]
    respondent = {"id": response_id_column(export.data.columns), "partner": None, "role": None}
    return {
        "period": None,
        "scale": {"min": 1, "max": 5, "labels": labels, "not_applicable": not_applicable},
        "respondent": respondent,
        "principles": {},
        "comments": [],
        "exclude": {"previews": True, "incomplete": True},
        "questions": questions,
        "metadata": metadata,
    }


def codebook_yaml(export: RawExport) -> str:
    """The starting codebook of ``export`` as YAML text, with the instructions as comments."""
    head = _HEADER.format(
        path=f"'{export.path.name}'",
        format=export.format,
        rows=len(export.data),
        personal=", ".join(export.personal_columns) or "none",
    )
    body = yaml.safe_dump(draft_codebook(export), sort_keys=False, allow_unicode=True, width=110)
    return head + body


def default_output(export_path) -> Path:
    """Where ``codebook init`` writes without ``--out``: ``<export stem>.codebook.yml`` in the working folder."""
    return Path.cwd() / f"{Path(export_path).stem}.codebook.yml"


def write_codebook_draft(export_path, out=None, *, format: str | None = None, overwrite: bool = False) -> Path:
    """Read ``export_path`` and write its starting codebook to ``out``.

    Parameters
    ----------
    export_path : path-like
        The export (only read).
    out : path-like, optional
        The YAML file to write (default :func:`default_output`).
    format : str, optional
        Force a reader instead of detecting the format.
    overwrite : bool
        Replace an existing ``out`` (never the export itself).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    PartnerDataError
        If ``out`` is the export itself, or exists and ``overwrite`` is False,
        or the export cannot be read.
    """
    export_path = Path(export_path)
    out = default_output(export_path) if out is None else Path(out)
    if out.exists() and export_path.exists() and out.resolve() == export_path.resolve():
        raise PartnerDataError(
            "is the export itself; an export is only read, never written. Give another --out file", path=out
        )
    if out.exists() and not overwrite:
        raise PartnerDataError("already exists; give another --out file or --force to replace it", path=out)
    text = codebook_yaml(read_export(export_path, format=format))
    return atomic_write_text(out, text)
