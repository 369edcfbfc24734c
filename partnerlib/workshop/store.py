"""Where the workshop keeps what it saves: the actions register it writes and the dot votes.

- **The demo stays clean.** A register inside the committed demo folder
  (:data:`partnerlib.config.SAMPLE_DATA_DIR`) is never written: the workshop
  saves to a copy of it in :data:`partnerlib.config.PROCESSED_DATA_DIR`, made
  on the first save (:func:`working_register`, :meth:`VoteStore` likewise).
- **Votes survive.** The dots cast are kept in a JSON file beside the register
  the workshop saves to, one file per review and period
  (``<review>-<period>.votes.json``), written atomically under a
  ``filelock`` lock, so a page reload, a restart of the app and several pages
  casting at once keep every vote.  The last *Reset* is kept in the same file
  so that it can be undone.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from ..config import PROCESSED_DATA_DIR, SAMPLE_DATA_DIR
from ..exceptions import PartnerDataError
from ..io.actions import register_lock
from ..io.atomic import atomic_path, atomic_write_text

#: Format marker of a votes file.
VOTES_FORMAT = "partnerlib-workshop-votes/1"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def working_register(path, *, sample=SAMPLE_DATA_DIR, processed=PROCESSED_DATA_DIR) -> tuple[Path, Path | None]:
    """The register the workshop saves to, and the committed register it starts from.

    Returns ``(path, None)`` for a register outside the demo folder ``sample``;
    for one inside it, ``(processed / name, path)``: the copy is what the
    workshop reads (once it exists) and writes, the committed file is only read.
    """
    path = Path(path)
    if _inside(path, Path(sample)):
        return Path(processed) / path.name, path
    return path, None


def ensure_working_copy(working: Path, source: Path | None) -> None:
    """Copy ``source`` to ``working`` if the copy does not exist yet (under the register's lock)."""
    if source is None:
        return
    with register_lock(working):
        if not working.exists() and source.is_file():
            with atomic_path(working) as tmp:
                shutil.copyfile(source, tmp)


def votes_path(folder, review: str, period: str) -> Path:
    """The votes file of ``review`` and ``period`` in ``folder`` (names reduced to letters, digits, ``-_.``)."""

    def safe(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text)).strip("._") or "review"

    return Path(folder) / f"{safe(review)}-{safe(period)}.votes.json"


@dataclass
class VoteState:
    """The votes of one review and period as saved: ``votes`` ``{participant: {principle: dots}}``,
    and ``cleared``, the votes the last *Reset* removed (empty once undone)."""

    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    cleared: dict[str, dict[str, int]] = field(default_factory=dict)


class VoteStore:
    """The votes file of one review and period; every change is read-modify-write under its lock.

    Parameters
    ----------
    path : Path
        The JSON file (see :func:`votes_path`); created on the first vote.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.lock = FileLock(str(self.path.with_name(f".{self.path.name}.lock")))

    def stamp(self) -> int | None:
        """The file's modification time in ns (None while it does not exist): cheap to poll."""
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def load(self) -> VoteState:
        """The saved votes (none if the file does not exist).

        Raises
        ------
        PartnerDataError
            For a file that is not a votes file, naming it.
        """
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return VoteState()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise PartnerDataError(
                f"not a votes file ({exc}); move it away to start the votes afresh", path=self.path
            ) from None
        if not isinstance(raw, dict) or raw.get("format") != VOTES_FORMAT:
            raise PartnerDataError(f'not a votes file: expected "format": "{VOTES_FORMAT}"', path=self.path)

        def clean(part) -> dict[str, dict[str, int]]:
            return {str(k): {str(p): int(n) for p, n in v.items()} for k, v in (part or {}).items()}

        return VoteState(clean(raw.get("votes")), clean(raw.get("cleared")))

    def _save(self, state: VoteState) -> None:
        body = {"format": VOTES_FORMAT, "votes": state.votes, "cleared": state.cleared}
        atomic_write_text(self.path, json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def update(self, change) -> VoteState:
        """Apply ``change(state) -> state`` to the votes on disk, under the lock, and save the result."""
        with self.lock:
            state = change(self.load())
            self._save(state)
            return state
