"""Reading what the user points appeal at: at most a given number of bytes, from a file or from
standard input ('-'), with a clear error instead of an OSError.

A file given by mistake (a 50 MB log, /dev/zero, a folder) is refused at once instead of being
read whole; every front end and every reader of user files shares this one gate.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import AppealError, message
from .i18n import N_

# Bytes read from a note or body file at most: generous for the character limits of
# appeal.text (4 bytes a character, blank lines, trailing spaces).
MAX_TEXT_FILE = 256_000
MAX_SIGNATURE_FILE = 10_000_000


def read_limited(path: Path | str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` ('-': standard input), so a caller can tell
    "too large" by the length; an unreadable path (missing, a folder, no permission) is an
    :class:`AppealError`."""
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read(limit + 1)
        with Path(path).open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise AppealError(message(N_("Cannot read {path}: {error}"), path=path,
                                  error=exc.strerror or exc))


def read_text_file(path: Path | str, what: str) -> str:
    """A UTF-8 text file (BOM allowed) or '-' for standard input, of a note's or body's size;
    ``what`` names the option or field in errors."""
    raw = read_limited(path, MAX_TEXT_FILE)
    if len(raw) > MAX_TEXT_FILE:
        raise AppealError(
            message(N_("{what}: {path} is larger than {kb} KB: is it the right file?"),
                    what=what, path=path, kb=MAX_TEXT_FILE // 1000),
            message(N_("A note or a letter body is plain text of a few thousand characters.")),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppealError(
            message(N_("{what}: {path} is not UTF-8 text (byte {pos})."),
                    what=what, path=path, pos=exc.start + 1),
            message(N_("Save the file as UTF-8 and try again.")),
        )


def read_signature_file(path: Path | str) -> bytes:
    """The bytes of a signature scan (checked as an image later, by appeal.signature)."""
    raw = read_limited(path, MAX_SIGNATURE_FILE)
    if len(raw) > MAX_SIGNATURE_FILE:
        raise AppealError(
            message(N_("signature: the file is larger than {mb} MB."),
                    mb=MAX_SIGNATURE_FILE // 1_000_000),
            message(N_("Use a PNG or JPEG scan of your signature.")),
        )
    return raw
