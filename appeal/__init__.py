"""appeal: turn an Urgent Action into real, addressed letters.

The library API lives in :mod:`appeal.api`; the command line in :mod:`appeal.cli` is a thin
layer over it.
"""

__version__ = "0.1.0"
