"""The library stays independent of the command line, and DOCX files open in LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from appeal.api import Options, Supporter, compose_letters, write_letters

from .conftest import FIXED_DATE


def test_library_does_not_import_the_cli():
    code = ("import sys, appeal.api, appeal.render.text; "
            "print('typer' in sys.modules, 'reportlab' in sys.modules, 'docx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]  # heavy modules load lazily


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice_as_one_page(case, tmp_path):
    from pypdf import PdfReader

    letters = compose_letters(case, Supporter("Ana García", city="Oaxaca", country="MX"),
                              options=Options(date=FIXED_DATE, targets=("president",)))
    [written] = write_letters(letters, tmp_path, ("docx",))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(written.paths[0])],
                   check=True, capture_output=True, timeout=120)
    [pdf] = (tmp_path / "pdf").glob("*.pdf")
    reader = PdfReader(pdf)
    text = reader.pages[0].extract_text()
    assert "Señor Presidente:" in text and "Oaxaca, 28 de noviembre de 2026" in text
