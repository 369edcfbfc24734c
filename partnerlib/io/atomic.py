"""Atomic writes: every file partnerlib writes appears whole or not at all.

Content goes to a temporary file in the destination folder, is flushed to
disk, and then replaces the destination with :func:`os.replace` (atomic on
POSIX and Windows), so an interrupted write leaves the previous file intact.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success move it over ``path``.

    If the block raises, the temporary file is removed and ``path`` is untouched; an :class:`OSError` of writing
    (a full disk: one with an ``errno``, about no other file) is raised again naming ``path``, not the temporary
    file, and keeping its ``errno`` (and so its subclass); any other exception (a ``TimeoutError`` of the work
    inside the block, say) is raised as it is.  The file keeps the permissions of the file it replaces, or gets
    those of any new file (``0o666`` less the umask), not the owner-only mode of a temporary file, so reports on
    a shared drive stay readable by colleagues.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno is None or exc.filename not in (None, tmp):  # not a failed write (a timeout, another file)
            raise
        # a full disk, a read-only or vanished folder: said of the file being written, not of its temporary file
        raise OSError(exc.errno, f"could not write the file ({exc.strerror or exc})", str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Permission bits for ``path``: those of the existing file, else ``0o666`` less the process umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write ``text`` to ``path`` atomically and return the path.

    ``newline=""`` writes line ends exactly as they are in ``text``.
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)
    return Path(path)
