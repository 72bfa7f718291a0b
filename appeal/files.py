"""Safe file names and atomic writes.

A name derived from user text (a supporter called ``../../etc/x`` or ``CON``) must stay one
harmless path component; a crash or Ctrl-C mid-write must never leave half a letter behind.
"""

from __future__ import annotations

import os
import re
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
    stem = safe_stem(stem)
    ext = "." + extension.lstrip(".")
    budget = MAX_NAME_BYTES - len(ext.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", errors="ignore").rstrip(".- ")
    return stem + ext


def write_via_temp(tmp: Path, path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``tmp``, then rename it over ``path``; on any failure ``tmp`` goes.

    ``durable`` fsyncs before the rename (one letter); a batch of hundreds skips it per file
    and syncs once per run instead.
    """
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:  # mkstemp makes 0600; the letter gets the mode any other tool would give it
        os.fchmod(fd, 0o666 & ~_umask())
    finally:
        os.close(fd)
    write_via_temp(Path(tmp), path, data)


def sweep_temp_files(folder: Path) -> int:
    """Remove temp files (and folders of temp files) left by a run that was killed; returns
    how many files were removed."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.glob(TEMP_PREFIX + "*.tmp"):
            try:
                if leftover.is_dir():
                    for inner in leftover.iterdir():
                        inner.unlink()
                        removed += 1
                    leftover.rmdir()
                else:
                    leftover.unlink()
                    removed += 1
            except OSError:
                pass
    return removed


def prepare_folder(folder: Path) -> None:
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
