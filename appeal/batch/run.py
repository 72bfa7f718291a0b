"""``run_batch``: plan the letters, make them in worker processes, then the pack files.

The letters are cut into small chunks in print order and handed to a standard process pool
(:class:`concurrent.futures.ProcessPoolExecutor`), which works with every start method:
fork where it is the default (Linux; fonts and DOCX base packages set up once in the parent
are shared), spawn on macOS and Windows (each worker sets them up once). Each chunk writes
its letters' files atomically, appends each finished letter to the folder's state record and
keeps the pages it drew for its part of ``print-all.pdf``. The parent counts each chunk's
letters in the action ledger as soon as the chunk is back (one small transaction), and every
run first counts again, under the same keys, the letters already on disk: a run killed at any
point leaves a tally that the next run makes equal to the letters on disk. Workers stop when
the parent dies.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import contextlib
import functools
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

from ..cases import LoadedCase
from ..errors import AppealError
from ..files import atomic_write, make_temp, prepare_folder, sweep_temp_files
from .write import flush_to_disk, temp_folder, write_file
from ..i18n import _, ngettext
from . import manifest
from .pack import PackShare, join_parts
from .sharing import SharedWork
from .plan import (LETTERS_DIR, Duplicate, Job, assign_stems, mark_resumable, plan_jobs,
                   stale_entries)
from .sheet import Sheet, read_sheet
from .state import CLAIMED, OLD_LAYOUT, STATE_FILE, Appender, Entry, read_state, write_state

PRINT_ALL = "print-all.pdf"
ENVELOPES = "envelopes.pdf"
LABELS = "labels.pdf"
COVER = "cover.pdf"
MANIFEST = "manifest.csv"
LETTERS_PER_WORKER_MIN = 40  # below this, starting workers costs more than it saves
ALL_FORMATS = ("pdf", "docx", "txt")

__all__ = ["BatchOptions", "BatchResult", "letter_made", "run_batch", "STATE_FILE"]


@dataclass(frozen=True)
class BatchOptions:
    formats: tuple[str, ...] = ("pdf", "docx")
    lang: str | None = None  # for rows without a language; default: the case's preferred
    targets: tuple[str, ...] = ()  # for rows without a 'to' cell; default: every target
    country: str | None = None  # sender country for rows without one (the organizer's)
    date: dt.date | None = None  # default: today
    paper: str | None = None  # a4 / letter for every letter; default: by each row's country
    encoding: str | None = None  # of a CSV without BOM; default: UTF-8, never guessed
    blank: int = 0  # extra letters with the name left blank, per target
    duplex: bool = False  # pad print-all.pdf so every letter starts on a front side
    envelope: str | None = None  # dl, c5, us10; default by paper size
    return_address: bool = True
    dry_run: bool = False
    limit: int | None = None  # read only the first N rows (attendees); blank letters on top
    force: bool = False  # remake letters even if unchanged, replace files we did not make
    jobs: int | None = None  # worker processes; default: the machine's cores
    progress: Callable[[int, int], None] | None = None  # (done, total)
    on_made: Callable[[Job], None] | None = None  # called once per letter made
    record: bool = True  # count each letter made in the local action ledger (appeal report)
    keep_duplicates: bool = False  # make a letter for every row, even a repeated attendee
    start_method: str | None = None  # multiprocessing start method; default: the platform's


@dataclass
class BatchResult:
    out_dir: Path
    sheet: Sheet
    jobs: list[Job]
    problems: list[tuple[int, str]]  # (sheet line, reason) of rows that were not made
    files: dict[str, Path] = field(default_factory=dict)  # print-all, envelopes, ...
    dry_run: bool = False
    counted: int | None = None  # letters newly counted in the action ledger (None: not recorded)
    duplicates: list[Duplicate] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stems of letters no longer on the sheet
    uncounted: int = 0  # their actions taken back out of the ledger
    stale_kept: int = 0  # letters no longer on the sheet, kept while some rows fail
    count_error: str | None = None  # the ledger failed: letters were made, not all counted
    notes: list[str] = field(default_factory=list)  # targets a draft case cannot write to yet

    def count(self, status: str) -> int:
        return sum(1 for j in self.jobs if j.status == status)

    @property
    def made(self) -> int:
        return self.count("made")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def failed_rows(self) -> list[tuple[int | None, str]]:
        lines = [(line, reason) for line, reason in self.problems]
        lines += [(j.line, j.reason) for j in self.jobs if j.status == "failed"]
        return sorted(lines, key=lambda item: (item[0] is None, item[0] or 0))

    @property
    def ok(self) -> bool:
        return not self.failed_rows and self.count_error is None


def ledger_key(ledger, out_dir: Path, who: str) -> str:
    """The ledger key of the letter ``who`` in this output folder."""
    folder = _resolved(out_dir)
    if who.startswith(OLD_LAYOUT):  # letters of the first layout were keyed by file name
        return "batch:" + ledger.digest(folder, who[len(OLD_LAYOUT):])
    return "batch:" + ledger.digest(folder, "who", who)


@functools.lru_cache(maxsize=8)
def _resolved(out_dir: Path) -> str:
    """The output folder's real path, looked up once per run, not once per letter."""
    return str(out_dir.resolve())


def letter_made(job: Job, out_dir: Path, ledger=None):
    """The ledger entry that counts ``job`` (a letter made or already on disk), or None.

    The key is the letter's identity in this output folder (:func:`appeal.batch.plan.who_key`),
    so a resumed, forced or reordered rerun never counts a letter twice, while two namesakes
    from different cities count as two. Blank letters for walk-ins are not counted until
    someone signs them (``appeal record``)."""
    if ledger is None or job.blank:
        return None
    from ..ledger import Entry as LedgerEntry

    letter = job.letter
    return LedgerEntry(letter.case_id, letter.target_id, "letter", letter.lang.split("-")[0],
                       key=ledger_key(ledger, out_dir, job.who))


def run_batch(loaded: LoadedCase, sheet_path: Path, out_dir: Path,
              options: BatchOptions = BatchOptions()) -> BatchResult:
    """Read the sheet, make every letter and the pack files; bad rows are collected, not raised.

    Raises :class:`AppealError` only for problems with the whole run: unreadable sheet,
    unknown option values, output folder not writable, disk full, interrupted.
    """
    from ..render import check_formats
    from ..readiness import PRINT, select

    formats = check_formats(tuple(options.formats))
    # A draft case: its own gaps stop the run; targets without an address are left out.
    ready = select(loaded, PRINT, options.targets)
    targets = options.targets or tuple(t.id for t in ready.targets)
    sheet = read_sheet(Path(sheet_path), options.encoding)
    problems = list(sheet.problems)
    duplicates: list[Duplicate] = []
    rows = len(sheet.rows) if options.limit is None else min(len(sheet.rows), options.limit)
    per_row = len(targets)
    pool = _Pool.start(options, (rows + options.blank) * max(per_row, 1))
    try:
        jobs = plan_jobs(
            loaded, sheet, out_dir, formats=formats, lang=options.lang,
            targets=targets, country=options.country,
            date=options.date or dt.date.today(), paper=options.paper, blank=options.blank,
            problems=problems, duplicates=duplicates, keep_duplicates=options.keep_duplicates,
            limit=options.limit, compose_many=pool.composer(loaded) if pool else None,
        )
        state = read_state(out_dir)
        assign_stems(jobs, state, out_dir / LETTERS_DIR, formats)
        mark_resumable(jobs, state, options.force)
        # With --limit the rest of the sheet was not read: nothing is stale. While some
        # rows fail (a broken cell, a broken case file) letters are never removed: the
        # failing rows' letters would look stale.
        stale = stale_entries(jobs, state) if options.limit is None else {}
        kept = len(stale) if problems else 0
        if problems:
            stale = {}
        result = BatchResult(out_dir, sheet, jobs, problems, dry_run=options.dry_run,
                             duplicates=duplicates,
                             removed=sorted(e.stem for e in stale.values()),
                             notes=ready.skipped_lines(PRINT), stale_kept=kept)
        if options.dry_run:
            return result

        prepare_folder(out_dir)
        prepare_folder(out_dir / LETTERS_DIR, own=True)
        tally = _Tally(out_dir, result) if options.record else None
        try:
            _remove_stale(result, stale, tally)
            _claim(result, state, stale)
            if tally is not None:
                tally.add([j for j in jobs if j.status == "unchanged"])
                tally.flush()
            # The plan (every letter's text) lives until the end and holds no cycles: the
            # collector's full passes, which reportlab's drawing makes necessary, skip it.
            gc.freeze()
            parts = _make_letters(result, formats, options, tally, pool)
            _make_pack_files(loaded, result, options, parts, pool)
        finally:
            gc.unfreeze()
            if tally is not None:
                tally.close()
            sweep_temp_files(out_dir)
            sweep_temp_files(out_dir / LETTERS_DIR)
        return result
    finally:
        if pool is not None:
            pool.close()


class _Pool:
    """The run's worker processes (a standard process pool, any start method), shared by
    its three phases: composing the rows, making the letters, drawing envelopes and labels.
    Started only when there is enough work for more than one process. ``workers`` counts
    this process too: it works whenever it would wait (see :mod:`.sharing`), so the pool
    has one process fewer than the cores it uses."""

    def __init__(self, workers: int, method: str):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        from .. import fonts

        self.workers, self.method = workers, method
        fonts.register()  # before forking: shared by the workers
        if method == "fork":
            gc.freeze()  # what exists now is shared; the workers' collector leaves it alone
        self.executor = ProcessPoolExecutor(max_workers=workers - 1,
                                            mp_context=mp.get_context(method),
                                            initializer=_init_worker,
                                            initargs=(method == "fork",))

    @classmethod
    def start(cls, options: BatchOptions, letters: int) -> _Pool | None:
        cores = options.jobs or os.cpu_count() or 1
        workers = max(1, min(cores, letters // LETTERS_PER_WORKER_MIN))
        return cls(workers, start_method(options)) if workers > 1 else None

    def composer(self, loaded: LoadedCase):
        """``compose_many`` for :func:`plan_jobs`: the rows in chunks, in order."""

        def compose_many(rows, settings):
            """Yields the rows as their chunks come back (the planner shares each letter's
            text at once, so the copies that came through the pipe do not pile up)."""
            size = max(10, min(200, -(-len(rows) // (self.workers * 4))))
            chunks = [rows[i:i + size] for i in range(0, len(rows), size)]
            work = SharedWork(self.executor, _compose_chunk,
                              [(loaded, chunk, settings) for chunk in chunks])
            try:
                for part in work.in_order():
                    yield from part
            finally:
                work.cancel()

        return compose_many

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _compose_chunk(loaded, rows, settings) -> list[tuple]:
    from .plan import compose_rows

    return compose_rows(loaded, rows, settings)


class _Tally:
    """Counts letters in the action ledger in small transactions, as they are made. If the
    ledger fails, the letters go on being made and the failure is reported at the end."""

    def __init__(self, out_dir: Path, result: BatchResult):
        self.out_dir, self.result = out_dir, result
        _resolved.cache_clear()  # the folder may have moved since an earlier run
        self.pending: list = []
        self.ledger = None
        result.counted = 0
        try:
            from ..ledger import Ledger

            self.ledger = Ledger()
        except AppealError as exc:
            result.count_error = exc.message

    def add(self, jobs) -> None:
        if self.ledger is not None:
            for job in jobs:
                entry = letter_made(job, self.out_dir, self.ledger)
                if entry is not None:
                    self.pending.append(entry)

    def flush(self) -> None:
        if self.ledger is None or not self.pending:
            return
        try:
            self.result.counted += self.ledger.record_many(self.pending)
        except AppealError as exc:
            self.result.count_error = exc.message
            self.ledger.close()
            self.ledger = None
        self.pending = []

    def forget(self, whos: list[str]) -> int:
        if self.ledger is None or not whos:
            return 0
        try:
            return self.ledger.forget_keys(ledger_key(self.ledger, self.out_dir, w)
                                           for w in whos)
        except AppealError as exc:
            self.result.count_error = exc.message
            return 0

    def close(self) -> None:
        self.flush()
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None


def _remove_stale(result: BatchResult, stale: dict[str, Entry], tally) -> None:
    """Remove the files of letters no longer on the sheet and take them out of the tally
    (they were never posted from this pack); links are removed, never followed."""
    if not stale:
        return
    folder = result.out_dir / LETTERS_DIR
    from ..files import safe_filename

    for entry in stale.values():
        for fmt in ALL_FORMATS:
            path = folder / safe_filename(entry.stem, fmt)
            if path.is_symlink() or path.is_file():
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
    if tally is not None:
        result.uncounted = tally.forget(list(stale))


def _claim(result: BatchResult, state: dict[str, Entry], stale: dict[str, Entry]) -> None:
    """Rewrite the state record: drop removed letters, claim every letter about to be made
    before any file is written (a killed run's half-made letters stay ours to remake)."""
    kept = {who: e for who, e in state.items() if who not in stale}
    for job in result.jobs:
        if job.status == "planned":
            kept[job.who] = Entry(job.stem, CLAIMED)
    try:
        write_state(result.out_dir, kept)
    except OSError as exc:
        raise _write_failed(result, result.out_dir / STATE_FILE, exc) from exc


def _write_failed(result: BatchResult, path: Path, exc: OSError) -> AppealError:
    made = result.made
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    message = (_("The disk is full: could not write {path}.") if full else
               _("Could not write {path}: {error}")).format(path=path,
                                                           error=exc.strerror or exc)
    return AppealError(
        message,
        ngettext("{n} letter was made before the error; nothing is half-written. Free some "
                 "space or choose another --out folder, then run again to make the rest.",
                 "{n} letters were made before the error; nothing is half-written. Free some "
                 "space or choose another --out folder, then run again to make the rest.",
                 made).format(n=made),
    )


# -- workers ----------------------------------------------------------------------------------

_IN_POOL = False  # set in pool workers: they check that the parent is still alive


def _init_worker(fork: bool) -> None:
    """Each pool worker, once: let the parent handle Ctrl-C; set up fonts (already shared
    when forked)."""
    global _IN_POOL
    _IN_POOL = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # An idle worker waits on the pool's queue, which never closes if the parent is killed:
    # a watchdog ends the worker then (a busy one also stops between two letters).
    threading.Thread(target=_watch_parent, daemon=True).start()
    if not fork:
        from .. import fonts

        fonts.register()


def _watch_parent() -> None:
    import time

    while not _parent_gone():
        time.sleep(0.5)
    os._exit(1)


def _parent_gone() -> bool:
    import multiprocessing as mp

    parent = mp.parent_process()
    return parent is not None and not parent.is_alive()


def _make_chunk(chunk: int, jobs: list[Job], out_dir: Path, duplex: bool,
                report=None) -> tuple[list, str | None, tuple | None]:
    """Make one chunk of letters: ``(statuses, pack part file, fatal error)``.

    ``statuses`` are ``(index, "made" | "kept" | "failed", reason)``; with ``report`` each is
    also passed on as soon as the letter is done. A fatal error (disk full) is
    ``(index, path, errno, text)``."""
    from ..fitnotes import fit_summary
    from ..render import render
    from ..render.pdf import layout_letter, render_captured

    statuses: list = []

    def done(status) -> None:
        statuses.append(status)
        if report is not None:
            report(status)

    pack = PackShare(duplex)
    files = _Files(out_dir)
    try:
        for job in jobs:
            if _IN_POOL and _parent_gone():
                os._exit(1)  # nobody to report to: stop, the next run makes the rest
            try:
                laid = layout_letter(job.letter, checked=True)  # checked when planned
                names = job.file_names()
                pdf, pages = render_captured(laid, pdf=job.needs_render and "pdf" in names)
                if job.needs_render:
                    data = {}
                    for fmt in names:
                        data[fmt] = pdf if fmt == "pdf" else render(job.letter, fmt, laid.fit)
                pack.add(job.letter, pages)
            except AppealError as exc:
                done((job.index, "failed", exc.message))
                continue
            if not job.needs_render:
                done((job.index, "kept", fit_summary(laid.fit)))
                continue
            path = files.state.path
            try:
                for fmt, name in names.items():
                    path = files.write(job.folder, name, data[fmt])
                path = files.state.path
                files.state.add(job.who, job.stem, job.digest)  # finished: for resuming
            except OSError as exc:
                return statuses, None, (job.index, str(path), exc.errno,
                                        exc.strerror or str(exc))
            done((job.index, "made", fit_summary(laid.fit)))
    finally:
        files.close()
    data = pack.finish()
    if data is None:
        return statuses, None, None
    part = None
    try:
        fd, part = make_temp(out_dir, f"pack-{chunk:06d}-")  # new, never a planted link
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        return statuses, None, (None, str(part or out_dir), exc.errno,
                                exc.strerror or str(exc))
    _collect_now_and_then(len(jobs))
    return statuses, str(part), None


_letters_since_collect = 0


def _collect_now_and_then(letters: int) -> None:
    """reportlab leaves reference cycles: a full collection every few hundred letters keeps
    memory flat (more often costs time: each walks the whole heap)."""
    global _letters_since_collect
    _letters_since_collect += letters
    if _letters_since_collect >= 400:
        _letters_since_collect = 0
        gc.collect()


class _Files:
    """A chunk's letter files (temp files in a folder of the process's own, see
    :func:`temp_folder`) and its lines of the state record."""

    def __init__(self, out_dir: Path):
        self.state = Appender(out_dir)
        self.tmp_folder: Path | None = None
        self._folders: dict[Path, str] = {}

    def write(self, folder: Path | None, name: str, data: bytes) -> str:
        """Write ``name`` in ``folder``; returns its path."""
        assert folder is not None  # (a job to render has its folder)
        if self.tmp_folder is None:
            self.tmp_folder = temp_folder(folder)
        folder_name = self._folders.get(folder)
        if folder_name is None:
            folder_name = self._folders[folder] = str(folder)
        path = os.path.join(folder_name, name)
        write_file(path, data, self.tmp_folder)
        return path

    def close(self) -> None:
        self.state.close()
        if self.tmp_folder is not None:
            with contextlib.suppress(OSError):  # else swept at the end of the run
                self.tmp_folder.rmdir()
            self.tmp_folder = None


def start_method(options: BatchOptions) -> str:
    import multiprocessing as mp

    return options.start_method or mp.get_start_method(allow_none=True) or (
        mp.get_context().get_start_method())


def _chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Print-order chunks, small enough to share the work evenly and to report (and count)
    letters often, large enough that each costs the pool little."""
    size = max(8, min(100, -(-len(jobs) // (workers * 6))))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def _make_letters(result: BatchResult, formats: tuple[str, ...], options: BatchOptions,  # noqa: C901
                  tally, pool: _Pool | None) -> list[Path]:
    """Make the letters; returns the print file's parts, in order."""
    jobs = [j for j in result.jobs if j.status in ("planned", "unchanged")]
    total = len(jobs)
    if not total:
        return []
    out_dir = result.out_dir
    parts: dict[int, str | None] = {}
    done = 0
    by_index = {j.index: j for j in jobs}
    fatal: list[AppealError] = []

    def handle(status) -> None:
        nonlocal done
        index, kind, reason = status
        job = by_index[index]
        done += 1
        if kind != "failed":
            job.fit = reason  # text set smaller, a second page: for the manifest
        if kind == "made":
            job.status = "made"
            if tally is not None:
                tally.add([job])
            if options.on_made:
                options.on_made(job)
        elif kind == "failed":
            job.status, job.reason = "failed", reason
        if options.progress:
            options.progress(done, total)

    def fail(error) -> None:
        _index, path, err, text = error
        if not fatal:
            fatal.append(_write_failed(result, Path(path), OSError(err, text)) if err
                         else AppealError(_("A worker process failed: {error}").format(
                             error=text)))

    if pool is not None and total < 2 * LETTERS_PER_WORKER_MIN:
        pool = None  # a rerun with little left to make: not worth the round trips
    chunks = _chunks(jobs, pool.workers if pool else 1)
    old_term = None
    if threading.current_thread() is threading.main_thread():
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        if pool is None:
            for k, chunk in enumerate(chunks):
                _statuses, part, error = _make_chunk(k, chunk, out_dir, options.duplex, handle)
                parts[k] = part
                if tally is not None and (k % 4 == 3):
                    tally.flush()
                if error:
                    fail(error)
                    break
        else:
            _run_pool(pool, chunks, out_dir, options.duplex, handle, fail, parts, tally, fatal)
    except KeyboardInterrupt:
        made = result.made
        raise AppealError(
            _("Interrupted."),
            ngettext("{n} letter was made; nothing is half-written. Run the same command again "
                     "to make the rest.",
                     "{n} letters were made; nothing is half-written. Run the same command "
                     "again to make the rest.", made).format(n=made),
            exit_code=130,
        )
    finally:
        if tally is not None:
            tally.flush()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if fatal:
        raise fatal[0]
    flush_to_disk(out_dir)
    return [Path(parts[k]) for k in sorted(parts) if parts[k]]


def _raise_interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _run_pool(pool: _Pool, chunks, out_dir, duplex, handle, fail, parts, tally,
              fatal) -> None:
    """Hand the chunks to the process pool and make the last ones here while it works on
    the first (see :mod:`.sharing`); take each chunk's letters in as it comes back."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    work = SharedWork(pool.executor, _make_chunk,
                      [(k, chunk, out_dir, duplex) for k, chunk in enumerate(chunks)],
                      here=lambda k, chunk, out, dup: _make_chunk(k, chunk, out, dup, handle))
    pending = {future: k for k, future in enumerate(work.futures)}

    def accept(k: int, result, reported: bool) -> None:
        statuses, part, error = result
        if not reported:
            for status in statuses:
                handle(status)
        parts[k] = part
        if tally is not None:
            tally.flush()
        if error:
            fail(error)

    def take(future) -> None:
        k = pending.pop(future)
        work.release(k)
        try:
            result = future.result()
        except BrokenProcessPool:
            fail((None, "", None, _("a worker process stopped unexpectedly")))
            return
        except Exception as exc:  # noqa: BLE001 - report, never hang
            fail((None, "", None, repr(exc)))
            return
        accept(k, result, reported=False)

    try:
        while pending and not fatal:
            for future in [f for f in pending if f.done()]:
                take(future)
            if fatal or not pending:
                break
            k = work.steal()
            if k is not None:  # made here, each letter reported as it was made
                pending.pop(work.futures[k])
                work.release(k)
                accept(k, work.take_here(k), reported=True)
                continue
            finished, _rest = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                take(future)
    finally:
        _drain(pending, take)


def _drain(pending: dict, take) -> None:
    """Stopped early (error, Ctrl-C): cancel what has not started and take in the chunks
    already running, so the count of letters made matches the files on disk."""
    for future in list(pending):
        if future.cancel():
            pending.pop(future)
    for future in list(pending):
        with contextlib.suppress(BaseException):
            future.result(timeout=60)
        if future.done() and not future.cancelled() and future.exception() is None:
            take(future)


# -- pack files -------------------------------------------------------------------------------

def _make_pack_files(loaded: LoadedCase, result: BatchResult, options: BatchOptions,
                     parts: list[Path], pool: _Pool | None = None) -> None:
    """Envelopes and labels drawn in chunks (many letters: by the workers) while this process
    joins print-all.pdf and writes the cover; then envelopes.pdf and labels.pdf joined the
    same way, streaming, as their chunks come back; then the manifest."""
    from . import cover, envelopes
    from .packparts import PackParts

    out_dir = result.out_dir
    printed = [j for j in result.jobs if j.status in ("made", "unchanged")]
    packs = None
    if printed:
        use_pool = pool is not None and len(printed) >= PARALLEL_PACK_MIN
        packs = PackParts(printed, envelopes.organizer_paper(printed, options.paper,
                                                             options.country),
                          options.envelope, options.return_address, out_dir,
                          pool.executor if use_pool else None,
                          pool.workers if use_pool else 1)
    try:
        if parts:  # print-all.pdf, from the pages the workers kept, while they draw the rest
            _stream(result, out_dir / PRINT_ALL, lambda sink: join_parts(parts, sink))
            result.files["print_all"] = out_dir / PRINT_ALL
        _write(result, out_dir / COVER, lambda: cover.render_cover(loaded, result, options))
        result.files["cover"] = out_dir / COVER
        if packs is not None:
            cut: list[int] = []
            for name, key in ((ENVELOPES, "envelopes"), (LABELS, "labels")):
                _stream(result, out_dir / name,
                        lambda sink, key=key: join_parts(packs.parts(key, cut), sink))
                result.files[key] = out_dir / name
            for position in cut:  # a label whose address does not fit at 8 pt: in the manifest
                job = printed[position]
                job.fit = "; ".join(part for part in (job.fit, _("label cut: write it by hand"))
                                    if part)
    finally:
        if packs is not None:
            packs.close()
    _write(result, out_dir / MANIFEST, lambda: manifest.render_manifest(result))
    result.files["manifest"] = out_dir / MANIFEST


def _stream(result: BatchResult, path: Path, write) -> None:
    """Like :func:`_write`, for a file written piece by piece to a temp file, then renamed."""
    fd, tmp = make_temp(path.parent)
    try:
        with os.fdopen(fd, "wb") as sink:
            write(sink)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise _write_failed(result, path, exc) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write(result: BatchResult, path: Path, make) -> None:
    try:
        atomic_write(path, make())
    except OSError as exc:
        raise _write_failed(result, path, exc) from exc


PARALLEL_PACK_MIN = 200  # fewer letters: envelopes and labels drawn here
