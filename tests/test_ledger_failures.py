"""When the tally cannot be written, the user is told what is wrong (a full disk, an
inconsistent ledger) and that the letters themselves were written (issue 9)."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess

import pytest

from appeal.errors import AppealError
from appeal.ledger import Entry, Ledger

from .conftest import files_in

COMPOSE = ["compose", "ua-100.21", "--name", "Ana García", "--date", "2026-11-28",
           "--format", "txt"]


def run(runner, app, args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def counted_letters(path) -> int:
    with Ledger(path) as ledger:
        return sum(t.count for t in ledger.totals("ua-100.21") if t.channel == "letter")


@pytest.fixture
def ledger_path(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    return path


def _sql(path, *statements):
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def test_a_ledger_without_its_salt_is_refused_clearly_and_the_letters_are_reported(
        runner, app, tmp_path, ledger_path):
    first = run(runner, app, [*COMPOSE, "--out", tmp_path / "a"])
    assert first.exit_code == 0 and counted_letters(ledger_path) == 2
    _sql(ledger_path, "DELETE FROM meta WHERE name = 'salt'")
    result = run(runner, app, [*COMPOSE, "--out", tmp_path / "b", "--name", "Luis"])
    assert result.exit_code == 1
    assert len(files_in(tmp_path / "b")) == 2
    assert "ua-100.21_president_es-MX_Luis.txt" in result.stdout  # the letters are listed
    assert "The 2 letters above were written; only counting them in your tally failed" in (
        result.stderr)
    assert "is inconsistent: its salt is missing" in result.stderr
    assert "Traceback" not in result.output and "IndexError" not in result.output
    with pytest.raises(AppealError, match="salt is missing"):
        Ledger(ledger_path)


def test_a_lost_salt_nothing_depends_on_is_put_back(ledger_path):
    with Ledger(ledger_path) as ledger:
        ledger.record("ua-1", "t", "call")  # no key
    _sql(ledger_path, "DELETE FROM meta")
    with Ledger(ledger_path) as ledger:
        assert ledger.record("ua-1", "t", "letter", key="batch:" + ledger.digest("x"))
        assert ledger.digest("x") == ledger.digest("x")


@pytest.mark.parametrize("damage, what", [
    ("DROP TABLE deliveries", "the table 'deliveries' is missing"),
    ("ALTER TABLE actions DROP COLUMN supporter", "the table 'actions' lacks supporter"),
])
def test_a_ledger_missing_a_table_or_column_is_refused_when_opened(ledger_path, damage, what):
    Ledger(ledger_path).close()
    _sql(ledger_path, damage)
    with pytest.raises(AppealError) as err:
        Ledger(ledger_path)
    assert what in err.value.message and "inconsistent" in err.value.message


# -- a full disk ------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB file system of its own (tmpfs), so the disk can really be filled."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
            capture_output=True).returncode:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_full_disk_is_reported_as_a_full_disk_and_the_letters_as_written(
        runner, app, tmp_path, small_disk, monkeypatch):
    path = small_disk / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    Ledger().close()
    fill(small_disk)
    out = tmp_path / "out"
    result = run(runner, app, [*COMPOSE, "--out", out])
    assert result.exit_code == 1
    assert len(files_in(out)) == 2
    assert "The 2 letters above were written; only counting them in your tally failed" in (
        result.stderr)
    assert "The disk is full: could not write to the action ledger" in result.stderr
    assert "damaged" not in result.output and "Traceback" not in result.output
    (small_disk / "filler").unlink()  # space again: the rerun counts them, once
    again = run(runner, app, [*COMPOSE, "--out", out, "--force"])
    assert again.exit_code == 0, again.output
    assert counted_letters(path) == 2


def test_the_same_ledger_records_again_once_space_is_freed(small_disk):
    with Ledger(small_disk / "ledger.sqlite3") as ledger:
        fill(small_disk)
        entries = [Entry("ua-100.21", "president", "letter", key=f"k{i}") for i in range(400)]
        with pytest.raises(AppealError, match="The disk is full"):
            ledger.record_many(entries)
        (small_disk / "filler").unlink()
        assert ledger.record_many(entries) == 400
        assert ledger.record_many(entries) == 0


# -- recording as letters are made ------------------------------------------------------------

def test_recorder_commits_small_transactions_as_it_goes(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    entries = [Entry("ua-100.21", "president", "letter", key=f"batch:{i}") for i in range(7)]
    with Ledger(path) as ledger:
        with ledger.recorder(every=3, seconds=3600) as rec:
            for n, entry in enumerate(entries, 1):
                rec.add(entry)
                # another process sees every full group of 3 at once, without waiting
                assert counted_letters(path) == n // 3 * 3
                assert rec.pending == n % 3
        assert rec.new == 7 and counted_letters(path) == 7
        with ledger.recorder(every=2) as again:  # a rerun: keyed entries count once
            for entry in entries + [Entry("ua-100.21", "president", "letter", key="batch:7")]:
                again.add(entry)
        assert again.new == 1 and counted_letters(path) == 8


def test_recorder_keeps_what_it_could_not_commit_for_the_next_try(small_disk):
    with Ledger(small_disk / "ledger.sqlite3") as ledger:
        rec = ledger.recorder(every=1000)
        for i in range(300):
            rec.add(Entry("ua-100.21", "president", "letter", key=f"k{i}"))
        fill(small_disk)
        with pytest.raises(AppealError, match="The disk is full"):
            rec.flush()
        assert rec.pending == 300 and rec.new == 0
        (small_disk / "filler").unlink()
        assert rec.flush() == 300 and rec.pending == 0


def test_email_drafts_are_reported_as_written_when_counting_them_fails(
        runner, app, tmp_path, small_disk, monkeypatch):
    monkeypatch.setenv("APPEAL_LEDGER", str(small_disk / "ledger.sqlite3"))
    with Ledger():  # kept open: the ledger opens, the disk fills before the drafts are counted
        fill(small_disk)
        result = run(runner, app, ["email", "ua-100.21", "--name", "Ana", "--out",
                                   tmp_path / "eml"])
    assert result.exit_code == 1 and len(files_in(tmp_path / "eml")) == 2
    assert "The 2 drafts above were written; only counting them in your tally failed" in (
        result.stderr)
    assert "The disk is full" in result.stderr and "Traceback" not in result.output


def test_a_batch_with_a_ledger_missing_its_salt_gets_a_clear_error_not_an_index_error(
        tmp_path, ledger_path):
    from appeal.api import load_case
    from appeal.batch import BatchOptions, run_batch

    with Ledger(ledger_path) as ledger:
        ledger.record("ua-100.21", "president", "letter", key="batch:x")
    _sql(ledger_path, "DELETE FROM meta WHERE name = 'salt'")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name;city;country\nAna;Oaxaca;MX\n", encoding="utf-8")
    # The letters are made; the ledger's failure is reported as the counting that failed.
    result = run_batch(load_case("ua-100.21"), sheet, tmp_path / "out",
                       BatchOptions(formats=("txt",), jobs=1))
    assert result.made >= 1 and not result.ok
    assert "inconsistent: its salt is missing" in (result.count_error or "")
