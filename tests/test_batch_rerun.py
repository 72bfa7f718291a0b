"""Reruns over an evening of fixing the sheet: letters keyed by who, not by sheet line; the
tally equal to the letters on disk; duplicate attendees; the spawn start method."""

import csv
import datetime as dt
import io

import pytest

from appeal.api import load_case
from appeal.batch import BatchOptions, run_batch
from appeal.ledger import Ledger

HEADER = "\ufeffNombre;Ciudad;País;Idioma;Para;Nota;Correo\r\n"
OPTS = dict(date=dt.date(2021, 11, 1), formats=("txt",), targets=("president",), jobs=1)


@pytest.fixture(scope="module")
def case():
    return load_case("ua-100.21")


def write_sheet(path, rows):
    path.write_bytes((HEADER + "".join(r + "\r\n" for r in rows)).encode("utf-8"))
    return path


def tally(case_id="ua-100.21"):
    with Ledger() as ledger:
        return sum(t.count for t in ledger.totals(case_id) if t.channel == "letter")


def files(out, ext="txt"):
    return sorted(p.name for p in (out / "letters").glob(f"*.{ext}"))


def manifest(out):
    text = (out / "manifest.csv").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


PEOPLE = [f"Persona {c};Ciudad {c};MX;;;;" for c in "ABCDEF"]


def test_reorder_insert_delete_and_fix_remake_only_what_changed(tmp_path, case):
    src, out = tmp_path / "s.csv", tmp_path / "night"
    rows = PEOPLE + ["Mal País;Lima;XX;;;;"]  # a bad country cell: the row fails
    first = run_batch(case, write_sheet(src, rows), out, BatchOptions(**OPTS))
    assert (first.made, first.counted, len(first.failed_rows)) == (6, 6, 1)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "letters").iterdir()}

    # Rows moved, one deleted (C), one inserted (G), the bad cell fixed.
    rows = [PEOPLE[5], "Persona G;Ciudad G;MX;;;;", PEOPLE[0], "Mal País;Lima;PE;;;;",
            PEOPLE[3], PEOPLE[1], PEOPLE[4]]
    again = run_batch(case, write_sheet(src, rows), out, BatchOptions(**OPTS))
    assert (again.made, again.unchanged) == (2, 5)
    assert {j.supporter.name for j in again.jobs if j.status == "made"} == {"Persona G",
                                                                           "Mal País"}
    assert again.counted == 2 and again.uncounted == 1  # C's letter was never posted
    assert again.removed == ["ua-100.21_president_es-MX_Persona C"]
    on_disk = files(out)
    assert len(on_disk) == 7 and not [n for n in on_disk if "Persona-C" in n]
    assert tally() == 7 == len(on_disk)
    for name, stamp in before.items():  # letters of unchanged rows were not rewritten
        if "Persona-C" not in name:
            assert (out / "letters" / name).stat().st_mtime_ns == stamp
    rows_in_manifest = manifest(out)
    assert [m["name"] for m in rows_in_manifest] == [
        "Persona F", "Persona G", "Persona A", "Mal País", "Persona D", "Persona B",
        "Persona E"]
    # The same sheet once more: nothing to make, nothing new to count.
    third = run_batch(case, src, out, BatchOptions(**OPTS))
    assert (third.made, third.unchanged, third.counted, third.removed) == (0, 7, 0, [])


def test_editing_a_note_remakes_without_counting_again(tmp_path, case):
    src, out = tmp_path / "s.csv", tmp_path / "night"
    run_batch(case, write_sheet(src, PEOPLE[:2]), out, BatchOptions(**OPTS))
    edited = [PEOPLE[0].replace(";;;;", ";;;Mi nota;"), PEOPLE[1]]
    again = run_batch(case, write_sheet(src, edited), out, BatchOptions(**OPTS))
    assert (again.made, again.unchanged, again.counted, again.removed) == (1, 1, 0, [])
    assert "Mi nota" in (out / "letters" / files(out)[0]).read_text("utf-8")
    assert tally() == 2


def test_duplicates_flagged_and_made_once(tmp_path, case):
    rows = ["Ana López;Oaxaca;MX;;;;ana@example.mx",
            "ana lópez;OAXACA;MX;;;;",  # same name and city, other spelling
            "Ana L.;Puebla;MX;;;;ANA@example.mx",  # same email
            "Ana López;Puebla;MX;;;;"]  # a namesake from another city: not a duplicate
    src, out = write_sheet(tmp_path / "s.csv", rows), tmp_path / "night"
    result = run_batch(case, src, out, BatchOptions(**OPTS))
    assert [(d.line, d.first) for d in result.duplicates] == [(3, 2), (4, 2)]
    assert result.made == 2 and len(files(out)) == 2 and result.counted == 2
    flagged = [m for m in manifest(out) if m["status"] == "duplicate"]
    assert [(m["row"], m["name"]) for m in flagged] == [("3", "ana lópez"), ("4", "Ana L.")]
    assert all("row 2" in m["reason"] for m in flagged)

    kept = run_batch(case, src, tmp_path / "all",
                     BatchOptions(**OPTS, keep_duplicates=True))
    assert kept.made == 4 and len(files(tmp_path / "all")) == 4
    assert len(kept.duplicates) == 2 and all(d.made for d in kept.duplicates)


def test_cli_reports_duplicates_removed_letters_and_comma_lists(tmp_path, case):
    import typer
    from typer.testing import CliRunner

    from appeal.cli_batch import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    src, out = tmp_path / "s.csv", tmp_path / "night"
    write_sheet(src, PEOPLE[:2] + [PEOPLE[0]])
    run = CliRunner().invoke
    r = run(app, ["batch", "ua-100.21", str(src), "--out", str(out), "--format", "txt,pdf",
                  "--to", "president,ambassador", "--date", "2021-11-01"])
    assert r.exit_code == 0, r.output
    assert "s.csv:4: same attendee as row 2" in r.output and "1 duplicate attendee" in r.output
    assert "Made 4 letters" in r.output
    assert len(files(out, "txt")) == len(files(out, "pdf")) == 4
    write_sheet(src, PEOPLE[1:2])
    r = run(app, ["batch", "ua-100.21", str(src), "--out", str(out), "--format", "txt",
                  "--format", "pdf", "--to", "president,ambassador", "--date", "2021-11-01"])
    assert r.exit_code == 0, r.output
    assert "Removed 2 letters no longer on the sheet" in r.output
    assert "2 removed letters taken out of your tally" in r.output
    assert len(files(out, "txt")) == 2 and tally() == 2


def test_letters_of_the_first_layout_are_replaced(tmp_path, case):
    """A folder made by the batch that keyed letters by sheet line: the rerun removes the
    line-numbered copies and makes the letters under their new names."""
    from appeal.batch.state import STATE_FILE

    out = tmp_path / "night"
    (out / "letters").mkdir(parents=True)
    old = out / "letters" / "0002_ua-100.21_president_es-MX_Persona-A.txt"
    old.write_text("old")
    (out / STATE_FILE).write_text("0002_ua-100.21_president_es-MX_Persona-A\t" + "a" * 64
                                  + "\n")
    result = run_batch(case, write_sheet(tmp_path / "s.csv", PEOPLE[:1]), out,
                       BatchOptions(**OPTS))
    assert result.made == 1 and not old.exists()
    assert files(out) == ["ua-100.21_president_es-MX_Persona-A.txt"]


def test_spawn_start_method(tmp_path, case):
    """What macOS and Windows use: workers start fresh and set themselves up."""
    rows = [f"Persona {i:03d};Madrid;ES;;;;" for i in range(45)]
    out = tmp_path / "o"
    result = run_batch(case, write_sheet(tmp_path / "s.csv", rows), out, BatchOptions(
        date=dt.date(2021, 11, 1), jobs=2, formats=("pdf", "docx"), start_method="spawn"))
    assert result.made == 90 and result.ok and result.counted == 90
    from pypdf import PdfReader

    text = [p.extract_text() for p in PdfReader(out / "print-all.pdf").pages]
    assert len(text) == 90
    for i in (0, 45, 89):
        assert f"Persona {i // 2:03d}" in text[i]
    assert len(files(out, "docx")) == 90 and tally() == 90
    again = run_batch(case, tmp_path / "s.csv", out, BatchOptions(
        date=dt.date(2021, 11, 1), jobs=2, formats=("pdf", "docx"), start_method="spawn"))
    assert (again.made, again.unchanged, again.counted) == (0, 90, 0)


# -- a tally that survives kill -9 ---------------------------------------------------------

def _start(src, out, env):
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "appeal", "batch", "ua-100.21", str(src), "--out", str(out),
         "--format", "txt", "--to", "president", "--date", "2021-11-01", "--jobs", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_when(proc, out, letters: int, group: bool) -> None:
    import os
    import signal
    import time

    deadline = time.monotonic() + 120
    folder = out / "letters"
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.is_dir() and len(os.listdir(folder)) >= letters:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be killed"
    if group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _workers_stopped(out) -> bool:
    """No file appears in the letters folder for a while: nobody is still writing."""
    import os
    import time

    before = sorted(os.listdir(out / "letters"))
    for _ in range(20):
        time.sleep(0.25)
        now = sorted(os.listdir(out / "letters"))
        if now == before:
            return True
        before = now
    return False


def _no_orphans(marker) -> bool:
    """No process still running with this test's folder on its command line or in its
    environment (the batch's workers inherit both)."""
    import os
    import time

    for _ in range(20):
        alive = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/environ", "rb") as fh:
                    if str(marker).encode() in fh.read():
                        alive.append(pid)
            except OSError:
                pass
        if not alive:
            return True
        time.sleep(0.25)
    return False


def test_kill_9_at_several_points_leaves_a_tally_equal_to_the_letters(tmp_path, monkeypatch):
    """The parent alone or the whole process group killed while letters are being made: the
    rerun makes the rest, and the tally equals the letters on disk, each counted once."""
    import os

    rows = [f"Persona {i:04d};Ciudad {i % 37};MX;;;;" for i in range(2000)]
    src, out = write_sheet(tmp_path / "s.csv", rows), tmp_path / "night"
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    env = dict(os.environ)
    _kill_when(_start(src, out, env), out, 150, group=True)
    _kill_when(_start(src, out, env), out, 700, group=False)  # the workers are orphaned
    assert _workers_stopped(out), "workers went on after the parent was killed"
    assert _no_orphans(tmp_path), "worker processes outlived the parent"
    made_before = len(files(out))
    assert 700 <= made_before < 2000
    assert tally() <= made_before  # counted as made; the rest is counted by the rerun
    final = _start(src, out, env)
    assert final.wait(300) == 0
    on_disk = files(out)
    assert len(on_disk) == 2000 and tally() == 2000
    assert not list(out.rglob("*.tmp"))


def test_letters_are_not_removed_while_rows_fail(tmp_path, case):
    """A cell broken by mistake must not delete (and uncount) letters already made: nothing
    is removed until every row is fixed."""
    src, out = tmp_path / "s.csv", tmp_path / "night"
    run_batch(case, write_sheet(src, PEOPLE[:3]), out, BatchOptions(**OPTS))
    broken = [PEOPLE[0], PEOPLE[1].replace(";MX;", ";XX;"), PEOPLE[2]]
    again = run_batch(case, write_sheet(src, broken), out, BatchOptions(**OPTS))
    assert len(again.failed_rows) == 1 and again.removed == [] and again.stale_kept == 1
    assert len(files(out)) == 3 and tally() == 3
    fixed = run_batch(case, write_sheet(src, [PEOPLE[0], PEOPLE[2]]), out, BatchOptions(**OPTS))
    assert fixed.removed == ["ua-100.21_president_es-MX_Persona B"]
    assert len(files(out)) == 2 and tally() == 2
