"""Writing hundreds of letter files: atomic, but without one fsync per file.

Each file is written to a temp name in the same folder and renamed into place, so an
interrupted run (Ctrl-C, kill) never leaves a half-written letter under a real name; left-over
temp files are swept by the next run. Each worker process keeps its temp files in a folder of
its own inside the letters folder (:func:`temp_folder`): creating a file locks its folder, and
on some file systems (ext4 in a VM) creating is slow enough that two workers creating in one
folder wait for each other; the rename into place is quick. Durability against power loss
is bought once for the whole run (:func:`flush_to_disk`), not per file: an fsync per file costs more than drawing the
letter on some disks.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..files import TEMP_PREFIX, make_temp_folder


def temp_folder(folder: Path) -> Path:
    """This process's folder for temp files inside ``folder`` (on the same file system, so a
    rename moves a finished file into place atomically); swept like a temp file. Always a
    new folder (never one found there, which could be a planted link)."""
    return make_temp_folder(folder)


_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))


def write_file(path: str | Path, data: bytes, tmp_folder: Path | None = None) -> None:
    """:func:`~appeal.files.write_via_temp` without fsync, in plain system calls: a batch
    writes two files per letter, and Python's buffered file objects cost more than the
    writing."""
    folder, base = os.path.split(path)
    name = f"{TEMP_PREFIX}{os.getpid()}-{base}.tmp"
    tmp = os.path.join(tmp_folder if tmp_folder is not None else folder, name)
    fd = os.open(tmp, _FLAGS, 0o666)  # new and exclusive: never through a planted link
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def flush_to_disk(folder: Path) -> None:
    """Commit everything written so far (once per run)."""
    with contextlib.suppress(AttributeError, OSError):
        os.sync()
