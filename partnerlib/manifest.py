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

Paths are relative to the manifest's folder.  :func:`load_manifest` checks
everything it can before any kernel starts and reports every problem, one
line each.
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
    period = str(raw.get("period", ""))
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
    review = Review(name=name, client=str(raw.get("client", "")), period=period, surveys=surveys, files=files,
                    parameters=dict(params), manifest=source)
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
