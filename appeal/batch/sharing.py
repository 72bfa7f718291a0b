"""Work shared between the process pool and this process.

A batch on two cores runs one worker process, not two: this process does the other core's
share itself whenever it would otherwise wait. Every process of a pool holds its own copy of
the libraries, fonts and caches (about 90 MB), so one process fewer is the largest saving of
memory there is, at no cost in time: the parent's own bookkeeping (taking in results,
counting letters, joining the print file) fits in the gaps.

The pool takes the items from the front, in order; this process takes them from the back
by cancelling a future that has not started yet (a cancelled future never runs) and doing
its work here. Results still come out in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any


class SharedWork:
    """``fn(*args)`` for each of ``calls``, submitted to ``executor`` at once; this process
    steals the last ones not yet started while it waits (see :meth:`steal`)."""

    def __init__(self, executor, fn: Callable, calls: list[tuple],
                 here: Callable | None = None):
        """``here``: how this process does an item (default ``fn``), e.g. reporting each
        letter as it is made rather than the chunk's at the end."""
        self.local = here or fn
        self.calls = list(calls)
        self.futures: list[Future] = [executor.submit(fn, *args) for args in calls]
        self.here: dict[int, Any] = {}  # done by this process: index -> result
        self.back = len(calls) - 1  # the last item this process may still take

    def steal(self, before: int = -1) -> int | None:
        """Take the last item (after ``before``) the pool has not started and do it here;
        its index, or None when the pool has started everything left. Items start in
        order, so once one cannot be cancelled, none before it can."""
        if self.back <= before:
            return None
        k = self.back
        if not self.futures[k].cancel():
            self.back = -1  # started (or done): so is every item before it
            return None
        self.back -= 1
        try:
            self.here[k] = self.local(*self.calls[k])
        except Exception as exc:  # raised when item k's turn comes, as the pool's would be
            self.here[k] = _Failed(exc)
        return k

    def result(self, k: int) -> Any:
        """Item ``k``'s result; while the pool is still on it, this process works from the
        back. Exceptions of the work are raised here."""
        while k not in self.here and not self.futures[k].done():
            if self.steal(k) is None:
                break
        if k in self.here:
            return self.take_here(k)
        return self.futures[k].result()

    def take_here(self, k: int) -> Any:
        """The result of item ``k``, done by this process (its error raised)."""
        result = self.here.pop(k)
        if isinstance(result, _Failed):
            raise result.error
        return result

    def in_order(self) -> Iterator[Any]:
        for k in range(len(self.calls)):
            result = self.result(k)
            self.release(k)
            yield result

    def release(self, k: int) -> None:
        """Forget item ``k`` (its arguments and result): a batch's composed letters are
        kept once, by the planner, not also here until the last item is done."""
        self.futures[k] = _DONE
        self.calls[k] = ()

    def cancel(self) -> list[Future]:
        """Cancel what has not started; the futures still running (to wait for)."""
        return [f for f in self.futures if not f.cancel() and not f.done()]


_DONE: Future = Future()
_DONE.set_result(None)


class _Failed:
    def __init__(self, error: Exception):
        self.error = error
