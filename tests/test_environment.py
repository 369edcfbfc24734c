"""environment.yml (conda) and pyproject.toml (pip) declare the same packages and ranges."""

import re
import tomllib

import yaml

from .conftest import ROOT


def _norm(spec: str) -> tuple[str, str]:
    name, rng = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), rng.replace(" ", "")


def test_conda_and_pip_lists_match():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pip = dict(_norm(d) for d in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_norm(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python"), conda.pop("pip")
    assert conda == pip
    assert env["channels"] == ["conda-forge"]
