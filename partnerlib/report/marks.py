"""The marks a review notebook leaves for the render machinery, which reads them without importing the report.

- A review's headline figures, for the portfolio page: :func:`record_headlines` displays them as an output of
  MIME type :data:`HEADLINES_MIME`, never shown in the HTML report; after a render the runner reads them back
  (:func:`partnerlib.render.portfolio.read_headlines`) into the review's ``render.json``, and
  ``reports/index.html`` lists them.
- Chart cells: tagged :data:`CHART_TAG`, each shows a figure or an output of MIME type :data:`NO_CHART_MIME`
  (:func:`partnerlib.render.checks.cells_without_chart`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

HEADLINES_MIME = "application/vnd.partnerlib.headlines+json"
#: The output of a cell tagged ``chart`` that deliberately has no chart (no data), see
#: :func:`partnerlib.report.display.chart`; never shown.
NO_CHART_MIME = "application/vnd.partnerlib.no-chart+json"
#: The tag of the review notebook's chart cells: each must show a figure or :data:`NO_CHART_MIME`.
CHART_TAG = "chart"


def _check_text_list(name, values) -> list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"record_headlines: {name} must be a list of principle names, got {values!r}")
    return list(values)


def headlines_payload(
    *,
    respondents=None,
    response_rate=None,
    strengths=(),
    gaps=(),
    disagreement=None,
    kpi_status=None,
    scores=None,
    scale=None,
    norm=None,
) -> dict:
    """Check and assemble the headline figures of one review (see :func:`record_headlines`)."""
    payload: dict = {}
    if respondents is not None:
        if isinstance(respondents, bool) or int(respondents) != respondents or respondents < 0:
            raise ValueError(f"record_headlines: respondents must be a count, got {respondents!r}")
        payload["respondents"] = int(respondents)
    if response_rate is not None:
        rate = float(response_rate)
        if math.isnan(rate) or not 0 <= rate <= 1:
            raise ValueError(f"record_headlines: response_rate must be a share between 0 and 1, got {response_rate!r}")
        payload["response_rate"] = rate
    payload["strengths"] = _check_text_list("strengths", strengths)
    payload["gaps"] = _check_text_list("gaps", gaps)
    if disagreement is not None:
        payload["disagreement"] = str(disagreement)
    if kpi_status is not None:
        if not isinstance(kpi_status, dict) or not all(
            isinstance(k, str) and not isinstance(v, bool) and int(v) == v and v >= 0 for k, v in kpi_status.items()
        ):
            raise ValueError(f"record_headlines: kpi_status must map a status to a count, got {kpi_status!r}")
        payload["kpi_status"] = {k: int(v) for k, v in kpi_status.items()}
    if scores is not None:
        if scale is None or len(scale) != 2 or not float(scale[0]) < float(scale[1]):
            raise ValueError(f"record_headlines: scores need the scale (min, max) they are on, got {scale!r}")
        lo, hi = float(scale[0]), float(scale[1])
        if not all(isinstance(k, str) and lo <= float(v) <= hi for k, v in scores.items()):
            raise ValueError(f"record_headlines: scores must map a principle to a score from {lo:g} to {hi:g}")
        payload["scores"] = {k: round(float(v), 4) for k, v in scores.items()}
        payload["scale"] = [lo, hi]
    if norm:
        if not isinstance(norm, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in norm.items()):
            raise ValueError(
                f"record_headlines: norm must map a principle to the name it is pooled under, got {norm!r}"
            )
        payload["norm"] = dict(norm)
    return payload


def record_headlines(figures: Mapping) -> None:
    """Record the review's headline figures for the portfolio page ``reports/index.html``.

    Call it once, in a cell of the review notebook, with :func:`partnerlib.report.headlines` of the review;
    the figures are displayed as a data output the runner reads back, and never appear in the report.

    Parameters
    ----------
    figures : mapping
        The keyword arguments of :func:`headlines_payload`: ``respondents`` (kept for the period),
        ``response_rate`` (respondents / invited, 0-1), ``strengths`` and ``gaps`` (principle names, best
        first), ``disagreement`` (the biggest, as a short phrase), ``kpi_status`` (KPI count per status),
        ``scores`` (each shown principle's overall current score, for the portfolio norms) with ``scale``, and
        ``norm`` (a principle -> the name it is pooled under in the norms, where the codebook's ``norm:`` says).

    Notes
    -----
    Returns nothing, so that a call ending a cell shows no ``Out[]`` value.
    """
    from IPython.display import display

    display({HEADLINES_MIME: headlines_payload(**figures)}, raw=True)
