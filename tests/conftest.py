"""Shared fixtures: the bundled case, a CLI runner, isolated user folders, file readers."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXED_DATE = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's folders, and messages are in English."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in ("APPEAL_CASES", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "APPEAL_LEDGER"):
        monkeypatch.delenv(var, raising=False)
    from appeal.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def case():
    from appeal.api import load_case

    return load_case("ua-100.21")


@pytest.fixture
def case_copy(tmp_path):
    """A writable copy of the bundled case folder, for tests that break it on purpose."""
    dest = tmp_path / "cases" / "ua-100.21"
    shutil.copytree(ROOT / "letters" / "ua-100.21", dest)
    return dest


@pytest.fixture
def app():
    from appeal.cli import create_app

    return create_app()


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


def pdf_text(data_or_path) -> str:
    from pypdf import PdfReader

    src = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    return "\n".join(page.extract_text() for page in PdfReader(src).pages)


def docx_paragraphs(data_or_path) -> list:
    import docx

    src = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
    return all_paragraphs(docx.Document(src))


def all_paragraphs(document) -> list:
    """Paragraphs in reading order, those in tables too (page 1's sender and address blocks
    sit in a table of fixed row heights)."""
    out = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    out += cell.paragraphs
        else:
            out.append(block)
    return out


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []
