"""``partnerlib workshop``: which review is served, and how its inputs reach the notebook."""

import nbformat
import pytest
import yaml

from partnerlib import ManifestError
from partnerlib.cli import main
from partnerlib.workshop.serve import (
    JUPYTER_DATA,
    WORKSHOP_NOTEBOOK,
    find_review,
    parameterised_notebook,
    pass_log,
    voila_command,
    voila_config,
    workshop_parameters,
)

from .conftest import SAMPLE


@pytest.fixture
def manifest(tmp_path):
    raw = yaml.safe_load((SAMPLE / "reviews.yml").read_text(encoding="utf-8"))
    entry = raw["reviews"][0]
    raw["reviews"] = [entry]  # the demo partnership only, without its pulse check-in
    entry.pop("pulse", None)
    entry["surveys"] = {p: str(SAMPLE / f) for p, f in entry["surveys"].items()}
    for key in ("codebook", "roster", "kpis", "objectives", "norms"):
        if key in entry:
            entry[key] = str(SAMPLE / entry[key])
    (tmp_path / "actions.csv").write_text("id,period,action\n", encoding="utf-8")
    entry["actions"] = "actions.csv"
    entry["parameters"] = {"min_n": 7, "top": 3}
    path = tmp_path / "reviews.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_unknown_review_names_the_reviews_listed(manifest):
    with pytest.raises(ManifestError, match=r"no review named 'nope'; it lists \['northwind-contoso'\]"):
        find_review(manifest, "nope")


def test_command_reports_an_unknown_review_without_a_traceback(manifest, capsys):
    assert main(["workshop", "--manifest", str(manifest), "--review", "nope"]) == 2
    assert "no review named 'nope'" in capsys.readouterr().err


def test_only_the_notebooks_own_parameters_are_passed(manifest, tmp_path):
    params = workshop_parameters(find_review(manifest, "northwind-contoso"))
    assert set(params) == {"review_name", "client", "period", "surveys", "codebook", "actions", "min_n"}
    assert params["actions"] == str(tmp_path / "actions.csv")
    assert params["min_n"] == 7 and params["period"] == "2026"
    assert params["surveys"]["2024"] == str(SAMPLE / "survey_2024.csv")


def test_parameters_are_injected_into_a_copy_of_the_notebook(manifest, tmp_path):
    before = WORKSHOP_NOTEBOOK.read_bytes()
    folder = tmp_path / "served"
    folder.mkdir()
    params = {"period": "2025", "min_n": 7, "actions": "/x/actions.csv"}
    path = parameterised_notebook(params, folder)
    assert path == folder / "03-workshop.ipynb"
    nb = nbformat.read(path, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    index = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    assert "parameters" in tags[index - 1]
    source = nb.cells[index].source
    assert 'period = "2025"' in source and "min_n = 7" in source and 'actions = "/x/actions.csv"' in source
    assert WORKSHOP_NOTEBOOK.read_bytes() == before


def test_voila_listens_on_localhost_only():
    command = voila_command("/tmp/nb.ipynb", 8123)
    assert "--Voila.ip=127.0.0.1" in command and "--port=8123" in command and "--no-browser" in command
    assert command[1:3] == ["-m", "voila"]


def test_a_broken_codebook_stops_the_command_before_serving_naming_the_column(manifest, tmp_path, capsys, monkeypatch):
    import subprocess

    raw = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    text = (SAMPLE / "codebook.yml").read_text(encoding="utf-8").replace("current: Q3_2\n", "current: Q3_2x\n")
    (tmp_path / "codebook.yml").write_text(text, encoding="utf-8")
    raw["reviews"][0]["codebook"] = str(tmp_path / "codebook.yml")
    manifest.write_text(yaml.safe_dump(raw), encoding="utf-8")

    def no_server(*args, **kwargs):
        raise AssertionError("Voilà was started for a review whose inputs are broken")

    monkeypatch.setattr(subprocess, "Popen", no_server)
    assert main(["workshop", "--manifest", str(manifest), "--review", "northwind-contoso"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("partnerlib: ") and err.count("\n") == 1  # one line
    assert "Q3_2x" in err


def test_voila_settings_release_kernels_and_load_nothing_from_the_internet():
    config = voila_config()
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0
    assert config["MappingKernelManager"]["cull_connected"] is False  # a page still open keeps its kernel
    assert config["Voila"]["tornado_settings"]["disable_check_xsrf"] is True  # the page's shutdown is accepted
    manager = config["VoilaConfiguration"]["multi_kernel_manager_class"]  # a page gone: its kernel released
    assert manager == "partnerlib.workshop.kernels.ReleasingKernelManager"
    assert config["VoilaConfiguration"]["template"] == "partnerlib"
    assert "jupyterlab-jupytext" in config["VoilaConfiguration"]["extension_denylist"]
    template = JUPYTER_DATA / "voila" / "templates" / "partnerlib" / "index.html.j2"
    assert "fontawesome" in template.read_text(encoding="utf-8")  # the links it takes out


def test_notices_are_kept_off_the_terminal_and_errors_are_not():
    import io

    err = io.StringIO()
    pass_log(
        [
            "[Voila] WARNING | Notebook 03-workshop.ipynb is not trusted\n",
            "[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All communication ...\n",
            "[Voila] ERROR | Uncaught exception GET /\n",
        ],
        err,
    )
    assert err.getvalue() == "[Voila] ERROR | Uncaught exception GET /\n"
