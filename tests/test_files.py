"""Output files: safe names, atomic writes, no overwrite without force."""

from __future__ import annotations

import os

import pytest

from appeal.api import AppealError, Options, Supporter, compose_letters, write_letters
from appeal.files import atomic_write, safe_filename

from .conftest import FIXED_DATE, files_in


@pytest.mark.parametrize(
    "stem, expected",
    [
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("/abs/path", "abs-path.pdf"),
        ("CON", "_CON.pdf"),
        ("lpt1.txt", "_lpt1.txt.pdf"),
        ('a<b>c:d"e|f?g*h', "a-b-c-d-e-f-g-h.pdf"),
        ("Jose\u0301 Pérez", "José-Pérez.pdf"),
        ("...", "letter.pdf"),
        ("a\x00b\nc", "abc.pdf"),
    ],
)
def test_safe_filename(stem, expected):
    assert safe_filename(stem, "pdf") == expected


def test_long_names_are_cut_on_a_character_boundary_keeping_the_extension():
    name = safe_filename("é" * 300, "docx")
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= 255
    name.encode("utf-8").decode("utf-8")


def test_file_names_stay_inside_the_output_folder(case, tmp_path):
    letters = compose_letters(case, Supporter("../../evil"), options=Options(date=FIXED_DATE))
    written = write_letters(letters, tmp_path / "out", ("pdf",))
    for item in written:
        for path in item.paths:
            assert path.parent == tmp_path / "out"
    assert files_in(tmp_path) == ["out"]


def test_existing_letters_are_not_overwritten_without_force(case, tmp_path):
    letters = compose_letters(case, Supporter("Ana"), options=Options(date=FIXED_DATE))
    write_letters(letters, tmp_path, ("txt",))
    before = files_in(tmp_path)
    with pytest.raises(AppealError, match="already exists"):
        write_letters(letters, tmp_path, ("txt", "pdf"))
    assert files_in(tmp_path) == before  # nothing new was written either
    write_letters(letters, tmp_path, ("txt",), force=True)


def test_a_failed_write_leaves_no_partial_file(case, tmp_path, monkeypatch):
    letters = compose_letters(case, Supporter("Ana"), options=Options(date=FIXED_DATE))
    calls = {"n": 0}
    real_replace = os.replace

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(AppealError) as err:
        write_letters(letters, tmp_path, ("pdf", "docx"))
    assert "No space left on device" in err.value.message
    assert "1 file was written" in err.value.hint
    assert len(files_in(tmp_path)) == 1  # the finished file; no temp files left behind


def test_atomic_write_cleans_up_when_the_disk_fills(tmp_path, monkeypatch):
    (tmp_path / "letter.pdf").write_bytes(b"old letter")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        atomic_write(tmp_path / "letter.pdf", b"new letter")
    assert files_in(tmp_path) == ["letter.pdf"]  # no temp file left behind
    assert (tmp_path / "letter.pdf").read_bytes() == b"old letter"  # old file intact


def test_sweep_removes_temp_files_and_a_worker_temp_folder(tmp_path):
    from appeal.files import TEMP_PREFIX, sweep_temp_files

    (tmp_path / f"{TEMP_PREFIX}123-a.pdf.tmp").write_bytes(b"half")
    worker = tmp_path / f"{TEMP_PREFIX}456.tmp"
    worker.mkdir()
    (worker / f"{TEMP_PREFIX}456-b.pdf.tmp").write_bytes(b"half")
    (tmp_path / "kept.pdf").write_bytes(b"whole")
    assert sweep_temp_files(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["kept.pdf"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path, case, umask, mode):
    """A shared print folder can read every output, as with any other tool: the temp file
    that becomes the letter is not left at mkstemp's private 0600."""
    old = os.umask(umask)
    try:
        letters = compose_letters(case, Supporter("Ana"), options=Options(date=FIXED_DATE))
        written = write_letters(letters, tmp_path, ("pdf", "docx", "txt"))
        atomic_write(tmp_path / "plain.bin", b"x")
    finally:
        os.umask(old)
    paths = [p for w in written for p in w.paths] + [tmp_path / "plain.bin"]
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {oct(mode)}
