"""The local action ledger: how many letters, emails, calls and posts went to whom.

A UA asks supporters to report how many actions they took; the totals are shared with the
officials, so a count must never be lost (two batch runs at once) nor doubled (a resumed
batch, a re-sent email). Hence SQLite in WAL mode, every write in ``BEGIN IMMEDIATE``, a
busy timeout, and an optional idempotency ``key`` per record.

Privacy: rows hold case, target, channel, language, day and count. A supporter's name is
stored only when passed as ``supporter=``; keys derived from names or addresses are salted
hashes (the salt is random per ledger), never the text itself.

    with Ledger() as ledger:                    # $APPEAL_LEDGER or <user data>/ledger.sqlite3
        ledger.record("ua-100.21", "president", "letter", "es", key="batch:42")  # True
        ledger.record("ua-100.21", "president", "letter", "es", key="batch:42")  # False
        ledger.totals("ua-100.21")              # [Total(target_id, channel, count)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import AppealError, UsageError
from .files import file_problem
from .i18n import _

ENV_VAR = "APPEAL_LEDGER"
FILE_NAME = "ledger.sqlite3"
CHANNELS = ("letter", "email", "fax", "call", "post", "other")
BUSY_TIMEOUT_MS = 30_000
MAX_COUNT = 1_000_000  # actions in one record

# Each step takes the schema from version i to i+1 (PRAGMA user_version). Never edit a
# released step: add a new one. Version 1 was the first released ledger (no keys).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        lang TEXT NOT NULL DEFAULT '',
        day TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1 CHECK (count > 0)
    );
    CREATE INDEX actions_case ON actions (case_id);
    """,
    """
    ALTER TABLE actions ADD COLUMN key TEXT;
    ALTER TABLE actions ADD COLUMN supporter TEXT;
    ALTER TABLE actions ADD COLUMN recorded_at TEXT;
    CREATE UNIQUE INDEX actions_key ON actions (key) WHERE key IS NOT NULL;
    CREATE TABLE deliveries (
        key TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Total:
    target_id: str
    channel: str
    count: int


@dataclass(frozen=True)
class Action:
    case_id: str
    target_id: str
    channel: str
    lang: str
    day: str
    count: int
    supporter: str | None


@dataclass(frozen=True)
class Entry:
    """One action to record (see :meth:`Ledger.record`)."""

    case_id: str
    target_id: str
    channel: str
    lang: str = ""
    count: int = 1
    when: dt.date | None = None
    key: str | None = None
    supporter: str | None = None


class LedgerBusy(AppealError):
    """Another process held the ledger longer than the busy timeout."""


def default_path() -> Path:
    """``$APPEAL_LEDGER`` if set, else ``ledger.sqlite3`` in the user's data folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("appeal", appauthor=False)) / FILE_NAME


def _disk_full(path: Path, exc: Exception) -> bool:
    """SQLite says "database or disk is full" (SQLITE_FULL); some file systems answer a
    full disk with an I/O error instead, told apart by the free space left."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or "disk is full" in str(exc):
        return True
    if code is not None and code & 0xFF == sqlite3.SQLITE_IOERR:
        try:
            return os.statvfs(path.parent).f_bavail == 0
        except (OSError, AttributeError):
            return False
    return False


class LedgerFull(AppealError):
    """The disk holding the ledger is full: nothing is wrong with the ledger itself."""


def _full(path: Path) -> AppealError:
    return LedgerFull(
        _("The disk is full: could not write to the action ledger {path}.").format(path=path),
        _("Free some space on that disk, then run the same command again: what was already "
          "counted is not counted twice."),
    )


def _failed(path: Path, exc: Exception) -> AppealError:
    """The error for a ledger operation SQLite refused: a full disk, else a damaged file."""
    return _full(path) if _disk_full(path, exc) else _corrupt(path, exc)


class LedgerInconsistent(AppealError):
    """A ledger file that opens but lacks what this appeal wrote into it (a table, the salt)."""


def _inconsistent(path: Path, what: str) -> AppealError:
    return LedgerInconsistent(
        _("The action ledger {path} is inconsistent: {what}.").format(path=path, what=what),
        _("Restore a backup, or move the file aside (appeal then starts a new, empty ledger); "
          "set APPEAL_LEDGER to use another file."),
    )


def _corrupt(path: Path, exc: Exception) -> AppealError:
    return AppealError(
        _("The action ledger {path} is damaged or not a ledger ({error}).").format(
            path=path, error=exc
        ),
        _("Move the file aside (appeal then starts a new, empty ledger) or restore a backup; "
          "set APPEAL_LEDGER to use another file."),
    )


class Ledger:
    """One open ledger file. Use as a context manager; every method is one transaction."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._salt: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AppealError(
                _("Cannot create the folder of the action ledger {path}: {error}").format(
                    path=self.path, error=exc.strerror or exc
                )
            )
        self._refuse_links()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise _failed(self.path, exc)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._retry_while_busy(self._setup)
            self._check()
        except AppealError:
            self._db.close()
            raise
        except sqlite3.OperationalError as exc:
            self._db.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise self._busy(exc)
            raise _failed(self.path, exc)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise _failed(self.path, exc)

    def _refuse_links(self) -> None:
        """The ledger and SQLite's companion files only as regular files: a link planted in
        their place would have SQLite write the tally (or its journal) into another file."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = Path(str(self.path) + suffix)
            problem = file_problem(path)
            if problem not in (None, "missing"):
                raise AppealError(
                    _("Cannot open the action ledger: {path} is {what}.").format(
                        path=path, what=problem),
                    _("Move it aside, or set APPEAL_LEDGER to the ledger file itself."),
                )

    def _setup(self) -> None:
        # WAL is a property of the file: only the first opener switches it on. Switching (and
        # reading a WAL another process is creating) can answer "locked" without waiting for
        # the busy timeout, hence the retry loop around this step.
        if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    EXPECTED = {
        "actions": {"id", "case_id", "target_id", "channel", "lang", "day", "count", "key",
                    "supporter", "recorded_at"},
        "deliveries": {"key", "case_id", "message_id", "sent_at"},
        "meta": {"name", "value"},
    }

    def _check(self) -> None:
        """Refuse, when opening (before anything is counted), a ledger that lacks a table,
        a column or its salt, instead of failing half-way with an IndexError. A lost salt is
        put back only if no key depends on it yet."""
        for table, columns in self.EXPECTED.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if not have:
                raise _inconsistent(self.path, _("the table '{table}' is missing").format(
                    table=table))
            if columns - have:
                raise _inconsistent(self.path, _("the table '{table}' lacks {columns}").format(
                    table=table, columns=", ".join(sorted(columns - have))))
        rows = self._db.execute("SELECT value FROM meta WHERE name = 'salt'").fetchall()
        if rows and isinstance(rows[0][0], str) and rows[0][0]:
            self._salt = rows[0][0]
            return
        keyed = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM actions WHERE key IS NOT NULL) "
            "OR EXISTS (SELECT 1 FROM deliveries)").fetchone()[0]
        if keyed:
            raise _inconsistent(self.path, _("its salt is missing, so letters and emails "
                                             "already counted could not be recognised"))
        self._write(lambda db: db.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('salt', ?)",
            (secrets.token_hex(16),)))
        self._salt = self._db.execute(
            "SELECT value FROM meta WHERE name = 'salt'").fetchone()[0]

    def _retry_while_busy(self, fn) -> None:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.005
        while True:
            try:
                return fn()
            except (sqlite3.OperationalError, LedgerBusy) as exc:
                text = str(exc)
                busy = isinstance(exc, LedgerBusy) or "locked" in text or "busy" in text
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    # -- plumbing -------------------------------------------------------------------------
    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _busy(self, exc: Exception) -> AppealError:
        return LedgerBusy(
            _("The action ledger {path} stayed locked by another appeal: {error}").format(
                path=self.path, error=exc
            ),
            _("Wait for the other appeal command to finish and try again."),
        )

    def _write(self, fn):
        """Run ``fn(db)`` in one ``BEGIN IMMEDIATE`` transaction (writers queue, none lost)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result
        except sqlite3.OperationalError as exc:
            self._rollback()
            if "locked" in str(exc) or "busy" in str(exc):
                raise self._busy(exc)
            raise _failed(self.path, exc)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise _failed(self.path, exc)

    def _rollback(self) -> None:
        """After a failed COMMIT (a full disk) the transaction stays open: end it, so the
        next attempt (after space was freed) starts afresh."""
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _failed(self.path, exc)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise AppealError(
                _("The action ledger {path} was written by a newer appeal (schema {found}, this "
                  "appeal knows {known}).").format(
                    path=self.path, found=version, known=SCHEMA_VERSION
                ),
                _("Update appeal, or set APPEAL_LEDGER to use another file."),
            )

        def upgrade(db: sqlite3.Connection) -> None:
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may
            for step in range(current, SCHEMA_VERSION):  # have migrated while we waited
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step + 1}")
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('salt', ?)",
                       (secrets.token_hex(16),))

        self._write(upgrade)

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    # -- keys -----------------------------------------------------------------------------
    def digest(self, *parts: str) -> str:
        """A salted hash of ``parts``: lets a key depend on a name or address without storing
        it (the salt is random per ledger, so the hash cannot be looked up elsewhere)."""
        if self._salt is None:  # set when opening (_check); gone only if deleted since
            rows = self._read("SELECT value FROM meta WHERE name = 'salt'")
            if not rows:
                raise _inconsistent(self.path, _("its salt is missing"))
            self._salt = rows[0][0]
        h = hashlib.sha256(self._salt.encode())
        for part in parts:
            h.update(b"\x00" + part.encode("utf-8"))
        return h.hexdigest()[:24]

    # -- actions --------------------------------------------------------------------------
    def record(
        self,
        case_id: str,
        target_id: str,
        channel: str,
        lang: str = "",
        count: int = 1,
        when: dt.date | None = None,
        key: str | None = None,
        supporter: str | None = None,
    ) -> bool:
        """Add ``count`` actions. Returns False (and adds nothing) if ``key`` was recorded
        before, so a resumed batch or a re-sent email never counts twice."""
        return self.record_many([Entry(case_id, target_id, channel, lang, count, when, key,
                                       supporter)]) == 1

    def record_many(self, entries: Iterable["Entry"]) -> int:
        """Add many actions in one transaction (a batch of a thousand letters costs one commit,
        not a thousand); returns how many were new. Entries whose key was seen add nothing."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        rows = []
        for e in entries:
            if e.channel not in CHANNELS:
                raise UsageError(
                    _("Unknown channel '{channel}'.").format(channel=e.channel),
                    _("Use one of: {channels}").format(channels=", ".join(CHANNELS)),
                )
            if not isinstance(e.count, int) or e.count < 1:
                raise UsageError(_("The count must be a whole number of at least 1."))
            if e.count > MAX_COUNT:  # SQLite integers are 64-bit; no group writes a million letters
                raise UsageError(
                    _("The count {count} is too large: one record holds at most {max}.").format(
                        count=e.count, max=MAX_COUNT))
            day = (e.when or dt.date.today()).isoformat()
            rows.append((e.case_id, e.target_id, e.channel, e.lang or "", day, e.count, e.key,
                         e.supporter, now))
        if not rows:
            return 0

        def insert(db: sqlite3.Connection) -> int:
            new = 0
            for row in rows:
                cur = db.execute(
                    "INSERT INTO actions (case_id, target_id, channel, lang, day, count, key, "
                    "supporter, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING",
                    row,
                )
                new += cur.rowcount
            return new

        return self._write(insert)

    def forget_keys(self, keys: Iterable[str]) -> int:
        """Delete the actions recorded under ``keys`` (letters a batch removed before they
        were sent); returns how many actions went. One transaction."""
        keys = list(keys)
        if not keys:
            return 0

        def delete(db: sqlite3.Connection) -> int:
            gone = 0
            for key in keys:
                row = db.execute("SELECT COALESCE(SUM(count), 0) FROM actions WHERE key = ?",
                                 (key,)).fetchone()
                gone += row[0]
                db.execute("DELETE FROM actions WHERE key = ?", (key,))
            return gone

        return self._write(delete)

    def recorder(self, every: int = 50, seconds: float = 1.0) -> "Recorder":
        """Count actions as they happen, a few per transaction (see :class:`Recorder`)."""
        return Recorder(self, every, seconds)

    def has_key(self, key: str) -> bool:
        return bool(self._read("SELECT 1 FROM actions WHERE key = ?", (key,)))

    def totals(self, case_id: str) -> list[Total]:
        """Actions per target and channel, sorted by target then channel."""
        rows = self._read(
            "SELECT target_id, channel, SUM(count) FROM actions WHERE case_id = ? "
            "GROUP BY target_id, channel ORDER BY target_id, channel",
            (case_id,),
        )
        return [Total(t, c, n) for t, c, n in rows]

    def actions(self, case_id: str) -> list[Action]:
        rows = self._read(
            "SELECT case_id, target_id, channel, lang, day, count, supporter FROM actions "
            "WHERE case_id = ? ORDER BY day, id",
            (case_id,),
        )
        return [Action(*row) for row in rows]

    def cases(self) -> list[str]:
        return [r[0] for r in self._read("SELECT DISTINCT case_id FROM actions ORDER BY 1")]

    def forget(self, case_id: str) -> int:
        """Delete every record (and sent-mail state) of a case; returns the actions removed."""

        def delete(db: sqlite3.Connection) -> int:
            n = db.execute("SELECT COALESCE(SUM(count), 0) FROM actions WHERE case_id = ?",
                           (case_id,)).fetchone()[0]
            db.execute("DELETE FROM actions WHERE case_id = ?", (case_id,))
            db.execute("DELETE FROM deliveries WHERE case_id = ?", (case_id,))
            return n

        return self._write(delete)

    # -- sent mail ------------------------------------------------------------------------
    def was_sent(self, key: str) -> str | None:
        """The Message-ID sent under ``key``, or None: a rerun must not send it again."""
        rows = self._read("SELECT message_id FROM deliveries WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def mark_sent(self, key: str | Iterable[str], case_id: str, message_id: str, *,
                  entry: Entry | None = None) -> None:
        """Mark ``key`` (or several keys: a message and each recipient that took it) as sent,
        and count ``entry``, in one transaction: a message is never marked but not counted."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        keys = [key] if isinstance(key, str) else list(key)

        def mark(db: sqlite3.Connection) -> None:
            db.executemany(
                "INSERT OR IGNORE INTO deliveries (key, case_id, message_id, sent_at) "
                "VALUES (?, ?, ?, ?)", [(k, case_id, message_id, now) for k in keys])
            if entry is not None:
                day = (entry.when or dt.date.today()).isoformat()
                db.execute(
                    "INSERT INTO actions (case_id, target_id, channel, lang, day, count, key, "
                    "supporter, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING",
                    (entry.case_id, entry.target_id, entry.channel, entry.lang or "", day,
                     entry.count, entry.key, entry.supporter, now))

        self._write(mark)


class Recorder:
    """Entries committed in small transactions as they come (every ``every`` entries or
    ``seconds``, whichever first, and on :meth:`flush` / leaving the ``with`` block), so a
    long run that is killed keeps nearly everything it counted, without a commit per letter.
    Keyed entries make a rerun count only what is not counted yet. ``new`` is how many
    entries were new so far; ``pending`` how many are not committed yet.

        with ledger.recorder() as rec:
            for letter in made:
                rec.add(Entry(..., key=...))
        rec.new
    """

    def __init__(self, ledger: Ledger, every: int = 50, seconds: float = 1.0):
        self.ledger, self.every, self.seconds = ledger, max(1, every), seconds
        self.new = 0
        self._pending: list[Entry] = []
        self._since = time.monotonic()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def add(self, entry: Entry) -> None:
        self._pending.append(entry)
        if (len(self._pending) >= self.every
                or time.monotonic() - self._since >= self.seconds):
            self.flush()

    def flush(self) -> int:
        """Commit what is pending; returns how many of those were new. On failure (a full
        disk) the entries stay pending, for a later flush to try again."""
        self._since = time.monotonic()
        if not self._pending:
            return 0
        new = self.ledger.record_many(self._pending)
        self._pending = []
        self.new += new
        return new

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc_info) -> None:
        self.flush()


def letter_key(ledger: Ledger, letter, channel: str = "letter") -> str:
    """Same letter (case, target, language, signer, text) → same key, whatever the date, so a
    resumed run does not count it again; a different signer or text is another letter."""
    return f"{channel}:" + ledger.digest(
        letter.case_id, letter.target_id, letter.lang, letter.signature_name,
        *letter.paragraphs,
    )


def record_letters(
    letters: Iterable, channel: str = "letter", *, ledger: Ledger | None = None,
    when: dt.date | None = None,
) -> int:
    """Count letters made by compose or batch, once each; returns how many were new."""
    own = ledger is None
    ledger = ledger or Ledger()
    try:
        new = 0
        for letter in letters:
            lang = letter.lang.split("-")[0]
            if ledger.record(letter.case_id, letter.target_id, channel, lang, when=when,
                             key=letter_key(ledger, letter, channel)):
                new += 1
        return new
    finally:
        if own:
            ledger.close()
