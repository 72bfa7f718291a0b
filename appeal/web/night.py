"""The night's state: the print queue, what was printed, the counts. One JSON file.

Every change is written at once and atomically (:func:`appeal.files.atomic_write`), so a
Ctrl-C or a power cut leaves either the old state or the new one, never half of either.
Attendees' names and notes are kept only while their letters wait in the queue: once
printed (or when the organizer clears the night) only case, official, language and channel
remain, as in the action ledger.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AppealError
from ..files import atomic_write, prepare_folder
from ..i18n import _
from .letters import Draft

STATE_FILE = "night.json"
LOCK_FILE = "night.lock"
MAX_QUEUE = 2000  # letters waiting at once: far more than one printer prints in a night


@dataclass
class Queued:
    id: str
    draft: Draft
    at: str  # ISO time it was queued

    def as_dict(self) -> dict:
        return {"id": self.id, "draft": self.draft.as_dict(), "at": self.at}


@dataclass
class State:
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    queue: list[Queued] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)  # "case\ttarget\tchannel" -> count
    counted: set[str] = field(default_factory=set)  # salted keys of letters already counted
    log: list[dict] = field(default_factory=list)  # what happened: no names
    prints: list[dict] = field(default_factory=list)  # files made by "print the queue"


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Night:
    """The state of one night in ``folder``; every method is one locked, saved change."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        prepare_folder(self.folder)  # also sweeps temp files a killed run left behind
        self.path = self.folder / STATE_FILE
        self.lock = threading.RLock()
        self._hold_folder()
        self.state = self._load()

    def _hold_folder(self) -> None:
        """One server per folder: a second one would overwrite the first one's queue."""
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one organizer, one laptop
            return
        self._lock_file = open(self.folder / LOCK_FILE, "a")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock_file.close()
            raise AppealError(
                _("Another appeal serve is already using {folder}.").format(folder=self.folder),
                _("Stop it first, or choose another --out folder."))

    def close(self) -> None:
        lock = getattr(self, "_lock_file", None)
        if lock is not None:
            lock.close()  # releases the lock

    # -- persistence ----------------------------------------------------------------------
    def _load(self) -> State:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return State()
        except OSError as exc:
            raise AppealError(_("Cannot read {path}: {error}").format(
                path=self.path, error=exc.strerror or exc))
        try:
            data = json.loads(raw)
            return State(
                salt=data["salt"],
                queue=[Queued(q["id"], Draft.from_dict(q["draft"]), q["at"])
                       for q in data["queue"]],
                tally={k: int(v) for k, v in data["tally"].items()},
                counted=set(data["counted"]),
                log=list(data["log"]),
                prints=list(data["prints"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise AppealError(
                _("{path} is not the state of a letter-writing night ({error}).").format(
                    path=self.path, error=exc),
                _("Move it aside, or choose another --out folder."))

    def _save(self) -> None:
        s = self.state
        data = {"version": 1, "salt": s.salt, "queue": [q.as_dict() for q in s.queue],
                "tally": s.tally, "counted": sorted(s.counted), "log": s.log,
                "prints": s.prints}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    # -- queue ----------------------------------------------------------------------------
    def enqueue(self, draft: Draft) -> str:
        with self.lock:
            if len(self.state.queue) >= MAX_QUEUE:
                raise AppealError(_("Tonight's print queue is full."),
                                  _("Ask the organizer to print the queue, then try again."))
            item = Queued(uuid.uuid4().hex, draft, _now())
            self.state.queue.append(item)
            for target in draft.targets:
                self.state.log.append({"at": item.at, "case": draft.case_id, "target": target,
                                       "lang": draft.lang, "what": "queued", "id": item.id})
            self._save()
            return item.id

    def queue(self) -> list[Queued]:
        with self.lock:
            return list(self.state.queue)

    def remove(self, ids: set[str], why: str) -> int:
        """Take entries out of the queue (printed or cleared): their names go with them."""
        with self.lock:
            kept = [q for q in self.state.queue if q.id not in ids]
            gone = len(self.state.queue) - len(kept)
            self.state.queue = kept
            at = _now()
            for entry in self.state.log:
                if entry.get("id") in ids and entry["what"] == "queued":
                    entry["what"] = why
                    entry["done"] = at
            self._save()
            return gone

    def clear(self) -> int:
        with self.lock:
            return self.remove({q.id for q in self.state.queue}, "cleared")

    # -- counts ---------------------------------------------------------------------------
    def letter_key(self, letter, channel: str) -> str:
        """Same letter (case, official, language, signer, text) → same key: printing a
        letter that was also downloaded counts it once, as the ledger does."""
        h = hashlib.sha256(self.state.salt.encode())
        for part in (channel, letter.case_id, letter.target_id, letter.lang,
                     letter.signature_name, *letter.paragraphs):
            h.update(b"\x00" + part.encode("utf-8"))
        return h.hexdigest()[:24]

    def count(self, letters, channel: str, *, printed: set[str] | None = None,
              files: list[str] | None = None) -> int:
        """Add letters to the night's tally (once each); with ``printed``, also take those
        queue entries out and remember the print files, in the same saved change."""
        with self.lock:
            new = 0
            for letter in letters:
                key = self.letter_key(letter, channel)
                if key in self.state.counted:
                    continue
                self.state.counted.add(key)
                slot = f"{letter.case_id}\t{letter.target_id}\t{channel}"
                self.state.tally[slot] = self.state.tally.get(slot, 0) + 1
                new += 1
            if files is not None:
                self.state.prints.append({"at": _now(), "files": files,
                                          "letters": len(letters)})
            if printed:
                self.remove(printed, "printed")  # saves
            else:
                self._save()
            return new

    def tally(self) -> list[tuple[str, str, str, int]]:
        """(case, official, channel, count), sorted."""
        with self.lock:
            rows = [(*k.split("\t"), n) for k, n in self.state.tally.items()]
        return sorted(rows)

    def waiting(self) -> dict[tuple[str, str], int]:
        """Letters in the queue per (case, official)."""
        out: dict[tuple[str, str], int] = {}
        with self.lock:
            for q in self.state.queue:
                for target in q.draft.targets:
                    out[(q.draft.case_id, target)] = out.get((q.draft.case_id, target), 0) + 1
        return out

    def prints(self) -> list[dict]:
        with self.lock:
            return list(self.state.prints)

    # -- manifest -------------------------------------------------------------------------
    def manifest(self) -> bytes:
        """The night as CSV (UTF-8 with BOM for Excel): one row per letter queued, printed or
        cleared; names only of letters still waiting (they are gone once printed)."""
        from ..batch.manifest import defuse

        names = {q.id: q.draft.name for q in self.queue()}
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(["time", "case", "target", "language", "status", "name"])
        with self.lock:
            for entry in self.state.log:
                writer.writerow([defuse(str(v)) for v in (
                    entry.get("done") or entry["at"], entry["case"], entry["target"],
                    entry["lang"], entry["what"], names.get(entry.get("id"), ""))])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")

    def note_download(self, letter, channel: str) -> None:
        with self.lock:
            self.state.log.append({"at": _now(), "case": letter.case_id,
                                   "target": letter.target_id,
                                   "lang": letter.lang.split("-")[0],
                                   "what": "downloaded" if channel == "letter" else channel})
        self.count([letter], channel)
