"""The published JSON Schemas are those of the pydantic models, and they describe the demo's files."""

import json

import yaml

from partnerlib.cli import json_schemas, main
from partnerlib.config import SCHEMAS_DIR

from .conftest import SAMPLE


def test_committed_schemas_are_the_models_schemas(tmp_path):
    assert main(["schemas", "--out", str(tmp_path)]) == 0
    for name in json_schemas():
        assert (tmp_path / name).read_text() == (SCHEMAS_DIR / name).read_text(), (
            f"schemas/{name} is stale: run `partnerlib schemas`"
        )


def test_schemas_name_the_keys_of_the_demo_files():
    codebook = json.loads((SCHEMAS_DIR / "codebook.schema.json").read_text())
    demo = yaml.safe_load((SAMPLE / "codebook.yml").read_text())
    assert set(demo) <= set(codebook["properties"]) and codebook["additionalProperties"] is False
    assert set(codebook["required"]) == {"scale", "respondent", "principles"}
    manifest = json.loads((SCHEMAS_DIR / "manifest.schema.json").read_text())
    entry = manifest["$defs"]["ReviewEntry"]
    reviews = yaml.safe_load((SAMPLE / "reviews.yml").read_text())["reviews"]
    assert all(set(r) <= set(entry["properties"]) for r in reviews)
    assert {"name", "client", "period", "surveys", "codebook"} <= set(entry["required"])
