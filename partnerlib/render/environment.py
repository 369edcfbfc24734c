"""The environment a review's kernel runs in: chosen by the bundle, not inherited from the caller's shell.

A report is the same whatever the shell it is rendered from.  A kernel
started by ``partnerlib render`` or by the workshop's Voilà server inherits
the caller's environment except for the variables below, which change what a
report shows and are set or cleared deliberately:

- ``MPLBACKEND`` is set to matplotlib's inline backend: ``Agg`` (usual on
  servers, in CI and job schedulers) draws every chart into nothing, giving a
  report without charts and no error;
- ``MPLCONFIGDIR`` is set to the bundle's own folder (``partnerlib/matplotlib``
  in the user's cache folder), which holds only matplotlib's font cache: a
  foreign ``matplotlibrc`` or style would change fonts, colours and sizes;
  ``MATPLOTLIBRC`` (an rc file named directly) is removed;
- ``LC_ALL`` and ``LANG`` are set to ``C.UTF-8`` and the other ``LC_*`` and
  ``LANGUAGE`` removed: a locale such as ``de_DE.UTF-8`` turns 3.5 into "3,5"
  wherever a library formats numbers by locale, and changes sorting and month
  names;
- ``TZ`` is set to ``UTC``: calendar dates (an action's due date, "overdue")
  must not move with the machine's time zone;
- ``PYTHONHASHSEED`` is set to ``0`` (sets of names come out in the same order
  each run) and ``PYTHONUTF8`` to ``1`` (files and output are UTF-8 on every
  platform);
- ``PYTHONWARNINGS`` is removed: ``error`` would turn a library's deprecation
  warning into a failed review.

Everything else (``PATH``, ``HOME``, ``PYTHONPATH``, proxies, ...) is passed
on unchanged.  :func:`partnerlib.report.setup` also resets matplotlib's
settings to its own defaults before applying the bundle's theme, so a
``matplotlibrc`` in the notebook's folder changes nothing either.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..config import INLINE_BACKEND

#: Variables every kernel gets, whatever the caller's environment (see the module docstring).
KERNEL_VARIABLES: dict[str, str] = {
    "MPLBACKEND": INLINE_BACKEND,
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "PYTHONHASHSEED": "0",
    "PYTHONUTF8": "1",
}
#: Variables removed from every kernel's environment (and every ``LC_*`` besides ``LC_ALL``).
REMOVED_VARIABLES = ("MATPLOTLIBRC", "LANGUAGE", "PYTHONWARNINGS")


def matplotlib_config_dir() -> Path:
    """The kernels' ``MPLCONFIGDIR``: ``partnerlib/matplotlib`` in the user's cache folder (created if missing).

    It belongs to the bundle (no ``matplotlibrc`` or styles of anyone else's) and keeps matplotlib's font cache
    between kernels, so a kernel does not rebuild it.
    """
    from platformdirs import user_cache_path

    folder = user_cache_path("partnerlib", appauthor=False) / "matplotlib"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def kernel_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment to start a review or workshop kernel with: ``base`` (default ``os.environ``) made safe.

    Sets :data:`KERNEL_VARIABLES` and ``MPLCONFIGDIR`` (:func:`matplotlib_config_dir`), removes
    :data:`REMOVED_VARIABLES` and the locale categories ``LC_*`` (``LC_ALL`` covers them), and passes every other
    variable on unchanged.
    """
    env = {
        k: v
        for k, v in (os.environ if base is None else base).items()
        if k not in REMOVED_VARIABLES and not (k.startswith("LC_") and k != "LC_ALL")
    }
    env.update(KERNEL_VARIABLES)
    env["MPLCONFIGDIR"] = str(matplotlib_config_dir())
    return env
