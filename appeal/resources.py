"""Where bundled data lives, both in a source checkout and in an installed wheel."""

from __future__ import annotations

from functools import cache
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


@cache
def language_table(name: str) -> dict:
    """A per-language data file of ``appeal/data`` (forms.yaml, channels.yaml), read once,
    with libyaml's parser when PyYAML has it (same result as ``yaml.safe_load``, 8× faster:
    forms.yaml took 70 ms of every compose)."""
    import yaml

    with data_path(name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
