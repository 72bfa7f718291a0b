"""The fast writers batch relies on, checked against the libraries they stand in for: the
DOCX fast path's zip writer against :mod:`zipfile`, and the hand-written PDF writer (letters
and print-all.pdf) against qpdf's structural check."""

import datetime as dt
import io
import shutil
import subprocess

import docx
import pytest

from appeal.api import load_case
from appeal.batch import BatchOptions, run_batch
from appeal.compose import Edits, Options, Supporter, compose
from appeal.render.docx import _render_fast


@pytest.fixture(scope="module")
def case():
    return load_case("ua-100.21")


def _described(data: bytes):
    doc = docx.Document(io.BytesIO(data))
    paragraphs = []
    for p in doc.paragraphs:
        fmt = p.paragraph_format
        paragraphs.append((p.style.name, p.text, fmt.space_after, fmt.space_before,
                           fmt.alignment, [(r.text, r.bold, r.italic) for r in p.runs]))
    section = doc.sections[0]
    page = (section.page_width, section.page_height, section.left_margin, section.right_margin,
            section.top_margin, section.bottom_margin, section.header_distance,
            section.footer_distance)
    styles = {s.name: (s.font.size, s.font.bold, s.font.name, s.paragraph_format.alignment,
                       s.paragraph_format.space_before, s.paragraph_format.space_after,
                       s.paragraph_format.keep_with_next, s.paragraph_format.line_spacing)
              for s in doc.styles if s.type == 1}
    core = doc.core_properties
    props = (core.title, core.author, core.subject, core.language, core.keywords,
             core.comments, core.last_modified_by)
    return paragraphs, page, styles, props


@pytest.mark.parametrize("lang, target, note", [
    ("es", "president", "Le pido <que> actúe & rápido.\nSegunda línea\tcon tabulador."),
    ("en", "ambassador", None),
    ("fr", "president", "  Espaces  au début"),
])
def test_fast_docx_matches_python_docx(case, lang, target, note, monkeypatch):
    """The hand-written zip (document, properties and page-2 header appended to the base
    package) reads back like the one :mod:`zipfile` writes when appending the same parts:
    same paragraphs (text, style, runs, spacing), styles, page set-up and properties."""
    import zipfile

    from appeal.render import docx as docx_module
    from appeal.render.pdf import layout_letter

    who = Supporter("Zoë O'Brien & Co", city="Lyon", country="FR",
                    address="12 rue de la Paix\n69001 Lyon")
    chosen = next(t for t in case.case.targets if t.id == target)
    letter = compose(case, chosen, who, Edits(note=note),
                     Options(lang=lang, date=dt.date(2021, 11, 1)))
    fit = layout_letter(letter).fit
    data = _render_fast(letter, fit)

    def appended(base: bytes, parts) -> bytes:
        buf = io.BytesIO(base)
        buf.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as package:
            for name, texts in parts:  # each part in pieces (see appeal.render.deflate)
                package.writestr(name, "".join(text for text, _shared in texts).encode("utf-8"))
        return buf.getvalue()

    monkeypatch.setattr(docx_module, "_package", appended)
    reference = _render_fast(letter, fit)
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # the zip written by hand is sound
        assert package.testzip() is None
        names = package.namelist()
    with zipfile.ZipFile(io.BytesIO(reference)) as package:
        assert sorted(names) == sorted(package.namelist())
        header = docx_module._base(letter.paper, letter.lang, fit.size).header[0]
        assert header in names
        assert package.read(header) == zipfile.ZipFile(io.BytesIO(data)).read(header)
    fast, full = _described(data), _described(reference)
    assert fast[0] == full[0]
    assert fast[1] == full[1]
    assert fast[2] == full[2]
    assert fast[3] == full[3]


needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None,
                                reason="qpdf is installed by .ci/run")


@needs_qpdf
def test_letters_and_print_all_pass_qpdf_check(tmp_path, case):
    rows = ["name;city;country;language;note",
            "Ana García;Oaxaca;MX;es;Una nota con «comillas» y € y ñ.",
            "Zoë Müller;Köln;DE;de;",
            "Łukasz Nowak;Kraków;PL;en;" + "A long note. " * 120]  # two pages
    src = tmp_path / "s.csv"
    src.write_text("\r\n".join(rows) + "\r\n", "utf-8")
    out = tmp_path / "o"
    result = run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1),
                                                    formats=("pdf",), duplex=True))
    assert result.ok and result.made == 6
    pdfs = sorted((out / "letters").glob("*.pdf")) + [out / "print-all.pdf"]
    for pdf in pdfs:
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, (pdf.name, check.stdout, check.stderr)
        assert "No syntax or stream encoding errors" in check.stdout
