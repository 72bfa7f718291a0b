"""Where bundled data lives, both in a source checkout and in an installed wheel."""

from __future__ import annotations

import hashlib
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
    forms.yaml took 70 ms of every compose). The parsed table is kept in :mod:`.cache`, keyed
    by the file's bytes, so a single command imports no YAML parser for it."""
    import pickle

    from .cache import cached, package_stamp

    raw = data_path(name).read_bytes()

    def parse() -> bytes:
        import yaml

        table = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return pickle.dumps(table, protocol=5)

    key = f"{name}|{hashlib.sha256(raw).hexdigest()}|{package_stamp('yaml')}"
    try:
        return pickle.loads(cached("tables", key, parse))
    except Exception:  # a cache from an incompatible interpreter
        return pickle.loads(parse())
