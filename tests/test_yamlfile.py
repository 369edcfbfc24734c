"""Codebooks and manifests: bounded work for any file (aliases, size, values, nesting) and errors naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from partnerlib import CodebookError, load_codebook
from partnerlib.exceptions import ManifestError
from partnerlib.render.manifest import load_manifest
from partnerlib.settings import LIMITS

#: The "billion laughs": nine levels of ten references each, 10**9 "lol"s once expanded (some 30 GB).
LAUGHS = 'a0: &a0 "lol"\n' + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))


#: Files that must be refused quickly: name -> (reader, text).
HOSTILE = {
    "laughs_codebook": ("load_codebook", LAUGHS + "scale: {min: 1, max: 5, labels: *a9}\n"),
    "laughs_manifest": ("load_manifest", LAUGHS + "reviews:\n  - {name: a, client: *a9}\n"),
    "merge_key": ("load_codebook", "scale: &s {min: 1, max: 5}\nother: {<<: *s}\n"),  # a merge key is an alias too
    "many_values": ("load_codebook", "questions: [" + ", ".join(["1"] * (LIMITS.max_yaml_nodes + 1)) + "]\n"),
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    """Each hostile file read in one fresh interpreter: its error, seconds and how much the peak memory grew (MB)."""
    folder = tmp_path_factory.mktemp("hostile")
    jobs = {}
    for name, (reader, text) in HOSTILE.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
        jobs[name] = (reader, str(folder / f"{name}.yml"))
    code = textwrap.dedent(
        """
        import json, resource, sys, time
        from partnerlib import load_codebook
        from partnerlib.render.manifest import load_manifest
        out = {}
        for name, (reader, path) in json.loads(sys.argv[1]).items():
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            try:
                {"load_codebook": load_codebook, "load_manifest": load_manifest}[reader](path)
                error = None
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            out[name] = {"path": path, "error": error, "seconds": seconds, "peak_mb": peak / 1024,
                         "grew_mb": (peak - before) / 1024}
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(jobs)], capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", ["laughs_codebook", "laughs_manifest", "merge_key"])
def test_yaml_aliases_are_refused_quickly_and_in_little_memory(measured, name):
    got = measured[name]
    error = "ManifestError" if name.endswith("manifest") else "CodebookError"
    assert got["error"].startswith(f"{error}: file '{got['path']}': not valid YAML: line ")
    assert "a YAML alias (*a" in got["error"] or "a YAML alias (*s)" in got["error"]
    assert got["seconds"] < 10 and got["grew_mb"] < 50  # the imports alone: 250-650 MB, more under coverage


def test_a_file_of_too_many_values_is_refused_before_anything_is_built(measured):
    got = measured["many_values"]
    assert got["error"] == (
        f"CodebookError: file '{got['path']}': not valid YAML: line 1: more than 200,000 values "
        "(Limits.max_yaml_nodes); a codebook or manifest holds far fewer"
    )
    assert got["seconds"] < 10 and got["grew_mb"] < 300


def test_nesting_and_size_are_bounded(tmp_path):
    deep = tmp_path / "deep.yml"
    deep.write_text("reviews: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    with pytest.raises(
        ManifestError, match=r"deep.yml': not valid YAML: line 1: lists or mappings nested more than 50"
    ):
        load_manifest(deep)
    big = tmp_path / "big.yml"
    big.write_bytes(b"# " + b"x" * LIMITS.max_yaml_bytes + b"\n")
    with pytest.raises(
        CodebookError, match=r"big.yml': 10,485,763 bytes, more than the 10,485,760 a codebook may hold"
    ):
        load_codebook(big)


CODEBOOK = """scale: {min: 1, max: 5, labels: {Tout à fait d'accord: 5}, not_applicable: [Ne sais pas – café]}
respondent: {partner: Société}
principles: {Confiance: [{current: Q5_1}]}
"""


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("cp1252", b""),
        ("utf-16", b""),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-32", b""),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_a_codebook_saved_in_any_common_encoding_is_read(tmp_path, encoding, bom):
    # Before, UTF-16 without a byte-order mark (Notepad's "Unicode") was refused as "not a text table ... an XLSX
    # workbook", and UTF-32 was read as UTF-16 into a YAML error.
    path = tmp_path / "codebook.yml"
    path.write_bytes(bom + CODEBOOK.encode(encoding))
    cb = load_codebook(path)
    assert cb.labels == {"tout à fait d'accord": 5.0} and cb.not_applicable == {"ne sais pas – café"}
    assert cb.partner.column == "Société" and cb.principle_order == ("Confiance",)


def test_a_codebook_that_is_not_text_is_refused_naming_the_file(tmp_path):
    binary = tmp_path / "codebook.yml"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x01\x02\x03\x00" * 10)
    with pytest.raises(CodebookError) as err:
        load_codebook(binary)
    assert str(err.value) == (
        f"file '{binary}': not a text codebook: it holds NUL bytes (a binary file); expected YAML text, saved as UTF-8"
    )
    mixed = tmp_path / "mixed.yml"
    mixed.write_bytes(CODEBOOK.encode("utf-8") + "comments: [Café]\n".encode("cp1252"))
    with pytest.raises(CodebookError, match=r"mixed.yml', row 4: not a text codebook: the text changes encoding"):
        load_codebook(mixed)


LONG = "x" * 100_000
_B = {"scale": {"min": 1, "max": 5}, "respondent": {"partner": "Q1"}, "principles": {"T": [{"current": "A"}]}}


@pytest.mark.parametrize(
    "codebook",
    [
        {**_B, "scale": {"min": 1, "max": 5, "labels": {LONG: 9}}},
        {**_B, "principles": {"T": [{"current": "A", "reverse": LONG}]}},
        {**_B, "scale": {"min": LONG, "max": 5}},
        {**_B, LONG: 1},
        {**_B, "principles": {LONG: []}},
        {**_B, "principles": {"T": [{"item": LONG, "current": "A"}, {"item": LONG, "current": "B"}]}},
        {**_B, "principles": {"T": [{"current": LONG}, {"current": LONG}]}},
    ],
)
def test_a_long_value_is_quoted_in_a_few_hundred_characters(codebook):
    # Before, each of these messages echoed the whole 100,000-character value.
    with pytest.raises(CodebookError) as err:
        load_codebook(codebook)
    assert len(str(err.value)) < 3 * LIMITS.max_value_text and "x" * (LIMITS.max_value_text - 5) + "…" in str(err.value)


def test_a_manifest_with_long_values_is_reported_in_short_lines(tmp_path):
    (tmp_path / "codebook.yml").write_text("x\n")
    manifest = tmp_path / "m.yml"
    manifest.write_text(
        f"reviews:\n  - {{name: {LONG}, client: A, period: '{LONG}', surveys: {{'2026': s.csv}}, codebook: "
        f"codebook.yml, roster: {LONG}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as err:  # before, "File name too long" escaped as an OSError
        load_manifest(manifest)
    problems = err.value.problems
    assert len(problems) == 5  # name and period too long for a folder, the survey export, the period, the roster
    assert all(len(line) < 3 * LIMITS.max_value_text + len(str(manifest)) for line in problems)
    assert "must be a folder-safe word (letters, digits, '-', '_', '.') of at most 100 characters" in problems[0]
    assert "roster file not found: " in problems[-1] and problems[-1].endswith("x…")


def test_a_key_given_twice_is_refused_not_silently_dropped(tmp_path):
    # Before, the first 'Trust' principle (statement A) silently vanished.
    path = tmp_path / "codebook.yml"
    path.write_text(
        "scale: {min: 1, max: 5}\nrespondent: {partner: Q1}\nprinciples:\n  Trust:\n  - {current: A}\n"
        "  Respect:\n  - {current: B}\n  Trust:\n  - {current: C, current: D}\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == (
        f"file '{path}': not valid YAML: line 8: the key 'Trust' is given twice in one mapping (first at line 4); "
        "YAML would silently keep only the last: merge them"
    )
    same_text_elsewhere = tmp_path / "ok.yml"  # the same key in two different mappings is no repeat
    same_text_elsewhere.write_text(
        "scale: {min: 1, max: 5}\nrespondent: {partner: Q1}\nprinciples:\n  Trust:\n  - {item: Trust, current: A}\n"
        "  - {item: t2, current: B}\nquestions: {Q1: {answers: {1: 3, '1': 2}}}\n",  # int 1 and text '1' differ
        encoding="utf-8",
    )
    assert [st.item for st in load_codebook(same_text_elsewhere).statements] == ["Trust", "t2"]
