"""envelopes.pdf and labels.pdf of a batch big enough to be drawn in several chunks by several
workers and joined: every letter once, in print order (also across the chunks' boundaries),
the same pages as one document drawn whole, one embedding of each font, qpdf's structural
check, labels cut reported on the right rows; under the fork and the spawn start methods,
and on a rerun with nothing to remake."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from appeal.batch import BatchOptions, run_batch
from appeal.batch import envelopes, labels, packparts
from appeal.batch.packparts import chunk_bounds
from appeal.batch.run import PARALLEL_PACK_MIN
from appeal.cases import load_case

from .test_batch_outputs import needs_qpdf
from .test_batch_run import manifest

DATE = dt.date(2021, 11, 1)
HEADER = "name;city;country;language;to;note;email;address\r\n"
PRESIDENT, AMBASSADOR = "Andrés Manuel López Obrador", "Esteban Moctezuma"
LONG_LINE = "1911 Pennsylvania Avenue Northwest, at the corner of Embassy Row and Dupont Circle"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """The seed case, with an ambassador's address line no label can hold at 8 pt."""
    folder = tmp_path_factory.mktemp("cases") / "ua-100.21"
    shutil.copytree(load_case("ua-100.21").folder, folder)
    yaml = folder / "case.yaml"
    text = yaml.read_text("utf-8")
    assert "        - 1911 Pennsylvania Avenue NW\n" in text
    yaml.write_text(text.replace("        - 1911 Pennsylvania Avenue NW\n",
                                 f"        - {LONG_LINE}\n"), "utf-8")
    return load_case("ua-100.21", [folder.parent])


def write_sheet(tmp_path, rows: int):
    """Attendees in Madrid (airmail to both targets) with a return address; every third
    writes to the president only, so the targets do not simply alternate."""
    lines = [f"Persona {i:03d};Madrid;ES;;{'president' if i % 3 == 0 else ''};;;"
             f'"Calle Mayor {i}; 28013 Madrid"' for i in range(rows)]
    path = tmp_path / "s.csv"
    path.write_text(HEADER + "".join(line + "\r\n" for line in lines), "utf-8")
    return path


def expected_order(rows: int) -> list[tuple[str, str]]:
    """(attendee, target name) of every letter, in print order."""
    order = []
    for i in range(rows):
        order.append((f"Persona {i:03d}", PRESIDENT))
        if i % 3:
            order.append((f"Persona {i:03d}", AMBASSADOR))
    return order


def label_names(path) -> list[str]:
    """The recipients' names, label after label, as the sheets read."""
    found = []
    for page in PdfReader(path).pages:
        found += re.findall(f"{PRESIDENT}|{AMBASSADOR}", page.extract_text())
    return found


def embedded_fonts(path) -> set:
    """The font objects all pages refer to."""
    refs = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            refs.add(ref.idnum)
    return refs


def check_pack(out, rows: int, chunks: bool = True) -> None:
    order = expected_order(rows)
    env = PdfReader(out / "envelopes.pdf")
    assert len(env.pages) == len(order)
    # The first and last envelope, and both sides of every boundary between two chunks.
    runs = chunk_bounds(len(order), 1, packparts.ENVELOPES_PER_PART, 2)
    for n in sorted({0, len(order) - 1} | {i for start, end in runs for i in (start, end - 1)}):
        text = env.pages[n].extract_text()
        who, target = order[n]
        assert who in text and target in text and "POR AVIÓN / PAR AVION" in text, n
        assert f"Calle Mayor {int(who.split()[1])}" in text
    assert label_names(out / "labels.pdf") == [target for _who, target in order]
    assert len(PdfReader(out / "labels.pdf").pages) == -(-len(order) // 21)  # 3 x 7 on A4
    # Each font is embedded once, however many chunks drew the pages.
    assert len(embedded_fonts(out / "envelopes.pdf")) == 2  # regular, bold (airmail)
    assert len(embedded_fonts(out / "labels.pdf")) == 1
    # The ambassador's label is cut at every place it falls, and reported there.
    fits = [(row["name"], "label cut" in row["fit"]) for row in manifest(out)]
    assert fits == [(who, target == AMBASSADOR) for who, target in order]
    if chunks:  # big enough that the workers drew several chunks of each
        assert len(order) >= PARALLEL_PACK_MIN
        sheets = chunk_bounds(len(order), 21, packparts.LABEL_SHEETS_PER_PART, 2)
        assert len(runs) > 2 and len(sheets) > 2


def contents(path) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(path).pages]


ROWS = 120  # 200 letters: drawn by the pool, in 8 chunks of envelopes and 5 of labels


@pytest.fixture(scope="module")
def night(tmp_path_factory, case):
    """One batch of ROWS rows made by two forked workers: (result, output folder)."""
    folder = tmp_path_factory.mktemp("night")
    out = folder / "o"
    result = run_batch(case, write_sheet(folder, ROWS), out, BatchOptions(
        date=DATE, formats=("txt",), jobs=2, record=False, paper="a4"))
    return result, out


def test_envelopes_and_labels_in_chunks_match_one_document_drawn_whole(tmp_path, night):
    result, out = night
    assert result.ok and result.made == len(expected_order(ROWS))
    check_pack(out, ROWS)
    printed = [j for j in result.jobs if j.status == "made"]
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(envelopes.render_envelopes(printed, "a4", None))
    assert contents(whole) == contents(out / "envelopes.pdf")  # the same drawing operators
    cut: list = []
    whole.write_bytes(labels.render_labels(printed, "a4", cut))
    assert contents(whole) == contents(out / "labels.pdf")
    assert len(cut) == sum(1 for j in printed if j.target_country == "US")


@needs_qpdf
def test_joined_envelopes_and_labels_pass_qpdf_check(night):
    _result, out = night
    for name in ("envelopes.pdf", "labels.pdf"):
        check = subprocess.run(["qpdf", "--check", str(out / name)], capture_output=True,
                               text=True)
        assert check.returncode == 0, (name, check.stdout, check.stderr)
        assert "No syntax or stream encoding errors" in check.stdout


def test_a_rerun_with_nothing_to_remake_still_covers_every_letter(tmp_path, case, night):
    _result, made = night
    out = tmp_path / "o"
    shutil.copytree(made, out)
    for name in ("envelopes.pdf", "labels.pdf", "manifest.csv"):
        (out / name).unlink()
    again = run_batch(case, made.parent / "s.csv", out, BatchOptions(
        date=DATE, formats=("txt",), jobs=2, record=False, paper="a4"))
    assert again.ok and (again.made, again.unchanged) == (0, len(expected_order(ROWS)))
    check_pack(out, ROWS)


def test_spawn_start_method(tmp_path, case):
    """What macOS and Windows use: the workers that draw the chunks start fresh."""
    out = tmp_path / "o"
    result = run_batch(case, write_sheet(tmp_path, ROWS), out, BatchOptions(
        date=DATE, formats=("txt",), jobs=2, record=False, paper="a4", start_method="spawn"))
    assert result.ok and result.made == len(expected_order(ROWS))
    check_pack(out, ROWS)


def test_a_few_letters_drawn_in_one_process(tmp_path, case):
    out = tmp_path / "o"
    result = run_batch(case, write_sheet(tmp_path, 6), out, BatchOptions(
        date=DATE, formats=("txt",), record=False, paper="a4"))
    assert result.ok
    check_pack(out, 6, chunks=False)


def test_a_worker_that_cannot_write_its_share_stops_the_run_with_the_file_named(
        tmp_path, case, monkeypatch):
    import errno

    from appeal.errors import AppealError

    real = packparts.make_temp

    def make_temp(folder, tag=""):
        if tag.startswith("labels-000001"):  # the second chunk of labels
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(folder, tag)

    monkeypatch.setattr(packparts, "make_temp", make_temp)  # the forked workers inherit it
    out = tmp_path / "o"
    with pytest.raises(AppealError) as exc:
        run_batch(case, write_sheet(tmp_path, ROWS), out, BatchOptions(
            date=DATE, formats=("txt",), jobs=2, record=False, paper="a4"))
    assert exc.value.message == f"The disk is full: could not write {out / 'labels.pdf'}."
    assert "200 letters were made" in exc.value.hint
    assert (out / "envelopes.pdf").exists() and not (out / "labels.pdf").exists()
    assert not [p for p in out.rglob("*.tmp")]  # no share or half-written file left behind
