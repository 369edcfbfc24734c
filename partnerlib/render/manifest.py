"""The review manifest: which reviews to render, with which inputs.

A manifest is a YAML file listing reviews::

    reviews:
      - name: northwind-contoso            # folder name under reports/
        client: Northwind Health & Contoso Logistics
        period: "2026"                     # the period under review
        surveys: {"2025": survey_2025.csv, "2026": survey_2026.csv}
        codebook: codebook.yml
        roster: roster.csv                 # optional
        parameters: {min_n: 5}             # optional notebook parameter overrides
        timeout: 600                       # optional: seconds one cell may run before the review fails
        notebook: my-review.ipynb          # optional: another parameterised notebook
        pulse:                             # optional: pulse check-ins after the annual review
          "2026-Q3": pulse_2026-Q3.csv     #   label -> export (read with the review's codebook), or
          "2026-Q4": {survey: pulse_q4.csv, codebook: pulse_codebook.yml}   # with a codebook of its own

A pulse is rendered by the same batch as the reviews (:class:`Pulse`, notebook ``notebooks/04-pulse.ipynb``) into
``reports/<name>/<label>/``, comparing each pulsed principle with the review's ``period``.

Its layout is the pydantic model :class:`ManifestFile` (published as the JSON
Schema ``schemas/manifest.schema.json``).  Paths are relative to the
manifest's folder.  :func:`load_manifest` checks the manifest itself and
:func:`check_parameters` checks each review against its notebook's
parameters; both run before any kernel starts and report every problem, one
line each.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from ..exceptions import ManifestError, shorten
from ..io.yamlfile import key_path, load_yaml
from ..settings import LIMITS, Method
from .execute import CELL_TIMEOUT_SECONDS

#: Keys of a review entry that name input files (optional unless listed in REQUIRED_FILES).
FILE_KEYS = ("codebook", "roster", "kpis", "objectives", "actions", "norms")
REQUIRED_FILES = ("codebook",)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _folder_safe(what: str, text: str, example: str) -> str:
    """``text`` where it is a folder-safe word (the whole text: a final newline is refused) of at most
    :attr:`~partnerlib.settings.Limits.max_name_chars` characters."""
    if not _NAME.fullmatch(text) or len(text) > LIMITS.max_name_chars:
        raise ValueError(
            f"{what} {shorten(repr(text))} must be a folder-safe word{example} (letters, digits, '-', '_', '.') of at "
            f"most {LIMITS.max_name_chars} characters"
        )
    return text


def _pulse_shape(value):
    return {"survey": value} if isinstance(value, str) else value


class PulseEntry(BaseModel):
    """One pulse check-in of a review: its export, and its codebook where it is not the review's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    survey: str = Field(description="the pulse's survey export")
    codebook: str | None = Field(None, description="the pulse's codebook (default: the review's)")


PulseSpec = Annotated[PulseEntry, BeforeValidator(_pulse_shape, json_schema_input_type=str | PulseEntry)]


class ReviewEntry(BaseModel):
    """One review of a manifest (paths relative to the manifest's folder)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="folder name under reports/ (letters, digits, '-', '_', '.')")
    client: str = Field(description="the client, as shown on the report")
    period: str = Field(description="the period under review; a key of 'surveys'")
    surveys: dict[str, str] = Field(description="period -> survey export")
    codebook: str = Field(description="the codebook YAML of the exports")
    roster: str | None = Field(None, description="invited people per organisation and role")
    kpis: str | None = Field(None, description="the KPI workbook")
    objectives: str | None = Field(None, description="the partners' objectives sheet")
    actions: str | None = Field(None, description="the actions register (the workshop appends to it)")
    norms: str | None = Field(None, description="the portfolio's norms.csv (`partnerlib norms`): ranks among others")
    parameters: dict[str, Any] = Field(default_factory=dict, description="notebook parameter overrides")
    notebook: str | None = Field(None, description="another parameterised notebook to render")
    pulse: dict[str, PulseSpec] = Field(
        default_factory=dict,
        description="pulse check-ins after the review: label (e.g. '2026-Q3') -> export, or {survey, codebook}",
    )
    allow_small_groups: StrictBool = Field(
        False, description="allow an anonymity minimum (min_n) below 5; the report then says so on its first page"
    )
    timeout: int = Field(
        CELL_TIMEOUT_SECONDS,
        ge=1,
        le=24 * 3600,
        strict=True,
        description="seconds one cell of the review may run before the review fails (the batch goes on)",
    )

    @field_validator("name", mode="before")
    @classmethod
    def _folder_safe_name(cls, value):
        return _folder_safe("name", str(value), "")

    @field_validator("client", mode="before")
    @classmethod
    def _client(cls, value):
        if not str(value or "").strip():
            raise ValueError("missing 'client'")
        return str(value)

    @field_validator("period", mode="before")
    @classmethod
    def _folder_safe_period(cls, value):
        text = str(value or "")
        if not text.strip():
            raise ValueError("missing 'period'")
        return _folder_safe("period", text, " such as '2026' or '2026-H1'")

    @field_validator("surveys", mode="before")
    @classmethod
    def _surveys(cls, value):
        if not isinstance(value, dict) or not value:
            raise ValueError("'surveys' must map each period to its export, e.g. {'2026': survey_2026.csv}")
        for period in value:
            _folder_safe("'surveys': period", str(period), " such as '2026'")
        return {str(k): str(v) for k, v in value.items()}

    @field_validator("pulse", mode="before")
    @classmethod
    def _pulse_labels(cls, value):
        if not isinstance(value, dict):
            raise ValueError("'pulse' must map each pulse's label to its export, e.g. {'2026-Q3': pulse.csv}")
        for label in value:
            _folder_safe("'pulse': label", str(label), " such as '2026-Q3'")
        return {str(k): v for k, v in value.items()}

    @model_validator(mode="after")
    def _pulse_not_annual(self):
        clash = sorted(set(self.pulse) & set(self.surveys))
        if clash:
            raise ValueError(
                f"pulse labels {clash} are also periods of 'surveys'; a pulse needs a label of its own (its report "
                "goes to reports/<name>/<label>/), e.g. '2026-Q3'"
            )
        return self


class ManifestFile(BaseModel):
    """The layout of a reviews manifest (``reviews.yml``).

    :func:`load_manifest` checks each entry on its own (so that every problem
    of every review is reported together); this model is the published schema.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, title="partnerlib reviews manifest")

    reviews: list[ReviewEntry] = Field(min_length=1, description="the reviews to render")


@dataclass(frozen=True)
class Review:
    """One review of a manifest, with absolute paths."""

    name: str
    client: str
    period: str
    surveys: dict[str, Path]
    files: dict[str, Path]
    parameters: dict = field(default_factory=dict)
    manifest: Path | None = None
    notebook: Path | None = None
    allow_small_groups: bool = False
    timeout: int = CELL_TIMEOUT_SECONDS
    pulses: dict[str, tuple[Path, Path | None]] = field(default_factory=dict)  # label -> (export, codebook or None)

    #: What the report is, in the page title ``"<client> – review 2026"``.
    kind = "review"

    @property
    def heading(self) -> str:
        """What the report is, as its running header names it: ``"Partnership review 2026"``."""
        return f"Partnership review {self.period}"

    def pulse_checkins(self, notebook) -> list[Pulse]:
        """The review's pulse check-ins, each rendered with ``notebook`` (in label order)."""
        shared = {k: v for k, v in self.parameters.items() if k in PULSE_PARAMETERS}
        return [
            Pulse(name=self.name, client=self.client, period=label, surveys={self.period: self.surveys[self.period]},
                  files={k: self.files[k] for k in ("codebook", "actions") if k in self.files}, parameters=shared,
                  manifest=self.manifest, notebook=Path(notebook), allow_small_groups=self.allow_small_groups,
                  timeout=self.timeout, baseline=self.period, export=export, pulse_codebook=codebook)
            for label, (export, codebook) in sorted(self.pulses.items())
        ]  # fmt: skip

    def input_files(self) -> list[Path]:
        """Every input file of the review: the survey exports, then the other files."""
        return [*self.surveys.values(), *self.files.values()]

    def notebook_parameters(self) -> dict:
        """The papermill parameters of ``notebooks/02-review.ipynb`` for this review."""
        params: dict[str, object] = {
            "review_name": self.name,
            "client": self.client,
            "period": self.period,
            "surveys": {p: str(path) for p, path in self.surveys.items()},
        }
        for key in FILE_KEYS:
            params[key] = str(self.files[key]) if key in self.files else ""
        if self.allow_small_groups:
            params["allow_small_groups"] = True
        params.update(self.parameters)
        return params


#: Parameters of a review's ``parameters`` that its pulse check-ins share (the others are the review notebook's own).
PULSE_PARAMETERS = ("min_n",)


@dataclass(frozen=True)
class Pulse(Review):
    """A pulse check-in of a review: rendered like a review into ``reports/<name>/<label>/`` (``period`` is the
    pulse's label), comparing the pulse's export with the review's annual survey of period ``baseline``."""

    baseline: str = ""
    export: Path | None = None
    pulse_codebook: Path | None = None
    kind = "pulse check-in"

    @property
    def heading(self) -> str:
        """``"Pulse check-in 2026-Q3"``."""
        return f"Pulse check-in {self.period}"

    def input_files(self) -> list[Path]:
        """The annual export of the baseline, the pulse's export, the codebooks and the actions register."""
        own = [p for p in (self.export, self.pulse_codebook) if p is not None]
        return [*self.surveys.values(), *own, *self.files.values()]

    def notebook_parameters(self) -> dict:
        """The papermill parameters of ``notebooks/04-pulse.ipynb`` for this pulse."""
        params: dict[str, object] = {
            "review_name": self.name,
            "client": self.client,
            "period": self.period,
            "baseline": self.baseline,
            "baseline_survey": str(self.surveys[self.baseline]),
            "pulse_survey": str(self.export),
            "codebook": str(self.files["codebook"]),
            "pulse_codebook": str(self.pulse_codebook or ""),
            "actions": str(self.files["actions"]) if "actions" in self.files else "",
        }
        if self.allow_small_groups:
            params["allow_small_groups"] = True
        params.update(self.parameters)
        return params


def _entry_problems(exc: ValidationError) -> list[str]:
    """The problems of one entry in words: unknown keys together, a missing key by name, checks as they say."""
    errors = exc.errors(include_url=False)
    unknown = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"]
    lines = [f"unknown keys {sorted(unknown)}; expected some of {sorted(ReviewEntry.model_fields)}"] if unknown else []
    for e in errors:
        if e["type"] == "extra_forbidden":
            continue
        if e["type"] == "missing":
            lines.append(f"missing '{e['loc'][-1]}'")
        elif e["type"] == "value_error":
            lines.append(e["msg"].removeprefix("Value error, "))
        else:
            lines.append(
                f"{key_path(e['loc'])}: {e['msg'][:1].lower()}{e['msg'][1:]}, got {shorten(repr(e.get('input')))}"
            )
    return lines


def _text(value) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != "" else None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system refuses (too long, a NUL byte), never an error."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _entry_files(raw: dict, base: Path) -> tuple[dict, dict, Path | None, list[str]]:
    """The entry's paths made absolute, and a problem for each file that is not there (checked on the raw
    entry, so that missing files are reported together with the entry's other problems)."""
    problems = []
    given = raw.get("surveys")
    if not isinstance(given, dict):
        given = {}
    surveys = {str(p): (base / str(rel)).resolve() for p, rel in given.items()}
    problems += [
        f"survey export for period {shorten(p)} not found: {shorten(str(f))}"
        for p, f in surveys.items()
        if not _is_file(f)
    ]
    period = str(raw.get("period") or "")
    if given and period and period not in surveys:
        problems.append(
            f"period {shorten(repr(period))} has no survey export; 'surveys' lists {shorten(str(sorted(surveys)))}"
        )
    files = {key: (base / rel).resolve() for key in FILE_KEYS if (rel := _text(raw.get(key)))}
    problems += [f"{key} file not found: {shorten(str(f))}" for key, f in files.items() if not _is_file(f)]
    notebook = (base / rel).resolve() if (rel := _text(raw.get("notebook"))) else None
    if notebook is not None and not _is_file(notebook):
        problems.append(f"notebook not found: {shorten(str(notebook))}")
    elif notebook is not None and notebook.suffix.lower() != ".ipynb":
        problems.append(
            f"notebook {shorten(repr(notebook.name))} is not a Jupyter notebook; expected a parameterised .ipynb file"
        )
    return surveys, files, notebook, problems


def _entry_pulses(raw: dict, base: Path) -> tuple[dict[str, tuple[Path, Path | None]], list[str]]:
    """The entry's pulse check-ins with absolute paths, and a problem for each file that is not there."""
    given = raw.get("pulse")
    pulses: dict[str, tuple[Path, Path | None]] = {}
    problems = []
    for label, spec in given.items() if isinstance(given, dict) else ():
        spec = _pulse_shape(spec)
        survey = _text(spec.get("survey")) if isinstance(spec, dict) else None
        if survey is None:
            continue  # ReviewEntry says what is wrong with it
        codebook = _text(spec.get("codebook"))
        pulses[str(label)] = ((base / survey).resolve(), (base / codebook).resolve() if codebook else None)
        export, own = pulses[str(label)]
        if not _is_file(export):
            problems.append(f"pulse {shorten(repr(str(label)))}: survey export not found: {shorten(str(export))}")
        if own is not None and not _is_file(own):
            problems.append(f"pulse {shorten(repr(str(label)))}: codebook file not found: {shorten(str(own))}")
    return pulses, problems


def _timeout(value) -> int:
    """The entry's ``timeout`` if it is a whole number of seconds (:class:`ReviewEntry` checks it), else the default."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else CELL_TIMEOUT_SECONDS


def _entry(raw, index: int, base: Path, source: Path) -> tuple[Review | None, list[str]]:
    """One entry of the manifest as a :class:`Review`, and its problems (each line naming the review)."""
    where = f"manifest '{source}', review {index}"
    if not isinstance(raw, dict):
        return None, [f"{where}: expected a mapping with name, client, period, surveys, codebook"]
    if raw.get("name"):
        where = f"manifest '{source}', review {shorten(repr(str(raw['name'])))}"
    try:
        ReviewEntry.model_validate(raw)
        problems = []
    except ValidationError as exc:
        problems = _entry_problems(exc)
    surveys, files, notebook, missing = _entry_files(raw, base)
    pulses, missing_pulses = _entry_pulses(raw, base)
    parameters = raw.get("parameters")
    review = Review(
        name=str(raw.get("name", "")),
        client=str(raw.get("client", "")),
        period=str(raw.get("period", "") or ""),
        surveys=surveys,
        files=files,
        parameters=dict(parameters) if isinstance(parameters, dict) else {},
        manifest=source,
        notebook=notebook,
        allow_small_groups=raw.get("allow_small_groups") is True,
        timeout=_timeout(raw.get("timeout")),
        pulses=pulses,
    )
    return review, [f"{where}: {p}" for p in problems + missing + missing_pulses]


def load_manifest(path) -> list[Review]:
    """Read and check a manifest.

    Raises
    ------
    ManifestError
        Listing every problem found (unknown key, missing file, period without
        an export, duplicate name), one per line.
    """
    path = Path(path).resolve()
    raw = load_yaml(path, error=ManifestError, what="manifest")
    if not isinstance(raw, dict) or not isinstance(raw.get("reviews"), list) or not raw["reviews"]:
        raise ManifestError(f"manifest '{path}': expected a top-level 'reviews:' list with at least one review")
    unknown = sorted(set(raw) - set(ManifestFile.model_fields))
    problems = (
        [f"manifest '{path}': unknown top-level keys {shorten(str(unknown))}; expected 'reviews'"] if unknown else []
    )
    reviews = []
    for i, entry in enumerate(raw["reviews"], start=1):
        review, errs = _entry(entry, i, path.parent, path)
        problems += errs
        if review is not None:
            reviews.append(review)
    names = [r.name for r in reviews]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"manifest '{path}': review name {shorten(repr(dup))} is used more than once")
    if problems:
        raise ManifestError("\n".join(problems), problems=problems)
    return reviews


#: Parameters the runner sets from the manifest's own keys; overriding them under ``parameters`` is refused.
_FROM_MANIFEST = {
    "review_name": "name",
    "client": "client",
    "period": "period",
    "surveys": "surveys",
    "allow_small_groups": "allow_small_groups",
    **{k: k for k in FILE_KEYS},
}
_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "dict": (dict,), "list": (list,)}


def notebook_parameters_of(notebook) -> dict:
    """The parameters declared by ``notebook``'s ``parameters`` cell (:func:`papermill.inspect_notebook`).

    Raises
    ------
    ManifestError
        In one line naming the notebook, where it cannot be read as a notebook or has no ``parameters`` cell.
    """
    import warnings

    import papermill as pm

    name = Path(notebook).name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # papermill's and nbformat's warnings about the file's name and cell ids
            declared = pm.inspect_notebook(str(notebook))
    except Exception as exc:  # nbformat and papermill raise many unrelated types for a file that is not a notebook
        reason = shorten(" ".join(str(exc).split()) or type(exc).__name__)
        raise ManifestError(f"notebook {name!r} cannot be read as a Jupyter notebook ({reason})") from None
    if not declared:
        raise ManifestError(
            f"notebook {name!r} has no cell tagged 'parameters'; expected a parameterised notebook such as "
            "notebooks/02-review.ipynb"
        )
    return declared


def _parameter_problems(review: Review, declared: dict, notebook: Path) -> list[str]:
    problems = []
    for key, value in review.parameters.items():
        if key in _FROM_MANIFEST:
            problems.append(
                f"parameter '{key}' is set by the review's '{_FROM_MANIFEST[key]}' key; remove it from 'parameters'"
            )
        elif key not in declared:
            problems.append(f"unknown parameter '{key}'; notebook '{notebook.name}' declares {sorted(declared)}")
        else:
            kind = declared[key]["inferred_type_name"]
            allowed = _TYPES.get(kind)
            if allowed and (not isinstance(value, allowed) or (bool not in allowed and isinstance(value, bool))):
                problems.append(
                    f"parameter '{key}' must be {kind} (notebook default {declared[key]['default']}), got {value!r}"
                )
    for key in FILE_KEYS:
        if key in review.files and key not in declared:
            problems.append(f"'{key}' is given but notebook '{notebook.name}' has no '{key}' parameter")
    if review.allow_small_groups and "allow_small_groups" not in declared:
        problems.append(f"'allow_small_groups' is given but notebook '{notebook.name}' has no such parameter")
    return problems + _value_problems(review)


def _value_problems(review: Review) -> list[str]:
    """Parameter values the review would refuse once running, found before any kernel starts."""
    problems = []
    params = review.parameters
    if "min_n" in params and isinstance(params["min_n"], int) and not isinstance(params["min_n"], bool):
        try:
            Method(min_n=params["min_n"], allow_small_groups=review.allow_small_groups)
        except ValidationError as exc:
            detail = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            problems.append(f"parameter 'min_n' = {params['min_n']}: {detail}")
    date = params.get("review_date")
    if isinstance(date, str) and date.strip():
        try:
            dt.date.fromisoformat(date.strip())
        except ValueError:
            problems.append(
                f"parameter 'review_date' = {date!r}: expected a date written YYYY-MM-DD, e.g. '2026-03-20'"
            )
    return problems


def check_parameters(reviews: list[Review], default_notebook) -> None:
    """Check every review's parameters against its notebook's ``parameters`` cell, before any kernel starts.

    A parameter override must be declared by the notebook, must not repeat a
    manifest key (``period`` is set at the review level) and must have the
    declared type; a file the manifest names must have a matching notebook
    parameter.

    Raises
    ------
    ManifestError
        One line per problem, naming the manifest, the review and the parameter.
    """
    declared_by: dict[Path, dict | str] = {}  # the declared parameters, or why there are none
    problems = []
    for review in reviews:
        notebook = Path(review.notebook or default_notebook).resolve()
        if notebook not in declared_by:
            try:
                declared_by[notebook] = notebook_parameters_of(notebook)
            except ManifestError as exc:
                declared_by[notebook] = exc.problem
        where = f"manifest '{review.manifest}', review '{review.name}'"
        declared = declared_by[notebook]
        if isinstance(declared, str):
            problems.append(f"{where}: {declared}")
            continue
        problems += [f"{where}: {p}" for p in _parameter_problems(review, declared, notebook)]
    if problems:
        raise ManifestError("\n".join(problems), problems=problems)
