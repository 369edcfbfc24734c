"""Every number of the method, named once: :class:`Method`; and the bounds on inputs: :class:`Limits`.

The analysis functions take these as keyword arguments whose defaults come
from :data:`METHOD`; a review (:func:`partnerlib.report.analyse_review`)
passes one :class:`Method` to every function it calls and keeps it in its
results, so the sentences and charts of a report state exactly the values
that were applied.  Change a value by building another :class:`Method`
(``Method(min_n=8)``, or ``METHOD.model_copy(update={...})``), never by
editing a constant elsewhere.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

#: The lowest anonymity minimum a review may use unless it says ``allow_small_groups: true`` (as the major survey
#: platforms default to): below it, averages of so few people say too much about each of them.
ANONYMITY_FLOOR = 5


class Method(BaseModel):
    """The thresholds and cut-offs of a review (each defined in the method note of the docs).

    Attributes
    ----------
    min_n : int
        Anonymity minimum: no figure of a group of fewer respondents is shown.  At least
        :data:`ANONYMITY_FLOOR` (5) unless ``allow_small_groups``; never below 1.
    allow_small_groups : bool
        Allow ``min_n`` below :data:`ANONYMITY_FLOOR` (a manifest must say so explicitly; the report then says so on
        its first page).
    comments_min_n : int
        Comments are shown only for groups of at least ``max(min_n, comments_min_n)`` respondents
        (words identify people more easily than averages).
    strength_from, concern_below : float
        Band cut-offs as a share of the way up the scale: a principle is a *strength* from
        ``min + strength_from * (max - min)`` (4.0 on 1-5), a *concern* below
        ``min + concern_below * (max - min)`` (3.0 on 1-5), else *borderline*.
    favourable_points : int
        The top this-many scale points count as favourable answers.
    confidence : float
        Level of every confidence interval.
    significance : float
        Level below which a p-value flags a difference or a change.
    difference_threshold : float
        Smallest difference between the organisations (scale points) that is flagged.
    alpha_threshold : float
        Cronbach's alpha below which a principle's statements are flagged as not measuring one thing.
    rate_threshold : float
        Response rate below which a group is flagged.
    balance_threshold : float
        Largest acceptable difference between a side's share of responses and of invitations.
    closed_gap : float
        A principle's gap at or below this counts as closed.
    min_gap_change : float
        The smallest move of a gap that counts as narrowed or widened.
    kpi_tolerance : float
        Share of ``|target|`` by which a KPI may miss its target and still be on *watch*.
    divergent_spread : float
        Spread of the partners' importance ratings from which an objective is *divergent*.
    unsupported_served : float
        *Served* rating at or below which an objective is *unsupported*.
    top : int
        How many strengths and how many priorities a review names.
    norm_min_partnerships : int
        A principle's rank among other partnerships (portfolio norms) is shown only where at least this many other
        partnerships contribute a score ...
    norm_min_clients : int
        ... from at least this many other clients.
    drivers_min_n : int
        Fewest respondents (with the outcome and every principle rated) from which a group's key drivers are
        estimated: a regression of the outcome on several principles needs far more people than a mean does.
    dominance_max_principles : int
        Most principles for which key drivers are exact general-dominance weights (``2**p`` regressions);
        with more, Johnson's relative weights approximate them.
    bootstrap_resamples : int
        Resamples of respondents behind each bootstrap interval.
    bootstrap_seed : int
        Seed of the bootstrap, so that a review's intervals are the same every time it is rendered.
    power : float
        The power at which the smallest detectable difference and change are stated (0.8: an effect of that size
        is found four times in five).
    """

    #: strict: a value of another type is refused, never converted (``top=True`` is not 1, ``min_n="7"`` not 7)
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    min_n: int = Field(5, ge=1)
    allow_small_groups: StrictBool = False
    comments_min_n: int = Field(10, ge=1)
    strength_from: float = Field(0.75, gt=0, lt=1)
    concern_below: float = Field(0.5, gt=0, lt=1)
    favourable_points: int = Field(2, ge=1)
    confidence: float = Field(0.95, gt=0, lt=1)
    significance: float = Field(0.05, gt=0, lt=1)
    difference_threshold: float = Field(0.5, ge=0)
    alpha_threshold: float = Field(0.7, gt=0, lt=1)
    rate_threshold: float = Field(0.60, gt=0, le=1)
    balance_threshold: float = Field(0.15, gt=0, le=1)
    closed_gap: float = Field(0.25, ge=0)
    min_gap_change: float = Field(0.1, ge=0)
    kpi_tolerance: float = Field(0.05, ge=0)
    divergent_spread: float = Field(2, gt=0)
    unsupported_served: float = Field(2, ge=0)
    top: int = Field(3, ge=1)
    norm_min_partnerships: int = Field(5, ge=5)
    norm_min_clients: int = Field(3, ge=3)
    drivers_min_n: int = Field(30, ge=10)
    dominance_max_principles: int = Field(12, ge=2, le=16)
    bootstrap_resamples: int = Field(200, ge=20)
    bootstrap_seed: int = Field(2026, ge=0)
    power: float = Field(0.8, gt=0, lt=1)

    @model_validator(mode="after")
    def _anonymity_floor(self) -> Method:
        if self.min_n < ANONYMITY_FLOOR and not self.allow_small_groups:
            raise ValueError(
                f"min_n {self.min_n} is below the anonymity floor of {ANONYMITY_FLOOR}; a review that must show "
                "smaller groups says allow_small_groups: true in the manifest (the report then says so on its "
                "first page)"
            )
        return self

    @property
    def small_groups_allowed(self) -> bool:
        """Whether this method shows groups smaller than the anonymity floor (the report must say so)."""
        return self.min_n < ANONYMITY_FLOOR

    def with_(self, **changes) -> Method:
        """A copy with some values changed, checked like any other ``Method`` (``METHOD.with_(min_n=8)``)."""
        return Method(**{**self.model_dump(), **changes})

    @property
    def comments_threshold(self) -> int:
        """The group size from which comments are shown: ``max(min_n, comments_min_n)``."""
        return max(self.min_n, self.comments_min_n)


class Limits(BaseModel):
    """Bounds on what one input may hold, so that no file can hang a read or exhaust memory.

    A file beyond a bound is refused with a message naming the bound; none of
    these is near what a real survey export or client spreadsheet holds.

    Attributes
    ----------
    max_file_bytes : int
        Largest CSV (or any text file) read, in bytes.
    max_sheet_bytes : int
        Largest uncompressed worksheet of an XLSX workbook (what its zip entry declares).
    max_rows : int
        Most rows of one table (Excel's own limit).
    max_columns : int
        Most columns of one table (Excel's own limit).
    max_cells : int
        Most cells read from one worksheet, empty ones included (openpyxl reads some 50,000 to 250,000
        a second, so this bounds a read to well under a minute; a larger sheet is saved as CSV).
    max_yaml_bytes : int
        Largest codebook or manifest, in bytes (a codebook of a thousand statements is some 200 KB).
    max_yaml_nodes : int
        Most values (scalars, lists and mappings) in one codebook or manifest, counted before any is built; the
        draft codebook of a 1,000-question export holds some 40,000.  With ``max_yaml_depth`` this bounds a read
        to a few seconds and well under 500 MB, whatever the file holds.
    max_yaml_depth : int
        Deepest nesting of lists and mappings in a codebook or manifest (a codebook nests 5 deep).
    max_name_chars : int
        Longest review name or period (each becomes a folder or file name; file systems allow 255 bytes).
    max_value_text : int
        Longest value quoted in an error message, in characters; a longer one is cut with "…" (a whole comment,
        or a megabyte cell, is never echoed).
    max_empty_cells : int
        Most formatted but empty cells a worksheet may hold beyond twice its cells with a value (Excel writes
        one for every cell of a formatted range; a million of them would take openpyxl minutes to read).
        Counted in the worksheet's XML before it is parsed, so such a sheet is refused in about a second.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_file_bytes: int = 2 * 1024**3
    max_sheet_bytes: int = 1024**3
    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 5_000_000
    max_yaml_bytes: int = 10 * 1024**2
    max_yaml_nodes: int = 200_000
    max_yaml_depth: int = 50
    max_name_chars: int = 100
    max_value_text: int = 200
    max_empty_cells: int = 100_000


#: The method every function uses unless told otherwise.
METHOD = Method()
#: The bounds every reader applies unless told otherwise.
LIMITS = Limits()
