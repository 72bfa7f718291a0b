"""``run_batch``: plan the letters, make them in worker processes, then the pack files.

Work is split into contiguous shares, one per worker process (forked, so fonts and the DOCX
base package, set up once in the parent, are shared). Each worker writes its letters'
files atomically and keeps the same pages (drawn once) for its share of ``print-all.pdf``;
the parent reports progress, records each finished letter (for resuming, and for the action
ledger hook :func:`letter_made`) and writes the print file from the shares.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from collections.abc import Callable

from ..cases import LoadedCase
from ..errors import AppealError
from ..files import atomic_write, make_temp, open_append, prepare_folder, sweep_temp_files
from .write import flush_to_disk, temp_folder, write_file
from ..i18n import _, ngettext
from . import manifest
from .pack import PackShare, join_parts
from .plan import LETTERS_DIR, STATE_FILE, Job, mark_resumable, plan_jobs, reset_state
from .sheet import Sheet, read_sheet
import contextlib

PRINT_ALL = "print-all.pdf"
ENVELOPES = "envelopes.pdf"
LABELS = "labels.pdf"
COVER = "cover.pdf"
MANIFEST = "manifest.csv"
LETTERS_PER_WORKER_MIN = 40  # below this, forking costs more than it saves


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
    limit: int | None = None  # make only the first N letters
    force: bool = False  # remake letters even if unchanged, replace files we did not make
    jobs: int | None = None  # worker processes; default: the machine's cores
    progress: Callable[[int, int], None] | None = None  # (done, total)
    on_made: Callable[[Job], None] | None = None  # called once per letter made
    record: bool = True  # count each letter made in the local action ledger (appeal report)


@dataclass
class BatchResult:
    out_dir: Path
    sheet: Sheet
    jobs: list[Job]
    problems: list[tuple[int, str]]  # (sheet line, reason) of rows that were not made
    files: dict[str, Path] = field(default_factory=dict)  # print-all, envelopes, ...
    dry_run: bool = False
    counted: int | None = None  # letters newly counted in the action ledger (None: not recorded)
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
        lines: list[tuple[int | None, str]] = list(self.problems)
        lines += [(j.line, j.reason) for j in self.jobs if j.status == "failed"]
        return sorted(lines, key=lambda item: (item[0] is None, item[0] or 0))

    @property
    def ok(self) -> bool:
        return not self.failed_rows


def letter_made(job: Job, out_dir: Path, ledger=None):
    """Called in the parent process once for every letter made (never for letters skipped as
    unchanged or that failed): the ledger entry that counts it, or None. The key is the
    letter's file in this output folder, so a resumed or forced rerun never counts a letter
    twice, while two namesakes on the sheet (distinct files) count as two. Blank letters for
    walk-ins are not counted until someone signs them (``appeal record``). Entries are written
    together at the end of the run (also when it is interrupted), in one transaction."""
    if ledger is None or job.blank:
        return None
    from ..ledger import Entry

    letter = job.letter
    return Entry(letter.case_id, letter.target_id, "letter", letter.lang.split("-")[0],
                 key="batch:" + ledger.digest(str(out_dir.resolve()), job.stem))


def run_batch(loaded: LoadedCase, sheet_path: Path, out_dir: Path,
              options: BatchOptions = BatchOptions()) -> BatchResult:
    """Read the sheet, make every letter and the pack files; bad rows are collected, not raised.

    Raises :class:`AppealError` only for problems with the whole run: unreadable sheet,
    unknown option values, output folder not writable, disk full, interrupted.
    """
    from ..readiness import PRINT, select
    from ..render import check_formats

    formats = check_formats(tuple(options.formats))
    # A draft case: its own gaps stop the run; targets without an address are left out.
    ready = select(loaded, PRINT, options.targets)
    targets = options.targets or tuple(t.id for t in ready.targets)
    sheet = read_sheet(Path(sheet_path), options.encoding)
    problems = list(sheet.problems)
    jobs = plan_jobs(
        loaded, sheet, out_dir, formats=formats, lang=options.lang, targets=targets,
        country=options.country, date=options.date or dt.date.today(), paper=options.paper,
        blank=options.blank, problems=problems,
    )
    if options.limit is not None:
        jobs = jobs[: max(options.limit, 0)]
    mark_resumable(jobs, out_dir, options.force)
    result = BatchResult(out_dir, sheet, jobs, problems, dry_run=options.dry_run,
                         notes=ready.skipped_lines(PRINT))
    if options.dry_run:
        return result

    prepare_folder(out_dir)
    prepare_folder(out_dir / LETTERS_DIR, own=True)
    try:
        reset_state(out_dir)
    except OSError as exc:
        raise _write_failed(result, out_dir / STATE_FILE, exc) from exc
    try:
        _make_letters(result, formats, options)
        _make_pack_files(loaded, result, options)
    finally:
        sweep_temp_files(out_dir)
        sweep_temp_files(out_dir / LETTERS_DIR)
    return result


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

def _work(jobs: list[Job], share: int, out_dir: Path, duplex: bool, send) -> None:
    """Make ``jobs`` (one worker's share): write their files, keep their pages for the pack."""
    pack = PackShare(duplex)
    files = _Files(out_dir)
    try:
        if not _make_share(jobs, pack, files, send):
            return
    finally:
        files.close()
    data = pack.finish()
    part = None
    if data is not None:
        try:
            fd, part = make_temp(out_dir, f"pack-{share:03d}-")  # new, never a planted link
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            send(("fatal", None, str(part or out_dir), exc.errno, exc.strerror or str(exc)))
            return
    send(("part", share, str(part) if part is not None else None))


def _make_share(jobs: list[Job], pack: PackShare, files: _Files, send) -> bool:
    """Each letter's files and resume record; False after a fatal error (already sent)."""
    from ..fitnotes import fit_summary
    from ..render import render
    from ..render.pdf import layout_letter, render_captured

    for n, job in enumerate(jobs, 1):
        try:
            laid = layout_letter(job.letter)
            pdf, pages = render_captured(laid, pdf=job.needs_render and "pdf" in job.paths)
            if job.needs_render:
                data = {}
                for fmt in job.paths:
                    data[fmt] = pdf if fmt == "pdf" else render(job.letter, fmt, laid.fit)
            pack.add(job.letter, pages)
        except AppealError as exc:
            send(("failed", job.index, exc.message))
            continue
        if job.needs_render:
            for fmt, path in job.paths.items():
                try:
                    files.write(path, cast(bytes, data[fmt]))  # pdf: asked for above
                except OSError as exc:
                    send(("fatal", job.index, str(path), exc.errno, exc.strerror or str(exc)))
                    return False
            # Recorded for resuming as soon as its files are in place, by the worker itself.
            try:
                files.record(job)
            except OSError as exc:
                send(("fatal", job.index, str(files.state_path), exc.errno,
                      exc.strerror or str(exc)))
                return False
            send(("made", job.index, fit_summary(laid.fit)))
        else:
            send(("kept", job.index, fit_summary(laid.fit)))
        if n % 200 == 0:
            gc.collect()  # reportlab leaves reference cycles; keep memory flat
    return True


class _Files:
    """A worker's letter files and its lines of the resume record.

    Temp files go to a folder of the worker's own (see :func:`temp_folder`). The resume
    record (``stem<TAB>digest`` lines) is appended to by every worker, each line in one
    ``write`` to a file opened for appending, so lines from two workers never mix."""

    def __init__(self, out_dir: Path):
        self.state_path = out_dir / STATE_FILE
        self.tmp_folder: Path | None = None
        self.state_fd: int | None = None

    def write(self, path: Path, data: bytes) -> None:
        if self.tmp_folder is None:
            self.tmp_folder = temp_folder(path.parent)
        write_file(path, data, self.tmp_folder)

    def record(self, job: Job) -> None:
        if self.state_fd is None:
            self.state_fd = open_append(self.state_path)  # never through a link
        os.write(self.state_fd, f"{job.stem}\t{job.digest}\n".encode("utf-8", "surrogatepass"))

    def close(self) -> None:
        if self.state_fd is not None:
            os.close(self.state_fd)
            self.state_fd = None
        if self.tmp_folder is not None:
            with contextlib.suppress(OSError):  # swept at the end of the run
                self.tmp_folder.rmdir()
            self.tmp_folder = None


class _Batched:
    """A worker's messages to the parent, a few letters at a time (each message through the
    queue costs both processes a few system calls); sent at once when the share is done,
    on errors and when the worker is stopped."""

    SIZE = 16
    SECONDS = 0.2

    def __init__(self, put):
        import time

        self.put, self.clock = put, time.monotonic
        self.pending: list = []
        self.since = self.clock()

    def __call__(self, message) -> None:
        self.pending.append(message)
        if (message[0] not in ("made", "kept", "failed") or len(self.pending) >= self.SIZE
                or self.clock() - self.since >= self.SECONDS):
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.put(("batch", self.pending))
            self.pending = []
        self.since = self.clock()


def _child(jobs, share, out_dir, duplex, queue) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us cleanly
    signal.signal(signal.SIGTERM, lambda *_a: (_ for _ in ()).throw(SystemExit(1)))
    send = _Batched(queue.put)
    try:
        _work(jobs, share, out_dir, duplex, send)
    except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
        send(("fatal", None, "", None, repr(exc)))
    finally:
        send.flush()
        queue.close()
        queue.join_thread()


WARM_UP_LETTERS = 4


def _warm_up(jobs: list[Job], formats: tuple[str, ...]) -> None:
    """Set up fonts and DOCX base packages once, before forking, so workers share them; lay
    out and draw a first letter of each kind (paper, language, target), so the workers share
    the imports, the sample letter's paragraphs broken into lines and drawn, and the font
    subsets; then move everything made so far out of the garbage collector's sight (workers
    would otherwise each walk it again and again)."""
    from ..render import prepare
    from ..render.pdf import layout_letter, render_captured

    prepare("pdf", "", "")  # print-all.pdf is drawn whatever the formats
    for paper, lang in {(j.letter.paper, j.letter.lang) for j in jobs if j.needs_render}:
        for fmt in formats:
            prepare(fmt, paper, lang)
    kinds: dict[tuple, Job] = {}
    for job in jobs:
        kind = (job.letter.paper, job.letter.lang, job.letter.target_id)
        if kind not in kinds:
            kinds[kind] = job
            if len(kinds) == WARM_UP_LETTERS:
                break
    for job in kinds.values():
        with contextlib.suppress(AppealError, RuntimeError):  # the worker reports it
            render_captured(layout_letter(job.letter), pdf=False)
    gc.freeze()  # undone when the letters are made


class _Messages:
    """Takes the workers' messages in order: job outcomes, print-all parts, a fatal error."""

    def __init__(self, result: BatchResult, jobs: list[Job], options: BatchOptions, ledger):
        self.result, self.options, self.ledger = result, options, ledger
        self.by_index = {j.index: j for j in jobs}
        self.total = len(jobs)
        self.done = 0
        self.to_count: list = []
        self.parts: dict[int, str | None] = {}
        self.fatal: list[AppealError] = []

    def __call__(self, message) -> None:
        kind = message[0]
        if kind in ("made", "kept", "failed"):
            self._outcome(kind, self.by_index[message[1]], message)
        elif kind == "part":
            self.parts[message[1]] = message[2]
        elif kind == "fatal" and not self.fatal:
            _index, path, err, text = message[1:]
            self.fatal.append(
                _write_failed(self.result, Path(path), OSError(err, text)) if err
                else AppealError(_("A worker process failed: {error}").format(error=text)))

    def _outcome(self, kind: str, job: Job, message) -> None:
        self.done += 1
        if kind != "failed":
            job.fit = message[2]  # text set smaller, a second page: for the manifest
        if kind == "made":
            job.status = "made"
            entry = letter_made(job, self.result.out_dir, self.ledger)
            if entry is not None:
                self.to_count.append(entry)
            if self.options.on_made:
                self.options.on_made(job)
        elif kind == "failed":
            job.status, job.reason = "failed", message[2]
        if self.options.progress:
            self.options.progress(self.done, self.total)


def _make_letters(result: BatchResult, formats: tuple[str, ...], options: BatchOptions) -> None:
    jobs = [j for j in result.jobs if j.status in ("planned", "unchanged")]
    total = len(jobs)
    if not total:
        return
    out_dir = result.out_dir
    ledger = None
    if options.record:
        from ..ledger import Ledger

        ledger = Ledger()
        result.counted = 0
    handle = _Messages(result, jobs, options, ledger)
    cores = options.jobs or os.cpu_count() or 1
    workers = max(1, min(cores, total // LETTERS_PER_WORKER_MIN))
    shares = [jobs[i * total // workers:(i + 1) * total // workers] for i in range(workers)]
    old_term = None
    if threading.current_thread() is threading.main_thread():
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        _warm_up(jobs, formats)
        if workers == 1:
            def send(message):
                handle(message)
                if message[0] == "fatal":
                    raise _Stop

            with contextlib.suppress(_Stop):
                _work(shares[0], 0, out_dir, options.duplex, send)
        else:
            _run_children(shares, out_dir, options.duplex, handle, handle.fatal)
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
        gc.unfreeze()
        if ledger is not None:
            try:
                result.counted = (result.counted or 0) + ledger.record_many(handle.to_count)
            finally:
                ledger.close()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if handle.fatal:
        raise handle.fatal[0]
    flush_to_disk(out_dir)
    _join_print_all(result, handle.parts)


def _join_print_all(result: BatchResult, parts: dict[int, str | None]) -> None:
    ordered = [Path(part) for _k, part in sorted(parts.items()) if part]
    if ordered:
        target = result.out_dir / PRINT_ALL
        try:
            atomic_write(target, join_parts(ordered))
        except OSError as exc:
            raise _write_failed(result, target, exc) from exc
        result.files["print_all"] = target


class _Stop(Exception):
    pass


def _raise_interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _run_children(shares, out_dir, duplex, handle, fatal) -> None:
    import multiprocessing as mp
    import queue as queue_mod

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_child, args=(share, k, out_dir, duplex, queue), daemon=True)
             for k, share in enumerate(shares)]
    for p in procs:
        p.start()
    finished = 0
    try:
        while finished < len(procs) and not fatal:
            try:
                message = queue.get(timeout=0.5)
            except queue_mod.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    handle(("fatal", None, "", None, _("a worker process stopped unexpectedly")))
                continue
            for one in message[1]:  # a worker's batch
                handle(one)
                if one[0] == "part":
                    finished += 1
    finally:
        if fatal or finished < len(procs):
            for p in procs:
                if p.is_alive():
                    p.terminate()
            _drain(queue, procs, handle)
        for p in procs:
            p.join(5)


def _drain(queue, procs, handle) -> None:
    """After stopping the workers: take in the letters they finished and reported on their
    way out, so the count of letters made (and the action ledger) matches the files."""
    import queue as queue_mod
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            message = queue.get(timeout=0.05)
        except queue_mod.Empty:
            if all(p.exitcode is not None for p in procs):
                return
            continue
        except (OSError, EOFError, ValueError):
            return
        for one in message[1]:
            if one[0] in ("made", "kept", "failed"):
                handle(one)


# -- pack files -------------------------------------------------------------------------------

def _make_pack_files(loaded: LoadedCase, result: BatchResult, options: BatchOptions) -> None:
    from . import cover, envelopes

    out_dir = result.out_dir
    printed = [j for j in result.jobs if j.status in ("made", "unchanged")]
    outputs = []
    if printed:
        paper = envelopes.organizer_paper(printed, options.paper, options.country)
        outputs.append((ENVELOPES, "envelopes", lambda: envelopes.render_envelopes(
            printed, paper, options.envelope, options.return_address)))
        outputs.append((LABELS, "labels", lambda: _labels(printed, paper)))
    outputs.append((COVER, "cover", lambda: cover.render_cover(loaded, result, options)))
    outputs.append((MANIFEST, "manifest", lambda: manifest.render_manifest(result)))
    # Many letters: envelopes.pdf is made in a second process while this one makes the rest.
    helper = _start_helper(out_dir, outputs.pop(0)) if (
        len(printed) >= PARALLEL_PACK_MIN and (options.jobs or os.cpu_count() or 1) > 1) else None
    try:
        for name, key, make in outputs:
            path = out_dir / name
            data = make()
            try:
                atomic_write(path, data)
            except OSError as exc:
                raise _write_failed(result, path, exc) from exc
            result.files[key] = path
    finally:
        if helper is not None:
            _finish_helper(result, helper)


PARALLEL_PACK_MIN = 200


def _labels(printed: list[Job], paper: str) -> bytes:
    """labels.pdf; a label whose address does not fit at 8 pt is marked in the manifest."""
    from . import labels

    misfits: list[Job] = []
    data = labels.render_labels(printed, paper, misfits)
    for job in misfits:
        job.fit = "; ".join(part for part in (job.fit, _("label cut: write it by hand")) if part)
    return data


def _start_helper(out_dir: Path, output):
    import multiprocessing as mp

    name, key, make = output
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            atomic_write(out_dir / name, make())
            send.send(None)
        except OSError as exc:
            send.send((exc.errno, exc.strerror or str(exc)))
        except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
            send.send((None, repr(exc)))

    proc = ctx.Process(target=run, daemon=True)
    proc.start()
    send.close()
    return proc, receive, name, key


def _finish_helper(result: BatchResult, helper) -> None:
    proc, receive, name, key = helper
    try:
        error = receive.recv()
    except EOFError:
        error = (None, _("a worker process stopped unexpectedly"))
    finally:
        receive.close()
        proc.join(5)
    path = result.out_dir / name
    if error is None:
        result.files[key] = path
        return
    err, text = error
    if err:
        raise _write_failed(result, path, OSError(err, text))
    raise AppealError(_("A worker process failed: {error}").format(error=text))
