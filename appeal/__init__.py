"""appeal: turn an Urgent Action into real, addressed letters.

The library API lives in :mod:`appeal.api`; the command line in :mod:`appeal.cli` is a thin
layer over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # one version number: pyproject.toml's, read from the installed package's metadata
    __version__ = version("appeal")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"
