"""The action ledger: idempotent keys, totals, migrations, concurrency, damaged files."""

import multiprocessing as mp
import os
import sqlite3
from pathlib import Path

import pytest

from appeal.api import Supporter, compose_letters, load_case
from appeal.errors import AppealError
from appeal.ledger import SCHEMA_VERSION, Ledger, Total, default_path, record_letters


def test_record_is_idempotent_by_key(tmp_path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        assert ledger.record("ua-1", "president", "letter", "es", key="batch:1")
        assert not ledger.record("ua-1", "president", "letter", "es", key="batch:1")
        assert ledger.record("ua-1", "president", "call")  # no key: always counts
        assert ledger.record("ua-1", "president", "call", count=3)
        assert ledger.record("ua-2", "x", "fax")
        assert ledger.totals("ua-1") == [Total("president", "call", 4),
                                         Total("president", "letter", 1)]
        assert ledger.forget("ua-1") == 5
        assert ledger.totals("ua-1") == []
        assert ledger.cases() == ["ua-2"]


def test_rejects_unknown_channel_and_bad_count(tmp_path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        with pytest.raises(AppealError, match="Unknown channel"):
            ledger.record("ua-1", "t", "pigeon")
        with pytest.raises(AppealError):
            ledger.record("ua-1", "t", "call", count=0)


def test_default_path_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "sub" / "x.sqlite3"))
    assert default_path() == tmp_path / "sub" / "x.sqlite3"
    with Ledger() as ledger:
        ledger.record("ua-1", "t", "call")
    assert (tmp_path / "sub" / "x.sqlite3").is_file()
    monkeypatch.delenv("APPEAL_LEDGER")
    assert default_path().name == "ledger.sqlite3"


def test_stores_no_names_unless_asked(tmp_path):
    path = tmp_path / "l.sqlite3"
    loaded = load_case("ua-100.21")
    letters = compose_letters(loaded, Supporter("Zoë Privateperson", email="zoe@example.org"))
    with Ledger(path) as ledger:
        assert record_letters(letters, ledger=ledger) == 2
        assert record_letters(letters, ledger=ledger) == 0  # a resumed run counts nothing
        ledger.record("ua-100.21", "president", "call", supporter=None)
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    assert b"Privateperson" not in raw and b"zoe@example.org" not in raw
    with Ledger(path) as ledger:
        ledger.record("ua-100.21", "president", "call", supporter="Zoë")
        assert [a.supporter for a in ledger.actions("ua-100.21")] == [None, None, None, "Zoë"]


def test_record_letters_same_letter_any_date_counts_once(tmp_path):
    import datetime as dt
    from appeal.api import Options

    loaded = load_case("ua-100.21")
    day1 = compose_letters(loaded, Supporter("Ana"), options=Options(date=dt.date(2021, 9, 1)))
    day2 = compose_letters(loaded, Supporter("Ana"), options=Options(date=dt.date(2021, 9, 2)))
    other = compose_letters(loaded, Supporter("Luis"))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        assert record_letters(day1, ledger=ledger) == 2
        assert record_letters(day2, ledger=ledger) == 0
        assert record_letters(other, ledger=ledger) == 2
        assert sum(t.count for t in ledger.totals("ua-100.21")) == 4


def _v1_file(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE actions (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,
            target_id TEXT NOT NULL, channel TEXT NOT NULL, lang TEXT NOT NULL DEFAULT '',
            day TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1 CHECK (count > 0));
        CREATE INDEX actions_case ON actions (case_id);
        INSERT INTO actions (case_id, target_id, channel, lang, day, count)
            VALUES ('ua-1', 'president', 'letter', 'es', '2021-09-01', 7);
        PRAGMA user_version = 1;
    """)
    db.commit()
    db.close()


def test_migrates_a_version_1_ledger_keeping_its_counts(tmp_path):
    path = tmp_path / "old.sqlite3"
    _v1_file(path)
    with Ledger(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert ledger.totals("ua-1") == [Total("president", "letter", 7)]
        assert ledger.record("ua-1", "president", "letter", key="k")
        assert not ledger.record("ua-1", "president", "letter", key="k")
        assert ledger.totals("ua-1") == [Total("president", "letter", 8)]


def test_migrates_an_empty_version_0_file(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with Ledger(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert ledger.record("ua-1", "t", "call")


def test_newer_schema_is_refused_clearly(tmp_path):
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(AppealError, match="newer appeal") as exc:
        Ledger(path)
    assert str(path) in exc.value.message


@pytest.mark.parametrize("garbage", [os.urandom(4096), b"SQLite format 3\x00" + b"\xff" * 200])
def test_damaged_file_gives_a_clear_error(tmp_path, garbage):
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(garbage)
    with pytest.raises(AppealError) as exc, Ledger(path) as ledger:
        ledger.totals("ua-1")
    assert str(path) in exc.value.message
    assert "APPEAL_LEDGER" in exc.value.hint


def _writer(path: str, worker: int, n: int, start) -> None:
    start.wait()
    with Ledger(Path(path)) as ledger:
        for i in range(n):
            ledger.record("ua-1", f"t{i % 3}", "letter", "es")
            # both workers try the same keyed records: each key must count exactly once
            ledger.record("ua-1", "shared", "email", "es", key=f"k{i}")


def test_two_processes_at_once_lose_no_counts(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ctx = mp.get_context("spawn" if os.name == "nt" else "fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(str(path), w, 150, start)) for w in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Ledger(path) as ledger:
        totals = {(t.target_id, t.channel): t.count for t in ledger.totals("ua-1")}
    assert sum(v for (t, c), v in totals.items() if c == "letter") == 300
    assert totals[("shared", "email")] == 150


def test_record_many_is_one_transaction_and_skips_known_keys(tmp_path):
    from appeal.errors import UsageError
    from appeal.ledger import Entry

    with Ledger(tmp_path / "l.sqlite3") as ledger:
        entries = [Entry("ua-1", "president", "letter", "es", key=f"k{i % 3}") for i in range(5)]
        assert ledger.record_many(entries) == 3  # k0, k1, k2
        assert ledger.record_many(entries) == 0
        assert ledger.record_many([]) == 0
        with pytest.raises(UsageError):  # one bad entry: nothing of the batch is written
            ledger.record_many([Entry("ua-1", "president", "letter", key="k9"),
                                Entry("ua-1", "president", "pigeon")])
        assert not ledger.has_key("k9")
        assert [(t.target_id, t.count) for t in ledger.totals("ua-1")] == [("president", 3)]
