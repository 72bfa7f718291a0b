"""Import reportlab's platypus without compiling a pattern appeal never uses.

``reportlab.platypus.paragraph`` compiles, at import, a case-insensitive URL pattern over
nearly all of Unicode (``uri_pat``, used only to split long URLs when hyphenating). Python
takes ~90 ms to compile it: a third of a single letter's start-up spent on nothing. While
platypus is imported here, that one pattern is handed back as a stand-in that compiles it on
first use; every other pattern compiles as usual. reportlab is pinned to the tested range
(pyproject.toml), and ``tests/test_startup.py`` checks the stand-in matches as the pattern does.
"""

from __future__ import annotations

import re
import sys
import threading
from types import ModuleType

_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_lock = threading.Lock()


class LazyPattern:
    """A compiled pattern made when first used."""

    def __init__(self, compile_, pattern: str, flags: int):
        self._make = lambda: compile_(pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = self._make()
        return getattr(self._compiled, name)


def load() -> ModuleType:
    """``reportlab.platypus``, imported with its URL pattern compiled lazily."""
    if "reportlab.platypus.paragraph" in sys.modules:
        import reportlab.platypus

        return reportlab.platypus
    with _lock:
        real = re.compile

        def compile_(pattern, flags=0):
            if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
                return LazyPattern(real, pattern, flags)
            return real(pattern, flags)

        re.compile = compile_
        try:
            import reportlab.platypus
        finally:
            re.compile = real
    return reportlab.platypus
