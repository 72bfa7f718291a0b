"""Where bundled data lives, both in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_CHECKOUT = PACKAGE_DIR.parent


def bundled_dir(name: str) -> Path:
    """The installed copy (``appeal/_bundled/NAME``) if present, else the checkout's ``NAME/``."""
    installed = _BUNDLED / name
    return installed if installed.is_dir() else _CHECKOUT / name


def data_path(name: str) -> Path:
    return PACKAGE_DIR / "data" / name
