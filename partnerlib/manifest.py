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
        notebook: my-review.ipynb          # optional: another parameterised notebook

Paths are relative to the manifest's folder.  :func:`load_manifest` checks
the manifest itself and :func:`check_parameters` checks each review against
its notebook's parameters; both run before any kernel starts and report
every problem, one line each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .exceptions import ManifestError

#: Keys of a review entry that name input files (optional unless listed in REQUIRED_FILES).
FILE_KEYS = ("codebook", "roster", "kpis", "objectives", "actions")
REQUIRED_FILES = ("codebook",)
_KNOWN = {"name", "client", "period", "surveys", "parameters", "notebook", *FILE_KEYS}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


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

    def input_files(self) -> list[Path]:
        """Every input file of the review: the survey exports, then the other files."""
        return [*self.surveys.values(), *self.files.values()]

    def notebook_parameters(self) -> dict:
        """The papermill parameters of ``notebooks/02-review.ipynb`` for this review."""
        params = {
            "review_name": self.name,
            "client": self.client,
            "period": self.period,
            "surveys": {p: str(path) for p, path in self.surveys.items()},
        }
        for key in FILE_KEYS:
            params[key] = str(self.files[key]) if key in self.files else ""
        params.update(self.parameters)
        return params


def _entry(raw, index: int, base: Path, source: Path) -> tuple[Review | None, list[str]]:
    where = f"manifest '{source}', review {index}"
    if not isinstance(raw, dict):
        return None, [f"{where}: expected a mapping with name, client, period, surveys, codebook"]
    name = str(raw.get("name", ""))
    if name:
        where = f"manifest '{source}', review '{name}'"
    problems = []
    unknown = set(raw) - _KNOWN
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}; expected some of {sorted(_KNOWN)}")
    if not _NAME.match(name):
        problems.append(f"{where}: name {name!r} must be a folder-safe word (letters, digits, '-', '_', '.')")
    for key in ("client", "period"):
        if not str(raw.get(key, "") or "").strip():
            problems.append(f"{where}: missing '{key}'")
    period = str(raw.get("period", "") or "")
    if period and not _NAME.match(period):
        problems.append(f"{where}: period {period!r} must be a folder-safe word such as '2026' or '2026-H1' "
                        "(letters, digits, '-', '_', '.')")
    surveys_raw = raw.get("surveys")
    surveys: dict[str, Path] = {}
    if not isinstance(surveys_raw, dict) or not surveys_raw:
        problems.append(f"{where}: 'surveys' must map each period to its export, e.g. {{'2026': survey_2026.csv}}")
    else:
        for p, rel in surveys_raw.items():
            path = (base / str(rel)).resolve()
            surveys[str(p)] = path
            if not path.is_file():
                problems.append(f"{where}: survey export for period {p} not found: {path}")
        if period and period not in surveys:
            problems.append(f"{where}: period {period!r} has no survey export; 'surveys' lists {sorted(surveys)}")
    files = {}
    for key in FILE_KEYS:
        if raw.get(key):
            path = (base / str(raw[key])).resolve()
            files[key] = path
            if not path.is_file():
                problems.append(f"{where}: {key} file not found: {path}")
        elif key in REQUIRED_FILES:
            problems.append(f"{where}: missing '{key}'")
    params = raw.get("parameters") or {}
    if not isinstance(params, dict):
        problems.append(f"{where}: 'parameters' must be a mapping of notebook parameter names to values")
        params = {}
    notebook = None
    if raw.get("notebook"):
        notebook = (base / str(raw["notebook"])).resolve()
        if not notebook.is_file():
            problems.append(f"{where}: notebook not found: {notebook}")
    review = Review(name=name, client=str(raw.get("client", "")), period=period, surveys=surveys, files=files,
                    parameters=dict(params), manifest=source, notebook=notebook)
    return review, problems


def load_manifest(path) -> list[Review]:
    """Read and check a manifest.

    Raises
    ------
    ManifestError
        Listing every problem found (unknown key, missing file, period without
        an export, duplicate name), one per line.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ManifestError(f"manifest '{path}': file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"manifest '{path}': not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("reviews"), list) or not raw["reviews"]:
        raise ManifestError(f"manifest '{path}': expected a top-level 'reviews:' list with at least one review")
    reviews, problems = [], []
    for i, entry in enumerate(raw["reviews"], start=1):
        review, errs = _entry(entry, i, path.parent, path)
        problems += errs
        if review is not None:
            reviews.append(review)
    names = [r.name for r in reviews]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"manifest '{path}': review name '{dup}' is used more than once")
    if problems:
        raise ManifestError("\n".join(problems))
    return reviews


#: Parameters the runner sets from the manifest's own keys; overriding them under ``parameters`` is refused.
_FROM_MANIFEST = {"review_name": "name", "client": "client", "period": "period", "surveys": "surveys",
                  **{k: k for k in FILE_KEYS}}
_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "dict": (dict,),
          "list": (list,)}


def notebook_parameters_of(notebook) -> dict:
    """The parameters declared by ``notebook``'s ``parameters`` cell (:func:`papermill.inspect_notebook`)."""
    import papermill as pm

    return pm.inspect_notebook(str(notebook))


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
    declared_by: dict[Path, dict] = {}
    problems = []
    for review in reviews:
        notebook = Path(review.notebook or default_notebook).resolve()
        if notebook not in declared_by:
            declared_by[notebook] = notebook_parameters_of(notebook)
        declared = declared_by[notebook]
        where = f"manifest '{review.manifest}', review '{review.name}'"
        for key, value in review.parameters.items():
            if key in _FROM_MANIFEST:
                problems.append(f"{where}: parameter '{key}' is set by the review's '{_FROM_MANIFEST[key]}' key; "
                                "remove it from 'parameters'")
            elif key not in declared:
                problems.append(f"{where}: unknown parameter '{key}'; notebook '{notebook.name}' declares "
                                f"{sorted(declared)}")
            else:
                kind = declared[key]["inferred_type_name"]
                allowed = _TYPES.get(kind)
                if allowed and (not isinstance(value, allowed) or (bool not in allowed and isinstance(value, bool))):
                    problems.append(f"{where}: parameter '{key}' must be {kind} (notebook default "
                                    f"{declared[key]['default']}), got {value!r}")
        for key in FILE_KEYS:
            if key in review.files and key not in declared:
                problems.append(f"{where}: '{key}' is given but notebook '{notebook.name}' has no '{key}' parameter")
    if problems:
        raise ManifestError("\n".join(problems))
