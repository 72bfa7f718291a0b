"""Compiled regular expressions kept between runs of a command.

Python compiles every regular expression afresh in each process: parsing the pattern and
turning it into the matching engine's code. A single ``appeal import`` compiles ~280 patterns
(the importer's section headings in six languages, and those of PyYAML, Jinja2, reportlab...)
in ~0.18 s, a ``compose`` ~170 in ~0.08 s: a fifth of the command, the same on every run.

While a command runs, :func:`installed` records, for each pattern compiled, the arguments
Python's ``re`` passes to its engine (``_sre.compile``: the pattern, its flags, the engine code
and the group names); the next run of the same command hands those recorded arguments straight
to the engine, which checks the code itself, so the pattern object is the one ``re`` would have
built, without the parsing. The record lives in :mod:`.cache`, keyed by the exact Python build
(the engine code changes between versions) and the command; it holds the patterns of the last
run only, so patterns made from user text do not pile up. Anything unexpected (another Python
implementation, a ``re`` without these internals, a damaged record) falls back to plain
``re`` compilation: only speed is lost. ``APPEAL_CACHE=off`` turns it off with the rest.
"""

from __future__ import annotations

import marshal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_KIND = "regex"
# a long run (serve) compiling patterns from user text records no more than this
_MAX_PATTERNS = 4000


class _Recorder:
    """Stands in for the ``_sre`` module inside ``re._compiler``: passes every call through,
    noting the arguments of ``compile`` (per thread) so they can be replayed."""

    def __init__(self, real: Any):
        self._real = real
        self._last = threading.local()

    def compile(self, *args: Any) -> Any:
        self._last.args = args
        return self._real.compile(*args)

    def take(self) -> tuple | None:
        args = getattr(self._last, "args", None)
        self._last.args = None
        return args

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _key(command: str) -> str:
    import _sre

    return f"{command}|{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}"


@contextmanager
def installed(command: str) -> Iterator[None]:
    """Inside the block, ``re`` compiles from the record of ``command``'s last run where it can,
    and at its end the record is replaced by this run's patterns if any was new."""
    try:
        from re import _compiler  # type: ignore[attr-defined]  # CPython internals, checked

        import _sre

        real_compile = _compiler.compile
        debug = _compiler.SRE_FLAG_DEBUG
        if sys.implementation.name != "cpython" or _compiler._sre is not _sre:
            raise AttributeError("not CPython's re")
    except (ImportError, AttributeError):
        yield
        return
    from . import cache

    key = _key(command)
    known: dict = {}
    raw = cache.read(_KIND, key)
    if raw is not None:
        try:
            known = marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            known = {}
        if not isinstance(known, dict):
            known = {}
    used: dict = {}
    recorder = _Recorder(_sre)
    new = [0]

    def compile_(p: Any, flags: int = 0) -> Any:
        if type(p) not in (str, bytes) or flags & debug:  # (a subclass would not marshal)
            return real_compile(p, flags)
        entry = (p, int(flags))
        args = known.get(entry)
        if args is not None:
            try:
                compiled = _sre.compile(p, *args)
            except Exception:  # a record the engine refuses: compile as usual
                pass
            else:
                used[entry] = args
                return compiled
        recorder.take()
        compiled = real_compile(p, flags)
        args = recorder.take()
        if args is not None and args[0] is p and len(args) == 6 and len(used) < _MAX_PATTERNS:
            _p, final_flags, code, groups, groupindex, indexgroup = args
            # plain values only: the code holds int subclasses (re's named opcodes)
            used[entry] = (int(final_flags), [int(c) for c in code], int(groups),
                           dict(groupindex), tuple(indexgroup))
            new[0] += 1
        return compiled

    _compiler.compile = compile_
    _compiler._sre = recorder
    try:
        yield
    finally:
        _compiler.compile = real_compile
        _compiler._sre = _sre
        if new[0]:
            try:
                data = marshal.dumps(used)
            except ValueError:  # a value marshal cannot write: keep no record
                return
            cache.store(_KIND, key, data)
