import nbformat
import pytest

from partnerlib import ManifestError
from partnerlib.render.manifest import load_manifest

from .conftest import SAMPLE


def test_demo_manifest_resolves_paths():
    review, *_portfolio = load_manifest(SAMPLE / "reviews.yml")
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
        "  - {name: 'bad name', client: B, period: '2026', surveys: {'2026': missing.csv}}\n"
    )
    with pytest.raises(ManifestError) as err:
        load_manifest(m)
    lines = str(err.value).splitlines()
    assert any("review 'a': unknown keys ['colour']" in line for line in lines)
    assert any("review 'a': survey export for period 2025 not found" in line for line in lines)
    assert any("review 'a': period '2026' has no survey export" in line for line in lines)
    assert any("name 'bad name' must be a folder-safe word" in line for line in lines)
    assert any("review 'bad name': missing 'codebook'" in line for line in lines)
    assert any("review 'bad name': survey export for period 2026 not found" in line for line in lines)
    assert len(lines) == 6


def _manifest(tmp_path, extra=""):
    for name in ("codebook.yml", "survey_2026.csv"):
        (tmp_path / name).write_text("x\n")
    m = tmp_path / "m.yml"
    m.write_text(
        "reviews:\n  - {name: a, client: A, surveys: {'2026': survey_2026.csv}, codebook: cb.yml".replace(
            "cb.yml", "codebook.yml"
        )
        + extra
        + "}\n"
    )
    return m


def test_period_must_be_a_folder_safe_word(tmp_path):
    with pytest.raises(ManifestError) as err:
        load_manifest(_manifest(tmp_path, ", period: '../2026'"))
    lines = str(err.value).splitlines()
    assert lines[0].endswith(
        "review 'a': period '../2026' must be a folder-safe word such as '2026' or "
        "'2026-H1' (letters, digits, '-', '_', '.') of at most 100 characters"
    )
    assert lines[1].endswith("review 'a': period '../2026' has no survey export; 'surveys' lists ['2026']")
    assert len(lines) == 2


def test_notebook_key_is_resolved_and_checked(tmp_path):
    with pytest.raises(ManifestError, match=r"review 'a': notebook not found: .*other\.ipynb$"):
        load_manifest(_manifest(tmp_path, ", period: '2026', notebook: other.ipynb"))
    (tmp_path / "other.ipynb").write_text("{}")
    (review,) = load_manifest(_manifest(tmp_path, ", period: '2026', notebook: other.ipynb"))
    assert review.notebook == (tmp_path / "other.ipynb").resolve()
    assert review.input_files() == [(tmp_path / "survey_2026.csv").resolve(), (tmp_path / "codebook.yml").resolve()]


def test_parameters_are_checked_against_the_notebook_one_line_each(tmp_path):
    from partnerlib.config import NOTEBOOKS_DIR
    from partnerlib.render.manifest import check_parameters

    (tmp_path / "kpis.xlsx").write_text("x")
    m = _manifest(
        tmp_path,
        ", period: '2026', kpis: kpis.xlsx, parameters: {period: '2025', min_n: 3.5, colour: red, min_n_typo: 1}",
    )
    reviews = load_manifest(m)
    with pytest.raises(ManifestError) as err:
        check_parameters(reviews, NOTEBOOKS_DIR / "02-review.ipynb")
    lines = str(err.value).splitlines()
    assert lines[0] == (
        f"manifest '{m}', review 'a': parameter 'period' is set by the review's 'period' key; "
        "remove it from 'parameters'"
    )
    assert lines[1].endswith("review 'a': parameter 'min_n' must be int (notebook default 5), got 3.5")
    assert lines[2].startswith(
        f"manifest '{m}', review 'a': unknown parameter 'colour'; notebook "
        "'02-review.ipynb' declares ['actions', 'allow_small_groups', 'client', 'codebook',"
    )
    assert "unknown parameter 'min_n_typo'" in lines[3] and len(lines) == 4
    nb = tmp_path / "tiny.ipynb"

    spec = {"name": "python3", "language": "python", "display_name": "P"}
    tiny = nbformat.v4.new_notebook(metadata={"kernelspec": spec})
    tiny.cells = [nbformat.v4.new_code_cell("min_n: int = 5  # x", metadata={"tags": ["parameters"]})]
    nbformat.write(tiny, nb)
    ok = load_manifest(_manifest(tmp_path, ", period: '2026', kpis: kpis.xlsx, parameters: {min_n: 7}"))
    with pytest.raises(ManifestError) as err:
        check_parameters(ok, nb)
    assert [line.split(": ", 1)[1] for line in str(err.value).splitlines()] == [
        "'codebook' is given but notebook 'tiny.ipynb' has no 'codebook' parameter",
        "'kpis' is given but notebook 'tiny.ipynb' has no 'kpis' parameter",
    ]
    check_parameters(ok, NOTEBOOKS_DIR / "02-review.ipynb")  # a valid override passes


def test_an_anonymity_minimum_below_five_needs_the_manifests_explicit_consent(tmp_path):
    from partnerlib.config import NOTEBOOKS_DIR
    from partnerlib.render.manifest import check_parameters

    notebook = NOTEBOOKS_DIR / "02-review.ipynb"
    refused = load_manifest(_manifest(tmp_path, ", period: '2026', parameters: {min_n: 3}"))
    with pytest.raises(ManifestError) as err:
        check_parameters(refused, notebook)
    (line,) = str(err.value).splitlines()
    assert line.endswith(
        "review 'a': parameter 'min_n' = 3: min_n 3 is below the anonymity floor of 5; a review that must show "
        "smaller groups says allow_small_groups: true in the manifest (the report then says so on its first page)"
    )
    (allowed,) = load_manifest(
        _manifest(tmp_path, ", period: '2026', allow_small_groups: true, parameters: {min_n: 3}")
    )
    check_parameters([allowed], notebook)
    assert allowed.notebook_parameters()["allow_small_groups"] is True
    zero = load_manifest(_manifest(tmp_path, ", period: '2026', allow_small_groups: true, parameters: {min_n: 0}"))
    with pytest.raises(ManifestError, match=r"parameter 'min_n' = 0: .*greater than or equal to 1"):
        check_parameters(zero, notebook)  # never below 1, whatever the manifest says
    for text in ("'yes'", "'no'", "'false'", "1"):  # only a real true consents; a word is refused, not guessed
        with pytest.raises(ManifestError, match=r"review 'a': allow_small_groups: input should be a valid boolean"):
            load_manifest(_manifest(tmp_path, f", period: '2026', allow_small_groups: {text}"))


def test_a_review_date_that_is_not_a_date_is_caught_before_any_kernel(tmp_path):
    from partnerlib.config import NOTEBOOKS_DIR
    from partnerlib.render.manifest import check_parameters

    reviews = load_manifest(_manifest(tmp_path, ", period: '2026', parameters: {review_date: '2026-13-40'}"))
    with pytest.raises(
        ManifestError, match=r"parameter 'review_date' = '2026-13-40': expected a date written YYYY-MM-DD"
    ):
        check_parameters(reviews, NOTEBOOKS_DIR / "02-review.ipynb")


def test_the_cover_says_when_small_groups_are_shown():
    from partnerlib import Method
    from partnerlib.report import title

    from .conftest import plain

    assert "as few as" not in plain(title("C", "2026").data)
    cover = plain(title("C", "2026", method=Method(min_n=3, allow_small_groups=True)).data)
    assert "Groups of as few as 3 respondents are shown in this report" in cover
    with pytest.raises(ValueError, match="below the anonymity floor of 5"):
        Method(min_n=4)
    with pytest.raises(ValueError, match="allow_small_groups\n  Input should be a valid boolean"):
        Method(min_n=3, allow_small_groups="no")  # a word is not consent (lax pydantic read "yes" as true)


def test_a_notebook_that_is_not_a_notebook_is_one_line(tmp_path):
    # Before, papermill's NotJSONError (or a TypeError) escaped as a traceback from the pre-check.
    from partnerlib.config import NOTEBOOKS_DIR
    from partnerlib.render.manifest import check_parameters

    (tmp_path / "notes.csv").write_text("hello,world\n")
    (tmp_path / "notes.ipynb").write_text("hello,world\n")
    (tmp_path / "cells.ipynb").write_text('{"cells": 5}')
    plain_nb = nbformat.v4.new_notebook()
    plain_nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(plain_nb, tmp_path / "plain.ipynb")
    with pytest.raises(ManifestError) as err:
        load_manifest(_manifest(tmp_path, ", period: '2026', notebook: notes.csv"))
    assert err.value.problems == [
        f"manifest '{tmp_path / 'm.yml'}', review 'a': notebook 'notes.csv' is not a Jupyter notebook; expected a "
        "parameterised .ipynb file"
    ]
    expected = {
        "notes.ipynb": "notebook 'notes.ipynb' cannot be read as a Jupyter notebook (Notebook does not appear to be "
        "JSON: 'hello,world\\n')",
        "cells.ipynb": "notebook 'cells.ipynb' cannot be read as a Jupyter notebook (",
        "plain.ipynb": "notebook 'plain.ipynb' has no cell tagged 'parameters'; expected a parameterised notebook",
    }
    for name, message in expected.items():
        reviews = load_manifest(_manifest(tmp_path, f", period: '2026', notebook: {name}"))
        with pytest.raises(ManifestError) as err:
            check_parameters(reviews, NOTEBOOKS_DIR / "02-review.ipynb")
        (line,) = err.value.problems
        assert line.startswith(f"manifest '{tmp_path / 'm.yml'}', review 'a': {message}")
        assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "extra, message",
    [
        (", period: '2026'", "name 'a\\n' must be a folder-safe word"),
        (', period: "2026\\n"', "period '2026\\n' must be a folder-safe word"),
        (
            ", period: '2026', surveys: {\"2026\\n\": survey_2026.csv}",
            "'surveys': period '2026\\n' must be a folder-safe",
        ),
    ],
)
def test_names_and_periods_ending_in_a_newline_are_refused(tmp_path, extra, message):
    manifest = _manifest(tmp_path, extra)
    if "name" in message:
        manifest.write_text(manifest.read_text().replace("name: a,", 'name: "a\\n",'))
    if "'surveys'" in message:  # the helper's own surveys key is replaced, not repeated
        manifest.write_text(manifest.read_text().replace("surveys: {'2026': survey_2026.csv}, ", ""))
    with pytest.raises(ManifestError) as err:
        load_manifest(manifest)
    assert any(message in line for line in err.value.problems), err.value.problems
