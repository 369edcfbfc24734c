"""The ``partnerlib`` command: a thin wrapper over the Python API.

Sub-commands::

    partnerlib demo-data [--out DIR]          write the demo partnership
    partnerlib render --manifest FILE [--only NAME] [--jobs N] [--out DIR] [--pdf] [--paper a4|letter] [--force]
                      [--scheduler ADDRESS] [--norms]
                                               render the reviews of a manifest
    partnerlib codebook init EXPORT [--out FILE] [--format NAME] [--force]
                                               start a codebook from an export
    partnerlib workshop --manifest FILE --review NAME [--port P]
                                               serve a review's workshop with Voilà
    partnerlib norms [--manifest FILE] [--reports DIR] [--archive DIR ...] [--out FILE]
                                               build the portfolio's norms from rendered reviews
    partnerlib schemas [--out DIR]             write the JSON Schemas of the codebook and the manifest
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .config import REPORTS_DIR, SAMPLE_DATA_DIR, SCHEMAS_DIR
from .exceptions import PartnerlibError


def _demo_data(args) -> int:
    from .demo import write_demo_data

    for path in write_demo_data(args.out):
        print(path)
    return 0


def _stop(signum, frame):
    """``SIGTERM`` stops a batch as Ctrl-C does: workers and kernels end, the index is written."""
    raise KeyboardInterrupt


def _render(args) -> int:
    from .render.batch import render_manifest, summary

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        outcomes = render_manifest(
            args.manifest,
            args.out,
            only=args.only,
            jobs=args.jobs,
            force=args.force,
            pdf=args.pdf,
            paper=args.paper,
            scheduler=args.scheduler,
            progress=not args.no_progress and sys.stderr.isatty(),
            norms=args.norms,
        )
    except KeyboardInterrupt:
        print(f"partnerlib: stopped; the index lists what finished: {Path(args.out) / 'index.html'}", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    for o in outcomes:
        print(o.line())
    print(summary(outcomes))
    print(f"index: {Path(args.out) / 'index.html'}")
    if args.norms:
        from .io.norms import NORMS_FILE

        print(f"norms: {Path(args.out) / NORMS_FILE}")
    return 0 if all(o.status != "failed" for o in outcomes) else 1


def _norms(args) -> int:
    import datetime as dt

    from .analysis.norms import build_norms
    from .io.norms import NORMS_FILE, refresh_norms

    out = args.out or args.reports / NORMS_FILE
    reviews = None
    if args.manifest is not None:
        from .render.manifest import load_manifest

        reviews = {r.name for r in load_manifest(args.manifest)}
    records = refresh_norms([args.reports], out, built=dt.date.today().isoformat(), archive=args.archive,
                            reviews=reviews)  # fmt: skip
    norms = build_norms(records)
    print(
        f"{out}: {len(records)} scores of {records['review'].nunique()} partnerships of "
        f"{records['client'].nunique()} clients"
    )
    for r in norms.itertuples():
        print(f"  {r.principle}: {r.partnerships} partnerships, median {r.median:.2f}, top quartile "
              f"{r.top_quartile:.2f}, top decile {r.top_decile:.2f} (positions 0-1)")  # fmt: skip
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _codebook_init(args) -> int:
    from .io.codebook_init import write_codebook_draft

    print(write_codebook_draft(args.export, args.out, format=args.format, overwrite=args.force))
    return 0


def json_schemas() -> dict[str, dict]:
    """The JSON Schemas an editor checks ``codebook.yml`` and ``reviews.yml`` against, by file name."""
    from .io.codebook import CodebookFile
    from .render.manifest import ManifestFile

    return {
        "codebook.schema.json": CodebookFile.model_json_schema(),
        "manifest.schema.json": ManifestFile.model_json_schema(),
    }


def _schemas(args) -> int:
    import json

    from .io.atomic import atomic_write_text

    for name, schema in json_schemas().items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        print(atomic_write_text(Path(args.out) / name, json.dumps(schema, indent=2) + "\n"))
    return 0


def _workshop(args) -> int:
    from .workshop.serve import find_review, serve

    return serve(find_review(args.manifest, args.review), port=args.port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``partnerlib`` command."""
    parser = argparse.ArgumentParser(prog="partnerlib", description="Partnership health reviews.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo-data", help="write the demo partnership's files")
    p.add_argument("--out", type=Path, default=SAMPLE_DATA_DIR, help="folder to write (default: data/sample)")
    p.set_defaults(func=_demo_data)
    p = sub.add_parser("render", help="render the reviews of a manifest")
    p.add_argument("--manifest", type=Path, required=True, help="the reviews manifest (YAML)")
    p.add_argument("--out", type=Path, default=REPORTS_DIR, help="reports folder (default: reports/)")
    p.add_argument("--only", metavar="NAME", help="render only the review with this name")
    p.add_argument("--jobs", type=_positive, metavar="N", help="reviews rendered at once (default: number of cores)")
    p.add_argument("--pdf", action="store_true", help="also print review.pdf with headless Chromium")
    p.add_argument(
        "--paper",
        type=lambda v: {"a4": "A4", "letter": "letter"}.get(v.lower(), v),
        choices=["A4", "letter"],
        default="A4",
        help="page size of the printed report (default A4; letter for US clients)",
    )
    p.add_argument("--force", action="store_true", help="re-render reviews that are unchanged since their last render")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the reviews on this Dask distributed scheduler (tcp://host:8786) instead of locally",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars (shown only on a terminal)")
    p.add_argument(
        "--norms",
        action="store_true",
        help="then rebuild the portfolio's norms from the reports (<out>/norms.csv, as 'partnerlib norms')",
    )
    p.set_defaults(func=_render)
    p = sub.add_parser("codebook", help="codebook tools")
    cb_sub = p.add_subparsers(dest="codebook_command", required=True)
    p = cb_sub.add_parser("init", help="write a starting codebook listing every question column of an export")
    p.add_argument("export", type=Path, help="the survey export (only read)")
    p.add_argument("--out", type=Path, help="codebook YAML to write (default: <export name>.codebook.yml here)")
    p.add_argument("--format", help="force an export format instead of detecting it")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    p.set_defaults(func=_codebook_init)
    p = sub.add_parser("workshop", help="serve a review's workshop as a web page (Voila, on 127.0.0.1)")
    p.add_argument("--manifest", type=Path, required=True, help="the reviews manifest (YAML)")
    p.add_argument("--review", required=True, help="name of the review in the manifest")
    p.add_argument("--port", type=int, default=None, help="port to listen on (default: a free port)")
    p.set_defaults(func=_workshop)
    p = sub.add_parser("norms", help="build the portfolio's norms from rendered reviews (norms.csv)")
    p.add_argument("--reports", type=Path, default=REPORTS_DIR, help="reports folder to collect (default: reports/)")
    p.add_argument("--manifest", type=Path, help="only the reviews this manifest lists (from --reports)")
    p.add_argument("--archive", type=Path, action="append", default=[], metavar="DIR",
                   help="also collect an earlier reports folder (repeatable)")  # fmt: skip
    p.add_argument("--out", type=Path, help="norms file to write (default: <reports>/norms.csv)")
    p.set_defaults(func=_norms)
    p = sub.add_parser("schemas", help="write the JSON Schemas of the codebook and the manifest (for editors)")
    p.add_argument("--out", type=Path, default=SCHEMAS_DIR, help="folder to write (default: schemas/)")
    p.set_defaults(func=_schemas)
    return parser


def main(argv=None) -> int:
    """Run the command line; data errors are reported in one message, not a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PartnerlibError as exc:
        print(f"partnerlib: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
