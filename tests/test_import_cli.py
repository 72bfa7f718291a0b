"""`appeal import` on the command line: review on stdout, errors on stderr with exit codes."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from appeal.cli_import import register

SEED = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"


def app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.command("noop")
    def noop() -> None:  # a second command keeps Typer from collapsing to one
        pass

    return application


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(app(), list(args), input=input)


def test_import_prints_review(tmp_path):
    result = run("import", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Imported into" in result.stdout and "ua-100.21" in result.stdout
    assert "Not found in the UA" in result.stdout and "issue date" in result.stdout
    assert (tmp_path / "ua-100.21" / "case.yaml").is_file()
    assert (tmp_path / "ua-100.21" / "letter.en.j2").is_file()


def test_import_from_stdin_with_id(tmp_path):
    result = run("import", "-", "--out", str(tmp_path), "--id", "pasted",
                 input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pasted" / "case.yaml").is_file()


def test_existing_folder_without_force_fails_cleanly(tmp_path):
    assert run("import", str(SEED), "--out", str(tmp_path)).exit_code == 0
    result = run("import", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.output
    assert run("import", str(SEED), "--out", str(tmp_path), "--force").exit_code == 0


def test_not_a_ua_and_missing_file(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("Shopping list\n\nmilk\neggs\n")
    result = run("import", str(junk), "--out", str(tmp_path))
    assert result.exit_code == 1 and "Urgent Action" in result.stderr
    result = run("import", str(tmp_path / "nope.docx"), "--out", str(tmp_path))
    assert result.exit_code == 1 and "Cannot read" in result.stderr


def test_bad_id_and_lang_are_usage_errors(tmp_path):
    assert run("import", str(SEED), "--out", str(tmp_path), "--id", "Bad/Id").exit_code == 2
    assert run("import", str(SEED), "--out", str(tmp_path), "--lang", "de").exit_code == 2


def test_truncated_ua_is_imported_as_a_draft(tmp_path):
    # used to fail with exit 1; now a draft case with the review saying what is missing
    text = SEED.read_text(encoding="utf-8")
    result = run("import", "-", "--out", str(tmp_path), "--id", "cut",
                 input=text[: text.index("Dear President")])
    assert result.exit_code == 0, result.output
    assert "Status: draft" in result.stdout and "sample letter" in result.stdout
    assert "status: draft" in (tmp_path / "cut" / "case.yaml").read_text(encoding="utf-8")


def test_review_in_spanish(tmp_path):
    from appeal.i18n import set_language

    set_language("es")
    try:
        result = run("import", str(SEED), "--out", str(tmp_path))
    finally:
        set_language("en")
    assert result.exit_code == 0, result.output
    assert "Encontrado:" in result.stdout and "No encontrado en la Acción Urgente:" in result.stdout
    assert "fecha de emisión" in result.stdout


def test_spanish_catalog_is_complete():
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "locales"
    with (root / "es" / "LC_MESSAGES" / "import.po").open("rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_every_import_message_is_in_a_spanish_catalog():
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    known = set()
    for po in (root / "locales" / "es" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as fh:
            known |= {m.id for m in read_po(fh) if m.id and m.string}
    files = sorted((root / "appeal" / "importer").glob("*.py")) + [root / "appeal" / "cli_import.py"]
    missing = [msg for f in files for _l, msg, _c, _x in extract_from_file("python", str(f))
               if msg not in known]
    assert missing == []
