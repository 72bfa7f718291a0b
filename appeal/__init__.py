"""appeal: turn an Urgent Action into real, addressed letters.

The library API lives in :mod:`appeal.api`; the command line in :mod:`appeal.cli` is a thin
layer over it.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``appeal.__version__``: pyproject.toml's version, read from the installed package's
    metadata when first asked for (importing importlib.metadata costs every command ~0.1 s of
    start-up, and only ``--version`` and batch fingerprints need the number)."""
    if name != "__version__":
        raise AttributeError(f"module 'appeal' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("appeal")
    except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
