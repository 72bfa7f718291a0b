"""The page as printed: DOCX takes the same pages as the PDF (checked by converting it with
LibreOffice, as a signer would open it), the signature never stands alone, page 2 carries a
continuation header, and the address sits in the envelope window (read from the PDF's text
positions)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from appeal.api import Options, Supporter, compose_letters, render
from appeal.render import layout
from appeal.render.pdf import layout_letter

from .conftest import FIXED_DATE

# About four sentences (~440 characters): the note that stranded the signature in DOCX.
NOTE = ("Como ciudadana preocupada por los derechos humanos, sigo de cerca esta situación y la "
        "de tantas familias que huyen de la violencia en la región. Les ruego que actúen sin "
        "demora para proteger a quienes buscan refugio y que no devuelvan a nadie a un peligro. "
        "Confío en que el Estado mexicano honrará sus compromisos internacionales de protección. "
        "Quedo atenta a su respuesta y a las medidas concretas que adopten en las próximas semanas.")
LONG_NOTE = " ".join([NOTE] * 3)
ANA = dict(name="Ana García", city="Madrid", address="Calle Mayor 1\n28013 Madrid")


def letter(case, note, country="ES", paper=None, lang="es", target="president", **who):
    supporter = Supporter(**{**ANA, "country": country, **who})
    from appeal.api import Edits

    [one] = compose_letters(case, supporter, Edits(note=note), Options(
        lang=lang, date=FIXED_DATE, targets=(target,), paper=paper))
    return one


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    carlito = shutil.which("fc-list") and "Carlito" in subprocess.run(
        ["fc-list", ":family=Carlito"], capture_output=True, text=True).stdout
    if exe is None or not carlito:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: apt-get install "
                        "libreoffice-writer-nogui fonts-crosextra-carlito")
        pytest.skip("LibreOffice is not installed")
    return exe


def libreoffice_pdfs(tmp_path, docs: dict[str, bytes]) -> dict[str, PdfReader]:
    """Convert the DOCX files with LibreOffice headless, in one run, with a profile of its
    own (other LibreOffice processes on the machine are left alone)."""
    exe = soffice()
    names = []
    for name, data in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
        names.append(str(tmp_path / f"{name}.docx"))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo"), *names],
                   check=True, capture_output=True, timeout=180)
    return {name: PdfReader(str(tmp_path / "lo" / f"{name}.pdf")) for name in docs}


def pdf_pages(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def test_docx_takes_the_same_pages_as_the_pdf_in_libreoffice(case, tmp_path):
    letters = {
        "note-a4": letter(case, NOTE),
        "note-letter": letter(case, NOTE, country="MX", paper="letter"),
        "long-a4": letter(case, LONG_NOTE),
        "long-letter": letter(case, LONG_NOTE, country="MX"),
        "plain-de": letter(case, None, country="DE", lang="de"),
    }
    pdfs = {name: pdf_pages(render(one, "pdf")) for name, one in letters.items()}
    converted = libreoffice_pdfs(tmp_path, {name: render(one, "docx")
                                            for name, one in letters.items()})
    counts = {name: (len(pdfs[name].pages), len(converted[name].pages)) for name in letters}
    assert counts == {"note-a4": (1, 1), "note-letter": (1, 1), "long-a4": (2, 2),
                      "long-letter": (2, 2), "plain-de": (1, 1)}
    # The DOCX puts the address in the same window as the PDF.
    for name, (top, bottom) in (("note-a4", (50.0, 90.0)), ("note-letter", (57.1, 84.3))):
        for reader in (pdfs[name], converted[name]):
            at = [(x, y) for text, x, y in words(reader) if "Andrés Manuel López" in text]
            assert at and top < at[0][1] < top + 20 and 20 < at[0][0] < 30, (name, at)
    for name in ("long-a4", "long-letter"):
        for reader in (pdfs[name], converted[name]):
            page2 = reader.pages[1].extract_text()
            # The continuation header: recipient, date, 2/2.
            assert "Andrés Manuel López Obrador" in page2 and "28 de noviembre de 2026" in page2
            assert "2/2" in page2
            # Page 2 starts inside the note, as in the PDF: page 1 is not left half empty.
            assert "Como ciudadana" in reader.pages[0].extract_text(), name
            # The signature is not alone: body text comes before the closing on page 2.
            before_closing = page2.split("Atentamente")[0]
            assert "compromisos" in before_closing or "semanas" in before_closing, name


def test_the_fit_decision_is_in_the_layout_and_docx_follows_it(case):
    import docx

    plain, noted, long_ = (layout_letter(letter(case, n)).fit for n in (None, NOTE, LONG_NOTE))
    assert (plain.size, plain.pages, plain.shorten_lines) == (layout.BODY_PT, 1, 0)
    assert noted.pages == 1 and noted.shrunk and noted.shorten_lines > 0
    assert long_.pages == 2 and long_.size == layout.MIN_BODY_PT and long_.shorten_lines > 5
    document = docx.Document(io.BytesIO(render(letter(case, NOTE), "docx")))
    assert document.styles["Appeal Body"].font.size.pt == noted.size


def words(reader: PdfReader, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x mm from the left, y mm from the top) of each text run drawn on the page."""
    found = []
    height = float(reader.pages[page].mediabox.height)

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x * 25.4 / 72, (height - y) * 25.4 / 72))

    reader.pages[page].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("paper, country, field", [
    ("a4", "ES", (45.0, 90.0)),  # DIN 5008 form B
    ("letter", "US", (53.3, 84.3)),  # #10 window, letter folded in three
])
@pytest.mark.parametrize("sender_lines", [0, 2, 5])
def test_address_sits_in_the_window_whatever_the_sender_block(case, paper, country, field,
                                                              sender_lines):
    address = "\n".join(f"Line {n}" for n in range(1, sender_lines + 1)) or None
    one = letter(case, None, country=country, paper=paper, address=address,
                 email="ana@example.org")
    found = words(pdf_pages(render(one, "pdf")))
    name_at = [y for text, x, y in found if text.startswith("Sr. Andrés Manuel")]
    country_at = [y for text, x, y in found if text in ("MÉXICO", "MEXICO")]
    assert name_at and country_at
    top, bottom = field
    assert top + 5 <= name_at[0] and country_at[0] <= bottom, (name_at, country_at)
    xs = [x for text, x, y in found if text.startswith("Sr. Andrés Manuel")]
    assert 20 <= xs[0] <= 30
    # Same place with any sender block: the first line never moves.
    window = layout.window(paper)
    lines = len(one.recipient)
    expected_baseline = window.address_top(lines) + window.size * 0.8 * layout.PT_MM
    assert abs(name_at[0] - expected_baseline) < 1.5
    if sender_lines:  # the return line sits in its zone, above the address
        back = [y for text, x, y in found if text.startswith("Ana García ·")]
        assert back and window.return_top <= back[0] <= window.return_top + window.return_height


def test_an_address_too_long_for_the_window_is_reported(case):
    from dataclasses import replace

    one = letter(case, None)
    long_one = replace(one, recipient=one.recipient + ("Extra line",) * 4)
    fit = layout_letter(long_one).fit
    assert not fit.address_fits and fit.address_lines > fit.address_capacity
    wide = replace(one, recipient=one.recipient[:1] + ("W" * 60,) + one.recipient[1:])
    assert layout_letter(wide).fit.address_too_wide == ("W" * 60,)
    assert layout_letter(one).fit.address_fits


def test_compose_says_when_a_letter_is_set_smaller_or_spills(runner, app, tmp_path):
    base = ["compose", "ua-100.21", "--name", "Ana García", "--country", "ES", "--address",
            "Calle Mayor 1", "--address", "28013 Madrid", "--date", "2026-11-28", "--to",
            "president", "--no-record", "--format", "pdf"]
    plain = runner.invoke(app, [*base, "--out", str(tmp_path / "a")])
    assert plain.exit_code == 0 and "Note: " not in plain.output
    shrunk = runner.invoke(app, [*base, "--note", NOTE, "--out", str(tmp_path / "b")])
    import re

    assert re.search(r"Note: Set in 10(\.5)? pt instead of 11 pt to fit one page: shorten your "
                     r"note by about \d+ lines \(~\d+ characters\) to keep 11 pt\.",
                     " ".join(shrunk.output.split())), shrunk.output
    spilled = runner.invoke(app, [*base, "--note", LONG_NOTE, "--out", str(tmp_path / "c")])
    assert "Note: Runs to 2 pages even in 9.5 pt" in spilled.output


def test_batch_manifest_has_a_fit_column(tmp_path):
    from .test_batch_run import cli, manifest, sheet

    header = "name,city,country,language,to,note,email,address\r\n"
    rows = [f'Ana,Madrid,ES,,president,"{LONG_NOTE}",,', "Eva,Madrid,ES,,president,,,"]
    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, rows, header=header), "--out", out,
            "--date", "2021-11-01", "--format", "pdf", "--no-record")
    assert r.exit_code == 0, r.output
    fits = {row["name"]: row["fit"] for row in manifest(out)}
    assert fits == {"Ana": "2 pages; 9.5 pt", "Eva": ""}
    assert "1 letter set smaller, on two pages, with the address outside the window or a label cut" in r.output


def test_a_note_of_many_identical_short_paragraphs_lays_out(case):
    """The same paragraph several times in one letter is one shared object in the layout
    cache: moving one to page 2 with the closing must not break the others."""
    note = "\n\n".join(["Les pido que actúen con urgencia y respeten los derechos de todas "
                        "las personas."] * 6)
    one = letter(case, note, country="MX")
    laid = layout_letter(one)
    assert laid.fit.pages == 2
    text = "".join(page.extract_text() for page in pdf_pages(render(one, "pdf")).pages)
    assert text.count("Les pido que actúen") == 6
    # Page 2 starts with whole paragraphs (moved with the closing), and the DOCX breaks
    # before the same one.
    assert laid.fit.page2_paragraph == len(one.paragraphs) - 1


def test_a_sender_address_too_long_for_the_letterhead_is_reported(case):
    from appeal.fitnotes import fit_notes

    short = layout_letter(letter(case, None, email="ana@example.org")).fit
    assert short.sender_lines_over == 0 and fit_notes(short) == []
    address = "\n".join(f"Line {n}" for n in range(1, 8))
    long_ = layout_letter(letter(case, None, address=address, email="ana@example.org")).fit
    assert long_.sender_lines_over >= 3
    assert any("too long for the top of the page" in note for note in fit_notes(long_))
