"""The pack prints on one printer: one paper size in print-all.pdf, labels in one type size
of at least 8 pt (an address that cannot fit is reported), envelopes with both country
lines in one language, address cells split on line breaks, ';' or ' / '."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from appeal.batch import BatchOptions, run_batch

from .test_batch_run import case, cli, manifest, sheet  # noqa: F401 - fixtures and helpers

DATE = "2021-11-01"
HEADER = "name,city,country,language,to,note,email,address\r\n"
MX = ["Ana García {n},Oaxaca,MX,,president,,,".format(n=n) for n in range(12)]
ES = ["Eva Ruiz {n},Madrid,ES,,president,,,".format(n=n) for n in range(3)]


def sizes(path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(path).pages}


LETTER, A4 = (612, 792), (595, 842)


@pytest.mark.parametrize("extra, expected, said", [
    ((), LETTER, "most common among the rows"),
    (("--country", "ES"), A4, "--country ES"),
    (("--paper", "a4"), A4, "--paper"),
])
def test_print_all_uses_one_paper_size_and_says_which(tmp_path, extra, expected, said):
    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, MX + ES, header=HEADER), "--out", out, "--date", DATE,
            "--blank", "1", "--format", "pdf", *extra)
    assert r.exit_code == 0, r.output
    assert sizes(out / "print-all.pdf") == {expected}
    assert sizes(out / "labels.pdf") == {expected}
    for pdf in (out / "letters").glob("*.pdf"):
        assert sizes(pdf) == {expected}, pdf
    assert "Paper for every letter and print-all.pdf" in r.output and said in r.output


def font_sizes(path) -> list[float]:
    found = []
    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: found.append(
            round(size * tm[0], 2)) if text.strip() else None)
    return found


def test_labels_have_one_type_size_never_below_8pt_and_misfits_are_reported(tmp_path, case):
    from dataclasses import replace

    from appeal.batch.labels import render_labels
    from appeal.batch.plan import Job
    from appeal.compose import Supporter

    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, MX[:4] + ES, header=HEADER), "--out", out,
            "--date", DATE, "--format", "pdf", "--paper", "letter")
    assert r.exit_code == 0, r.output
    found = set(font_sizes(out / "labels.pdf"))
    assert len(found) == 1 and min(found) >= 8.0, found

    # An address that cannot fit a label at 8 pt is reported, not set smaller.
    result = run_batch(case, sheet(tmp_path, MX[:1], header=HEADER, name="one.csv"),
                       tmp_path / "one", BatchOptions(date=None, formats=("txt",), record=False))
    job = result.jobs[0]
    huge = replace(job, letter=replace(job.letter, recipient=job.letter.recipient + (
        "A very long line that no label of this size can hold at eight points",) * 4))
    misfits: list[Job] = []
    data = render_labels([job, huge], "letter", misfits)
    assert misfits == [huge]
    path = tmp_path / "labels.pdf"
    path.write_bytes(data)
    assert min(font_sizes(path)) >= 8.0 and len(set(font_sizes(path))) == 1


def test_labels_cut_are_marked_in_the_manifest(tmp_path):
    # Title lines give way; the president's label fits on US labels at 8 pt or more.
    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, MX[:2], header=HEADER), "--out", out, "--date", DATE,
            "--format", "pdf")
    assert r.exit_code == 0, r.output
    assert all("label" not in row["fit"] for row in manifest(out))


def test_envelope_country_lines_share_the_senders_language(tmp_path):
    rows = ['Eva Ruiz,Madrid,ES,en,president,,,"Calle Mayor 1; 28013 Madrid"']
    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, rows, header=HEADER), "--out", out, "--date", DATE,
            "--format", "pdf")
    assert r.exit_code == 0, r.output
    text = PdfReader(out / "envelopes.pdf").pages[0].extract_text()
    # An English letter from Spain: both country lines in Spanish, as Correos reads them.
    assert "ESPAÑA" in text and "MÉXICO" in text
    assert "SPAIN" not in text and "MEXICO" not in text.replace("MÉXICO", "")


@pytest.mark.parametrize("cell", ["Calle Mayor 1\n28013 Madrid", "Calle Mayor 1; 28013 Madrid",
                                  "Calle Mayor 1 / 28013 Madrid"])
def test_address_cells_split_on_breaks_semicolons_and_slashes(tmp_path, case, cell):
    path = sheet(tmp_path, [f'Eva Ruiz,Madrid,ES,,president,,,"{cell}"'], header=HEADER)
    result = run_batch(case, path, tmp_path / "out",
                       BatchOptions(formats=("txt",), record=False, dry_run=True))
    assert result.jobs[0].letter.sender[:3] == ("Eva Ruiz", "Calle Mayor 1", "28013 Madrid")


def test_a_slash_inside_a_line_is_kept(tmp_path, case):
    path = sheet(tmp_path, ['Eva Ruiz,Madrid,MX,,president,,,"Av. Juárez S/N; Centro"'],
                 header=HEADER)
    result = run_batch(case, path, tmp_path / "out",
                       BatchOptions(formats=("txt",), record=False, dry_run=True))
    assert result.jobs[0].letter.sender[1:3] == ("Av. Juárez S/N", "Centro")


def test_batch_help_explains_address_cells():
    r = cli("--help")
    assert "';' or ' / '" in " ".join(r.output.split())
