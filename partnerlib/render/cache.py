"""Whether a review needs rendering again: the fingerprint of what its report depends on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .manifest import Review


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(review: Review, notebook, *, paper: str = "A4") -> dict:
    """What a review's report depends on, as SHA-256 digests.

    Returns
    -------
    dict
        ``notebook`` (digest of the notebook file), ``inputs`` (file path ->
        digest of its contents, for every survey export and input file),
        ``parameters`` (digest of the notebook parameters as sorted JSON),
        ``paper`` (the page size it is printed on) and ``partnerlib`` (the package version).
    """
    params = json.dumps(review.notebook_parameters(), sort_keys=True, default=str)
    return {
        "notebook": _sha256(Path(notebook).read_bytes()),
        "inputs": {str(p): _sha256(Path(p).read_bytes()) for p in review.input_files()},
        "parameters": _sha256(params.encode()),
        "paper": paper,
        "partnerlib": _version(),
    }


def _version() -> str:
    from .. import __version__

    return __version__


def changes(old: dict | None, new: dict) -> list[str]:
    """What differs between two fingerprints, in words (empty when they are equal)."""
    if not old:
        return ["never rendered"]
    said = []
    if old.get("notebook") != new["notebook"]:
        said.append("notebook changed")
    old_inputs = old.get("inputs", {})
    changed = [Path(p).name for p, h in new["inputs"].items() if old_inputs.get(p) != h]
    changed += [Path(p).name for p in old_inputs if p not in new["inputs"]]
    if changed:
        said.append("inputs changed: " + ", ".join(sorted(set(changed))))
    if old.get("parameters") != new["parameters"]:
        said.append("parameters changed")
    if old.get("paper", "A4") != new.get("paper", "A4"):
        said.append(f"paper {old.get('paper', 'A4')} -> {new.get('paper', 'A4')}")
    if old.get("partnerlib") != new["partnerlib"]:
        said.append(f"partnerlib {old.get('partnerlib')} -> {new['partnerlib']}")
    return said
