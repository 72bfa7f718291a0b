"""Babel's locale data for a letter, kept between runs already merged.

A letter's date, the destination country's name and the deadline's month come from Babel,
which reads a locale's data by unpickling it with all its parents (``es_MX`` is ``root`` +
``es`` + ``es_MX``) and merging them: ~40 ms of every ``compose`` for the same result each
time. While a command runs, :func:`installed` stores each merged result in :mod:`.cache`
(keyed by the installed Babel and the locale's data file) and hands it back to Babel on the
next run, one unpickling instead of three plus the merge. Babel still does all the
formatting itself, so every date and name is Babel's own. If Babel lacks the internals this
relies on, nothing changes.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_KIND = "babel-locales"


@contextmanager
def installed() -> Iterator[None]:
    """Inside the block, Babel's merged locale data comes from the cache when it is there."""
    try:
        from babel import localedata

        real_load = localedata.load
        memory = localedata._cache
        lock = localedata._cache_lock
        filename = localedata.resolve_locale_filename
    except (ImportError, AttributeError):
        yield
        return
    from . import cache

    stamp = cache.package_stamp("babel")

    def load(name: Any, merge_inherited: bool = True) -> dict[str, Any]:
        name = os.path.basename(name)
        if not merge_inherited or name in memory:
            return real_load(name, merge_inherited)
        try:
            st = os.stat(filename(name))
        except OSError:
            return real_load(name, merge_inherited)  # Babel says what is wrong
        key = f"{name}|{stamp}|{st.st_size}|{st.st_mtime_ns}"
        raw = cache.read(_KIND, key)
        if raw is not None:
            try:
                data = pickle.loads(raw)
            except Exception:  # a record from an incompatible interpreter or Babel
                data = None
            if isinstance(data, dict) and data:
                with lock:
                    return memory.setdefault(name, data)
        data = real_load(name, merge_inherited)
        cache.store(_KIND, key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        return data

    localedata.load = load
    try:
        yield
    finally:
        localedata.load = real_load
