"""``envelopes.pdf`` and ``labels.pdf`` in chunks: planned here, drawn by the worker pool,
joined by the parent.

The parent decides what depends on every letter (the organizer's paper, the envelope size,
the labels' one type size, the characters of each file), cuts the envelopes into runs and the
labels into runs of whole sheets, and hands them to the pool; each worker draws its chunk
on a canvas that is never saved and writes the captured pages to a share file. The parent
joins the shares in order, streaming to disk (:func:`appeal.batch.pack.join_parts`) while
the workers draw the rest: no process holds a whole envelopes or labels document.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import AppealError
from ..files import make_temp
from ..i18n import _
from . import envelopes, labels
from .plan import Job
from .sharing import SharedWork

ENVELOPES_PER_PART = 200  # at most; fewer when that gives each worker several parts
LABEL_SHEETS_PER_PART = 8
PARTS_PER_WORKER = 4


def chunk_bounds(count: int, unit: int, most: int, workers: int) -> list[tuple[int, int]]:
    """``(start, end)`` of chunks of ``count`` items, each a whole number of ``unit`` items,
    at most ``most`` units, and about ``PARTS_PER_WORKER`` chunks per worker."""
    units = -(-count // unit)
    per = max(1, min(most, -(-units // (workers * PARTS_PER_WORKER)))) * unit
    return [(i, min(i + per, count)) for i in range(0, count, per)]


class PackParts:
    """The envelopes' and labels' chunks of one run, submitted to ``executor`` (a process
    pool) at once, or drawn here one at a time as they are joined (no executor)."""

    def __init__(self, printed: list[Job], paper: str, envelope: str | None,
                 return_address: bool, out_dir: Path, executor=None, workers: int = 1):
        envs = [envelopes.envelope_of(job, return_address) for job in printed]
        labs = [labels.label_of(job) for job in printed]
        env_sheet = envelopes.envelope_sheet(envs, paper, envelope)
        lab_sheet = labels.label_sheet(labs, paper)
        env_bounds = chunk_bounds(len(envs), 1, ENVELOPES_PER_PART, workers)
        lab_bounds = chunk_bounds(len(labs), lab_sheet.per_page, LABEL_SHEETS_PER_PART, workers)
        # key -> (first letter's position in print order, chunk number, items, sheet)
        self.tasks: dict[str, list[tuple[int, int, list, object]]] = {
            "envelopes": [(start, k, envs[start:end], env_sheet)
                          for k, (start, end) in enumerate(env_bounds)],
            "labels": [(start, k, labs[start:end], lab_sheet)
                       for k, (start, end) in enumerate(lab_bounds)],
        }
        self.folder = str(out_dir) if executor is not None else None
        # All chunks, envelopes first: the pool draws from the front, this process from the
        # back whenever it waits (see :mod:`.sharing`).
        self.work: SharedWork | None = None
        self.first: dict[str, int] = {}  # key -> its first chunk's place in the work
        if executor is not None:
            calls: list[tuple] = []
            for key, tasks in self.tasks.items():
                self.first[key] = len(calls)
                calls += [(key, k, items, sheet, self.folder)
                          for _start, k, items, sheet in tasks]
            self.work = SharedWork(executor, draw_part, calls)

    def parts(self, key: str, misfits: list[int]) -> Iterator[Path | bytes]:
        """The shares of ``envelopes`` or ``labels`` in order, each as soon as it is drawn;
        the positions (in print order) of labels whose address was cut go to ``misfits``.
        Raises :class:`OSError` if a worker could not write its share."""
        from concurrent.futures.process import BrokenProcessPool

        work = self.work
        for n, (start, k, items, sheet) in enumerate(self.tasks[key]):
            if work is None:
                result = draw_part(key, k, items, sheet, None)
            else:
                try:
                    result = work.result(self.first[key] + n)
                    work.release(self.first[key] + n)
                except BrokenProcessPool:
                    raise AppealError(_("A worker process failed: {error}").format(
                        error=_("a worker process stopped unexpectedly"))) from None
            part, cut, error = result
            if error is not None:
                raise OSError(*error)
            assert part is not None  # (written)
            misfits += [start + i for i in cut]
            yield Path(part) if isinstance(part, str) else part

    def close(self) -> None:
        """Cancel the chunks not started and wait for those being drawn (a run that stops
        early then sweeps every share they wrote)."""
        from concurrent.futures import wait

        if self.work is not None:
            wait(self.work.cancel())
            for k in list(self.work.here):  # drawn here but never joined: their shares go
                part = self.work.here.pop(k)
                if isinstance(part, tuple) and isinstance(part[0], str):
                    Path(part[0]).unlink(missing_ok=True)


def draw_part(key: str, chunk: int, items: list, sheet,
              folder: str | None) -> tuple[str | bytes | None, list[int], tuple | None]:
    """Draw one chunk (in a worker): ``(share, cut labels, error)``. The share is written to
    a new temp file in ``folder`` and its path returned (no folder: its bytes); ``error`` is
    ``(errno, text)`` if it could not be written."""
    cut: list[int] = []
    if key == "envelopes":
        data = envelopes.draw_part(items, sheet)
    else:
        data, cut = labels.draw_part(items, sheet)
    if folder is None:
        return data, cut, None
    path = None
    try:
        fd, path = make_temp(Path(folder), f"{key}-{chunk:06d}-")  # new, never a planted link
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        if path is not None:
            path.unlink(missing_ok=True)
        return None, [], (exc.errno, exc.strerror or str(exc))
    return str(path), cut, None
