"""Safe file names, atomic writes, and opening only what the user named.

A name derived from user text (a supporter called ``../../etc/x`` or ``CON``) must stay one
harmless path component; a crash or Ctrl-C mid-write must never leave half a letter behind.
A symbolic link, device or FIFO planted where appeal keeps its own files (a case's template,
a temp file, a state file) is never followed: appeal reads and writes only regular files it
can see are the ones meant (:func:`read_in_folder`, :func:`open_append`, the temp sweep).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from .errors import AppealError
from .i18n import _, ngettext
import contextlib

TEMP_PREFIX = ".appeal-"
MAX_NAME_BYTES = 255
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def safe_stem(text: str, fallback: str = "letter") -> str:
    """One path component from free text: no separators, reserved names or dot tricks."""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # every control or format character is unprintable
        text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = re.sub(r"-{2,}", "-", text).strip(".- ")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def safe_filename(stem: str, extension: str) -> str:
    """``stem`` made safe and cut (on a character boundary) so the whole name fits 255 bytes."""
    return fit_filename(safe_stem(stem), extension)


def fit_filename(stem: str, extension: str) -> str:
    """A stem already made safe (:func:`safe_stem`) with its extension, cut to fit 255 bytes."""
    ext = "." + extension.lstrip(".")
    budget = MAX_NAME_BYTES - len(ext.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", errors="ignore").rstrip(".- ")
    return stem + ext


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once (and is then refused)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# The *at system calls (open/stat/unlink relative to an open folder) close the gap between
# looking and acting; where they are missing (Windows) the same checks go by path.
_FD_OPS = (os.open in os.supports_dir_fd and os.scandir in os.supports_fd
           and os.unlink in os.supports_dir_fd and os.stat in os.supports_dir_fd)
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r".*\.tmp", re.S)


class NotRegularFile(OSError):
    """A path appeal refuses to open: a symbolic link, a folder, a device, a FIFO, a socket,
    or (for files appeal appends to) a file with a second hard link. ``strerror`` says which,
    so callers that report ``exc.strerror`` need no special case."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return _("a symbolic link (appeal does not follow links for this file)")
    if stat.S_ISDIR(mode):
        return _("a folder, not a file")
    return _("a device, FIFO or socket, not a regular file")


def _refuse(path, mode: int) -> NotRegularFile:
    return NotRegularFile(errno.ELOOP if stat.S_ISLNK(mode) else errno.EINVAL, _kind(mode),
                          str(path))


def open_regular(path: Path | str, flags: int = os.O_RDONLY, mode: int = 0o666, *,
                 dir_fd: int | None = None) -> int:
    """A file descriptor for ``path``, only if it is a regular file reached without
    following a symbolic link in its last component; else :class:`NotRegularFile`."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):  # a link (EMLINK: BSD)
            try:
                st = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
            except OSError:
                raise exc from None
            if not stat.S_ISREG(st.st_mode):
                raise _refuse(path, st.st_mode) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(path, st.st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path | str, limit: int, *, dir_fd: int | None = None) -> bytes:
    """At most ``limit + 1`` bytes of a regular file (see :func:`open_regular`): a caller
    that gets more than ``limit`` knows the file is too large without reading it whole."""
    fd = open_regular(path, dir_fd=dir_fd)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit + 1)


def read_in_folder(folder: Path, name: str, limit: int) -> bytes:
    """A file directly inside ``folder`` (a case's ``case.yaml`` or template), read only if it
    is a regular file there: a symbolic link (to ``/etc/passwd``, to a secrets file, even to
    a sibling), a folder, device or FIFO is refused with :class:`NotRegularFile`. The folder
    itself is the one the user named, reached however their own paths say."""
    if not name or name in (".", "..") or "/" in name or os.sep in name:
        raise NotRegularFile(errno.EINVAL, _("not a file name inside the case folder"),
                             str(folder / name))
    if not _FD_OPS:  # (Windows) checked by path: still never through a link
        problem = file_problem(folder / name)
        if problem and problem != "missing":
            raise NotRegularFile(errno.EINVAL, problem, str(folder / name))
        return read_regular(folder / name, limit)
    dir_fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        return read_regular(name, limit, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)


def file_problem(path: Path) -> str | None:
    """None if ``path`` is a regular file (not a link to one), else what it is instead:
    "missing" or a translated description. For checking a case's files before use."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None if stat.S_ISREG(mode) else _kind(mode)


def open_append(path: Path) -> int:
    """An internal state file opened for appending lines (created if missing), never through
    a symbolic link and never a file with a second hard link (appending would change the
    file at the other name too)."""
    fd = open_regular(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    if os.fstat(fd).st_nlink > 1:
        os.close(fd)
        raise NotRegularFile(errno.EMLINK, _("a file with another hard link; appeal does not "
                                             "write through links"), str(path))
    return fd


def write_via_temp(tmp: Path, path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a new file ``tmp``, then rename it over ``path``; on any failure
    ``tmp`` goes. ``tmp`` is created exclusively (mode "x": never opened through a planted
    link, which makes it fail instead), and the rename replaces whatever ``path`` was, a link
    included, without following it.

    ``durable`` fsyncs before the rename (one letter); a batch of hundreds skips it per file
    and syncs once per run instead.
    """
    try:
        with open(tmp, "xb") as fh:
            _write(fh, data, durable)
    except FileExistsError:
        raise  # not ours: left alone
    except BaseException:
        _discard(tmp)
        raise
    _rename(tmp, path)


def _write(fh, data: bytes, durable: bool) -> None:
    fh.write(data)
    if durable:
        fh.flush()
        os.fsync(fh.fileno())


def _rename(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``."""
    fd, tmp = make_temp(path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # the file mkstemp made, never reopened by name
            # mkstemp makes 0600; the letter gets the mode any other tool would give it
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            _write(fh, data, True)
    except BaseException:
        _discard(tmp)
        raise
    _rename(tmp, path)


def make_temp(folder: Path, tag: str = "") -> tuple[int, Path]:
    """A new, empty temp file of ours in ``folder`` (open file descriptor and path), with a
    name the sweep recognises: created exclusively, so nothing planted is ever written to."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX + tag, suffix=".tmp")
    return fd, Path(tmp)


def make_temp_folder(folder: Path) -> Path:
    """A new folder of ours for temp files inside ``folder`` (swept like a temp file)."""
    return Path(tempfile.mkdtemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                 suffix=".tmp"))


def _ours(st: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def _sweep_entries(dir_fd: int, folders: bool) -> int:
    """Remove our regular temp files directly in ``dir_fd`` (and, if ``folders``, our temp
    folders one level down); links, other people's files and anything deeper stay."""
    removed = 0
    with os.scandir(dir_fd) as entries:
        names = [e.name for e in entries if _TEMP_NAME.fullmatch(e.name)]
    for name in names:
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if not _ours(st):
                continue
            if stat.S_ISREG(st.st_mode):
                os.unlink(name, dir_fd=dir_fd)
                removed += 1
            elif stat.S_ISDIR(st.st_mode) and folders:
                inner = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC,
                                dir_fd=dir_fd)
                try:
                    same = os.fstat(inner)
                    if (same.st_ino, same.st_dev) != (st.st_ino, st.st_dev):
                        continue  # swapped while we looked
                    removed += _sweep_entries(inner, folders=False)
                finally:
                    os.close(inner)
                os.rmdir(name, dir_fd=dir_fd)  # only if now empty
        except OSError:
            pass
    return removed


def sweep_temp_files(folder: Path) -> int:
    """Remove temp files (and folders of temp files) left by a run that was killed; returns
    how many files were removed.

    Only what a run of ours left can go: entries named ``.appeal-*.tmp`` that are regular
    files (or folders holding only such files) owned by this user. A link of that name, to a
    file or a folder, is left alone and never followed; nothing is removed recursively."""
    if not _FD_OPS:
        return _sweep_paths(Path(folder), folders=True)
    try:
        dir_fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return 0
    try:
        return _sweep_entries(dir_fd, folders=True)
    finally:
        os.close(dir_fd)


def _sweep_paths(folder: Path, folders: bool) -> int:
    """:func:`_sweep_entries` by path, where the system has no ``*at`` calls (Windows)."""
    removed = 0
    try:
        with os.scandir(folder) as entries:
            found = [e for e in entries if _TEMP_NAME.fullmatch(e.name)]
    except OSError:
        return 0
    for entry in found:
        try:
            st = entry.stat(follow_symlinks=False)
            if not _ours(st) or entry.is_symlink():
                continue
            if stat.S_ISREG(st.st_mode):
                os.unlink(entry.path)
                removed += 1
            elif stat.S_ISDIR(st.st_mode) and folders:
                removed += _sweep_paths(Path(entry.path), folders=False)
                os.rmdir(entry.path)
        except OSError:
            pass
    return removed


def remove_folder(path: Path) -> None:
    """Remove a folder appeal replaced (an imported case's old version): a symbolic link is
    removed itself, never followed; a real folder goes with what is in it (``shutil.rmtree``
    removes links found inside without following them)."""
    import shutil

    try:
        if os.path.islink(path) or not os.path.isdir(path):
            os.unlink(path)
        else:
            shutil.rmtree(path)
    except OSError:
        pass


def prepare_folder(folder: Path, *, own: bool = False) -> None:
    """Create ``folder`` if needed and sweep our stale temp files from it. ``own``: a folder
    appeal names inside the user's (a batch's ``letters/``), which must be a real folder, not
    a link leading elsewhere."""
    if own and os.path.islink(folder):
        raise AppealError(
            _("{folder} is a symbolic link; appeal writes its files only into a real folder "
              "inside the output folder.").format(folder=folder),
            _("Remove the link, or choose another --out folder."),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AppealError(
            _("Cannot create the output folder {folder}: {error}").format(
                folder=folder, error=exc.strerror or exc
            )
        )
    if not folder.is_dir():
        raise AppealError(_("{folder} is not a folder.").format(folder=folder))
    sweep_temp_files(folder)


def write_error(path: Path, exc: OSError, written: int) -> AppealError:
    return AppealError(
        _("Could not write {path}: {error}").format(path=path, error=exc.strerror or exc),
        ngettext(
            "{n} file was written before the error; nothing is half-written.",
            "{n} files were written before the error; nothing is half-written.",
            written,
        ).format(n=written),
    )
