"""Nothing planted where appeal keeps or looks for its own files is followed (issue 9).

A case's template or case file linked to a secret, a temp-file name linked to a folder, a
state file or ledger linked (or hard-linked) to another file, a case folder replaced by a
link: appeal reads and writes only what the user named. Each test plants one such link
and checks the file it points to is neither read into output nor changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

from appeal.batch import BatchOptions, run_batch
from appeal.batch.state import STATE_FILE
from appeal.errors import AppealError
from appeal.files import atomic_write, sweep_temp_files

from .conftest import ROOT, files_in

SECRET = "TOP-SECRET-7f3a9"
COMPOSE = ["compose", "ua-100.21", "--name", "Ana García", "--city", "Oaxaca", "--country",
           "MX", "--date", "2026-11-28"]
SHEET = "Nombre;Ciudad;País\r\nAna García;Oaxaca;MX\r\nBob Smith;Austin;US\r\n"


def run(runner, app, args, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret" / "passwd"
    path.parent.mkdir()
    path.write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    return path


def copy_case(root: Path) -> Path:
    folder = root / "ua-100.21"
    shutil.copytree(ROOT / "letters" / "ua-100.21", folder)
    return folder


def everything_written(folder: Path) -> str:
    text = ""
    for path in folder.rglob("*"):
        if path.is_file():
            text += path.read_bytes().decode("latin-1")
    return text


# -- case files and templates -----------------------------------------------------------------

def _case_in(where: str, tmp_path: Path, monkeypatch) -> tuple[Path, list[str]]:
    """A copy of the bundled case where a user keeps cases; extra CLI arguments to find it."""
    if where == "--cases":
        return copy_case(tmp_path / "cases"), ["--cases", str(tmp_path / "cases")]
    if where == "APPEAL_CASES":
        monkeypatch.setenv("APPEAL_CASES", str(tmp_path / "env-cases"))
        return copy_case(tmp_path / "env-cases"), []
    if where == "bundled":  # a copy standing in for the bundled cases of an installed appeal
        monkeypatch.setattr("appeal.cases.bundled_dir", lambda _name: tmp_path / "bundled")
        return copy_case(tmp_path / "bundled"), []
    from appeal.cases import user_cases_dir  # where 'appeal import' puts cases

    if where == "imported":
        from appeal.importer import import_document

        import_document(Path(__file__).parent / "fixtures" / "import" /
                        "ua-100.21-mexico-mass-deportations.txt", force=True)  # hides bundled
        return user_cases_dir() / "ua-100.21", []
    return copy_case(user_cases_dir()), []


@pytest.mark.parametrize("where", ["--cases", "APPEAL_CASES", "user folder", "bundled",
                                   "imported"])
def test_a_template_linked_to_a_secret_file_is_refused(where, runner, app, tmp_path, secret,
                                                       monkeypatch):
    folder, extra = _case_in(where, tmp_path, monkeypatch)
    for template in folder.glob("letter.*.j2"):
        template.unlink()
        template.symlink_to(secret)
    out = tmp_path / "out"
    result = run(runner, app, [*COMPOSE, "--out", out, *extra])
    assert result.exit_code == 1
    assert "letter." in result.output and "symbolic link" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not out.exists() or SECRET not in everything_written(out)
    drafts = tmp_path / "drafts"
    email = run(runner, app, ["email", "ua-100.21", "--name", "Ana", "--out", drafts, *extra])
    assert email.exit_code == 1 and SECRET not in email.output
    assert not drafts.exists() or SECRET not in everything_written(drafts)


def test_a_template_swapped_for_a_link_after_loading_is_not_read(case_copy, tmp_path, secret):
    """The check at load time is not the only one: the template is opened without following
    a link, so a swap between loading and rendering reads nothing."""
    from appeal.api import Supporter, compose_letters
    from appeal.cases import load_case

    loaded = load_case("ua-100.21", [case_copy.parent])
    (case_copy / "letter.es.j2").unlink()
    (case_copy / "letter.es.j2").symlink_to(secret)
    with pytest.raises(AppealError) as err:
        compose_letters(loaded, Supporter("Ana"))
    assert "symbolic link" in err.value.message and SECRET not in str(err.value)


def test_a_linked_case_file_is_refused(runner, app, tmp_path, secret):
    folder = copy_case(tmp_path / "cases")
    real = tmp_path / "elsewhere.yaml"
    shutil.move(folder / "case.yaml", real)
    (folder / "case.yaml").symlink_to(real)
    result = run(runner, app, [*COMPOSE, "--out", tmp_path / "out", "--cases",
                               tmp_path / "cases", "--to", "president"])
    assert result.exit_code == 1 and "symbolic link" in result.output
    assert not (tmp_path / "out").exists()


@pytest.fixture
def alarm():
    """A test that would hang on a FIFO fails instead."""
    def timeout(*_a):
        raise TimeoutError("blocked on a FIFO")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_a_fifo_case_file_or_template_is_refused_without_blocking(runner, app, tmp_path, alarm):
    folder = copy_case(tmp_path / "cases")
    (folder / "case.yaml").unlink()
    os.mkfifo(folder / "case.yaml")
    result = run(runner, app, [*COMPOSE, "--out", tmp_path / "out", "--cases",
                               tmp_path / "cases"])
    assert result.exit_code == 1 and "not a regular file" in result.output
    shutil.rmtree(folder)
    folder = copy_case(tmp_path / "cases")
    (folder / "letter.es.j2").unlink()
    os.mkfifo(folder / "letter.es.j2")
    result = run(runner, app, [*COMPOSE, "--out", tmp_path / "out", "--cases",
                               tmp_path / "cases"])
    assert result.exit_code == 1 and "not a regular file" in result.output


# -- the temp-file sweep ----------------------------------------------------------------------

def test_the_sweep_never_follows_a_temp_name_linked_to_a_folder_or_file(runner, app, tmp_path):
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "thesis.docx").write_bytes(b"years of work")
    (sibling / ".appeal-1.tmp").write_bytes(b"looks like ours, is not in the out folder")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".appeal-evil.tmp").symlink_to(sibling, target_is_directory=True)
    (out / ".appeal-file.tmp").symlink_to(sibling / "thesis.docx")
    result = run(runner, app, [*COMPOSE, "--out", out, "--format", "txt"])
    assert result.exit_code == 0, result.output
    assert files_in(sibling) == [".appeal-1.tmp", "thesis.docx"]
    assert (sibling / "thesis.docx").read_bytes() == b"years of work"
    assert (out / ".appeal-evil.tmp").is_symlink() and (out / ".appeal-file.tmp").is_symlink()


def test_the_sweep_removes_only_our_regular_temp_files_one_level_down(tmp_path):
    stale = tmp_path / ".appeal-stale.tmp"
    stale.write_bytes(b"left by a killed run")
    folder = tmp_path / ".appeal-123.tmp"  # a killed batch worker's temp folder
    folder.mkdir()
    (folder / ".appeal-123-a.pdf.tmp").write_bytes(b"half a letter")
    (folder / "precious.txt").write_bytes(b"not a name of ours")
    (folder / ".appeal-deeper.tmp").mkdir()
    (folder / ".appeal-deeper.tmp" / ".appeal-x.tmp").write_bytes(b"never recursed into")
    other = tmp_path / ".appeal-other.tmp"
    other.write_bytes(b"someone else's")
    if os.geteuid() == 0:
        os.chown(other, 12345, 12345)
    assert sweep_temp_files(tmp_path) == 2
    assert not stale.exists() and not (folder / ".appeal-123-a.pdf.tmp").exists()
    assert (folder / "precious.txt").exists()
    assert (folder / ".appeal-deeper.tmp" / ".appeal-x.tmp").exists()
    if os.geteuid() == 0:
        assert other.exists()


# -- internal state files ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    from appeal.api import load_case

    return load_case("ua-100.21")


def batch(bundled, tmp_path, out, **kw):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    options = BatchOptions(**{"formats": ("txt",), "record": False, "jobs": 1, **kw})
    return run_batch(bundled, sheet, out, options)


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_batch_never_appends_through_a_linked_state_file(link, bundled, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    if link == "symlink":
        (out / STATE_FILE).symlink_to(victim)
    else:
        os.link(victim, out / STATE_FILE)
    result = batch(bundled, tmp_path, out)
    assert result.made == 4 and result.ok
    assert victim.read_text(encoding="utf-8") == "precious\n"
    state = out / STATE_FILE
    assert not state.is_symlink() and os.stat(state).st_nlink == 1
    finished = [line for line in state.read_text(encoding="utf-8").splitlines()
                if not line.endswith("\t-")]  # claimed lines ("-") come first
    assert len(finished) == 4
    again = batch(bundled, tmp_path, out)  # the record still resumes
    assert again.unchanged == 4 and again.made == 0


def test_a_state_file_linked_mid_run_is_refused_not_appended_to(tmp_path):
    from appeal.files import NotRegularFile, open_append

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / "state").symlink_to(victim)
    with pytest.raises(NotRegularFile, match="symbolic link"):
        open_append(tmp_path / "state")
    os.link(victim, tmp_path / "hard")
    with pytest.raises(NotRegularFile, match="hard link"):
        open_append(tmp_path / "hard")
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_batch_temp_names_and_letters_folder_planted_as_links(bundled, tmp_path):
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "keep.txt").write_bytes(b"keep")
    victim = tmp_path / "victim.bin"
    victim.write_bytes(b"victim")
    out = tmp_path / "out"
    (out / "letters").mkdir(parents=True)
    (out / ".appeal-pack-000.tmp").symlink_to(sibling, target_is_directory=True)
    (out / ".appeal-pack-001.tmp").symlink_to(victim)
    (out / "letters" / f".appeal-{os.getpid()}.tmp").symlink_to(sibling,
                                                               target_is_directory=True)
    result = batch(bundled, tmp_path, out, formats=("txt", "pdf"))
    assert result.made == 4 and (out / "print-all.pdf").is_file()
    assert files_in(sibling) == ["keep.txt"] and victim.read_bytes() == b"victim"
    linked = tmp_path / "linked-out"
    linked.mkdir()
    (linked / "letters").symlink_to(sibling, target_is_directory=True)
    with pytest.raises(AppealError, match="symbolic link"):
        batch(bundled, tmp_path, linked)
    assert files_in(sibling) == ["keep.txt"]


# -- the ledger -------------------------------------------------------------------------------

def test_the_ledger_is_never_opened_through_a_link(tmp_path):
    from appeal.ledger import Ledger, default_path

    path = default_path()
    path.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    path.symlink_to(elsewhere)
    with pytest.raises(AppealError, match="symbolic link"):
        Ledger()
    assert not elsewhere.exists()
    path.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious " * 100)
    Path(str(path) + "-wal").symlink_to(victim)
    with pytest.raises(AppealError, match="symbolic link"):
        Ledger().record("ua-100.21", "president", "letter")
    assert victim.read_bytes() == b"precious " * 100


def test_a_fifo_in_place_of_the_ledger_is_refused(tmp_path, alarm):
    from appeal.ledger import Ledger

    os.mkfifo(tmp_path / "ledger.sqlite3")
    with pytest.raises(AppealError, match="not a regular file"):
        Ledger(tmp_path / "ledger.sqlite3")


# -- drafts, letters, imported cases -----------------------------------------------------------

def test_drafts_and_letters_replace_a_planted_link_never_write_through_it(runner, app,
                                                                         tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    name = "ua-100.21_president_es-MX_Ana.eml"
    (drafts / name).symlink_to(tmp_path / "created-through-link")
    result = run(runner, app, ["email", "ua-100.21", "--name", "Ana", "--to", "president",
                               "--out", drafts, "--no-record"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "created-through-link").exists()
    assert not (drafts / name).is_symlink() and (drafts / name).stat().st_size > 1000
    (drafts / name).unlink()
    (drafts / name).symlink_to(victim)
    result = run(runner, app, ["email", "ua-100.21", "--name", "Ana", "--to", "president",
                               "--out", drafts, "--no-record", "--force"])
    assert result.exit_code == 0 and victim.read_text(encoding="utf-8") == "precious"
    out = tmp_path / "out"
    out.mkdir()
    letter = out / "ua-100.21_president_es-MX_Ana-García.txt"
    letter.symlink_to(victim)
    result = run(runner, app, [*COMPOSE, "--out", out, "--format", "txt", "--to", "president",
                               "--force", "--no-record"])
    assert result.exit_code == 0 and victim.read_text(encoding="utf-8") == "precious"
    assert not letter.is_symlink()


def test_atomic_write_replaces_a_link_and_leaves_its_target(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "out.txt").symlink_to(victim)
    atomic_write(tmp_path / "out.txt", b"new")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "out.txt").read_bytes() == b"new"
    assert not (tmp_path / "out.txt").is_symlink()


def test_import_force_over_a_linked_case_folder_leaves_the_target(tmp_path):
    from appeal.importer import import_document

    seed = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
    out = tmp_path / "cases"
    out.mkdir()
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "diary.txt").write_text("dear diary", encoding="utf-8")
    (out / "ua-100.21").symlink_to(mine, target_is_directory=True)
    with pytest.raises(AppealError, match="already exists"):
        import_document(seed, out_dir=out)
    import_document(seed, out_dir=out, force=True)
    assert files_in(mine) == ["diary.txt"]
    assert not (out / "ua-100.21").is_symlink() and (out / "ua-100.21" / "case.yaml").is_file()
    assert files_in(out) == ["ua-100.21"]  # the link went, nothing left over


def test_import_force_with_its_aside_name_planted_as_a_link(tmp_path):
    from appeal.importer import import_document

    seed = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
    out = tmp_path / "cases"
    import_document(seed, out_dir=out)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep", encoding="utf-8")
    (out / f".appeal-old-ua-100.21-{os.getpid()}").symlink_to(victim, target_is_directory=True)
    import_document(seed, out_dir=out, force=True)
    assert files_in(victim) == ["keep.txt"]
    assert (out / "ua-100.21" / "case.yaml").is_file()
