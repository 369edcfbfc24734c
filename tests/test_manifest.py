import pytest

from partnerlib import ManifestError
from partnerlib.manifest import load_manifest

from .conftest import SAMPLE


def test_demo_manifest_resolves_paths():
    (review,) = load_manifest(SAMPLE / "reviews.yml")
    params = review.notebook_parameters()
    assert review.name == "northwind-contoso" and params["period"] == "2026"
    assert params["surveys"]["2025"] == str((SAMPLE / "survey_2025.csv").resolve())
    assert params["codebook"] == str((SAMPLE / "codebook.yml").resolve())


def test_every_problem_is_reported_one_per_line(tmp_path):
    m = tmp_path / "m.yml"
    (tmp_path / "cb.yml").write_text("x: 1\n")
    m.write_text(
        "reviews:\n"
        "  - {name: a, client: A, period: '2026', surveys: {'2025': s.csv}, codebook: cb.yml, colour: red}\n"
        "  - {name: 'bad name', client: B, period: '2026', surveys: {'2026': missing.csv}}\n")
    with pytest.raises(ManifestError) as err:
        load_manifest(m)
    lines = str(err.value).splitlines()
    assert any("review 'a': unknown keys ['colour']" in l for l in lines)
    assert any("review 'a': survey export for period 2025 not found" in l for l in lines)
    assert any("review 'a': period '2026' has no survey export" in l for l in lines)
    assert any("name 'bad name' must be a folder-safe word" in l for l in lines)
    assert any("review 'bad name': missing 'codebook'" in l for l in lines)
    assert any("review 'bad name': survey export for period 2026 not found" in l for l in lines)
    assert len(lines) == 6
