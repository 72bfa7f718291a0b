"""The output folder's record of which letters this batch made: ``.appeal-batch-state.tsv``.

One line per letter, ``who<TAB>stem<TAB>digest``: ``who`` is the letter's identity (case,
target, language, the attendee's cleaned fields; see :func:`appeal.batch.plan.who_key`),
``stem`` its file name without extension, ``digest`` the fingerprint of its content, or ``-``
while it is being made. The parent claims every letter of a run (``-``) before any file is
written, so files a killed run left half-made are known to be ours and are remade; each
worker appends the finished line (one ``write`` per line, so lines from two workers never
mix). The last line for a ``who`` wins; a cut-off last line is ignored. The file is
rewritten (atomically, never through a link) at the start of every run, which compacts it.

Files made by the first layout (``stem<TAB>digest``, keyed by sheet line) are read as letters
no longer on the sheet, so a rerun removes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..files import atomic_write, open_append, read_regular

STATE_FILE = ".appeal-batch-state.tsv"
CLAIMED = "-"
MAX_STATE = 1 << 30  # a line per letter: far below this
OLD_LAYOUT = "v1:"  # prefix of the ``who`` of letters keyed by sheet line


@dataclass(frozen=True)
class Entry:
    stem: str
    digest: str  # CLAIMED while the letter is being made

    @property
    def finished(self) -> bool:
        return self.digest != CLAIMED


def read_state(out_dir: Path) -> dict[str, Entry]:
    """who -> the letter's stem and digest, as the last run left them."""
    state: dict[str, Entry] = {}
    try:  # a link planted in its place is not read through (nor written: write_state)
        text = read_regular(out_dir / STATE_FILE, MAX_STATE).decode("utf-8", errors="replace")
    except OSError:
        return state
    for line in text.split("\n"):
        parts = line.split("\t")
        if len(parts) == 3 and (parts[2] == CLAIMED or len(parts[2]) == 64):
            state[parts[0]] = Entry(parts[1], parts[2])
        elif len(parts) == 2 and len(parts[1]) == 64:
            state[OLD_LAYOUT + parts[0]] = Entry(parts[0], parts[1])
    return state


def line(who: str, stem: str, digest: str) -> bytes:
    return f"{who}\t{stem}\t{digest}\n".encode("utf-8", "surrogatepass")


def write_state(out_dir: Path, state: dict[str, Entry]) -> None:
    """Replace the record with ``state`` (atomically: a symlink in its place is replaced,
    never written through)."""
    atomic_write(out_dir / STATE_FILE,
                 b"".join(line(who, e.stem, e.digest) for who, e in state.items()))


class Appender:
    """A worker's finished lines, appended to the record."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / STATE_FILE
        self.fd: int | None = None

    def add(self, who: str, stem: str, digest: str) -> None:
        if self.fd is None:
            self.fd = open_append(self.path)
        os.write(self.fd, line(who, stem, digest))

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
