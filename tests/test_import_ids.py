"""No case is ever lost or shadowed by an import; values given at import time are marked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from appeal.cli import create_app

SEED = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"


def run(*args):
    from typer.testing import CliRunner

    return CliRunner().invoke(create_app(), list(args))


def user_cases() -> Path:
    from appeal.cases import user_cases_dir

    return user_cases_dir()


def test_seed_import_into_the_user_folder_never_hides_the_bundled_case():
    result = run("import", str(SEED))
    assert result.exit_code == 1
    assert "A case with id ua-100.21 is bundled with appeal" in result.output
    assert "--id ua-100.21-2" in result.output
    assert not (user_cases() / "ua-100.21").exists()

    result = run("import", str(SEED), "--id", "ua-100.21-2")
    assert result.exit_code == 0, result.output
    listing = run("cases").output.splitlines()
    bundled = next(x for x in listing if x.startswith("ua-100.21\t"))
    assert "languages: de, en, es, fr, pt" in bundled  # the Spanish letters are still in use
    assert any(x.startswith("ua-100.21-2\t") for x in listing)

    again = run("import", str(SEED), "--id", "ua-100.21-2")
    assert again.exit_code == 1
    assert f"A case with id ua-100.21-2 already exists: {user_cases() / 'ua-100.21-2'}" in \
        again.output
    assert "--id ua-100.21-2-2" in again.output and "--force to replace it" in again.output


def test_force_makes_a_copy_that_hides_the_bundled_case_and_says_so():
    result = run("import", str(SEED), "--force")
    assert result.exit_code == 0, result.output
    assert "Note: this case hides the bundled case of the same id" in result.output
    listing = run("cases").output
    assert "ua-100.21 (your copy; the bundled case of the same id is hidden)\t" in listing
    show = run("show", "ua-100.21").output
    assert "Note: your copy; the bundled case of the same id is hidden (" in show
    assert str(user_cases() / "ua-100.21") in show
    import json

    hidden = json.loads(run("show", "ua-100.21", "--json").output)["hides"]
    assert [Path(h).resolve() for h in hidden] == [
        (Path(__file__).resolve().parent.parent / "letters" / "ua-100.21").resolve()]
    # the bundled case itself is untouched
    bundled = Path(__file__).resolve().parent.parent / "letters" / "ua-100.21" / "case.yaml"
    assert "es: Deben cesar las deportaciones masivas" in bundled.read_text(encoding="utf-8")


def test_force_replaces_a_user_case_of_the_same_id():
    assert run("import", str(SEED), "--id", "mine").exit_code == 0
    case_yaml = user_cases() / "mine" / "case.yaml"
    case_yaml.write_text(case_yaml.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert run("import", str(SEED), "--id", "mine").exit_code == 1
    assert "# edited" in case_yaml.read_text(encoding="utf-8")
    assert run("import", str(SEED), "--id", "mine", "--force").exit_code == 0
    assert "# edited" not in case_yaml.read_text(encoding="utf-8")


def test_an_id_held_in_an_extra_cases_folder_is_refused(tmp_path, monkeypatch):
    other = tmp_path / "group"
    assert run("import", str(SEED), "--id", "shared", "--out", str(other)).exit_code == 0
    monkeypatch.setenv("APPEAL_CASES", str(other))
    result = run("import", str(SEED), "--id", "shared")
    assert result.exit_code == 1
    assert f"already exists: {other / 'shared'}" in result.output
    assert not (user_cases() / "shared").exists()


def test_a_folder_in_out_is_never_replaced_without_force(tmp_path):
    assert run("import", str(SEED), "--out", str(tmp_path)).exit_code == 0
    result = run("import", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "--id ua-100.21-2" in result.output


def test_title_country_and_deadline_given_at_import_are_marked_in_the_review(tmp_path):
    result = run("import", str(SEED), "--out", str(tmp_path), "--title", "Stop the deportations",
                 "--country", "México", "--deadline", "2026-03-16")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Stop the deportations" in out
    assert "given by you with --title, not read from the document" in out
    assert "given by you with --country, not read from the document" in out
    assert "given by you with --deadline, not read from the document" in out
    assert ('The document gives title "Mass deportations must stop"; the value you gave with '
            "--title is used instead.") in out
    assert "hides the bundled case" not in out  # --out is not searched: nothing is hidden
    data = yaml.safe_load((tmp_path / "ua-100.21" / "case.yaml").read_text(encoding="utf-8"))
    assert data["title"] == {"en": "Stop the deportations"}
    assert data["country"] == "MX"
    assert data["deadline"] == dt.date(2026, 3, 16)
    assert "deadline_text" not in data  # the UA's wording of its own date is not kept


@pytest.mark.parametrize("value, code", [("pe", "PE"), ("Peru", "PE"), ("Perú", "PE"),
                                         ("Pérou", "PE"), ("united states", "US")])
def test_country_is_a_code_or_a_name(value, code):
    from appeal.importer.given import country_code

    assert country_code(value) == code


@pytest.mark.parametrize("args, message", [
    (["--country", "Narnia"], "--country: 'Narnia' is not a country code or a country name."),
    (["--country", "EU"], "--country: 'EU' is not a country code"),
    (["--deadline", "16/03/2026"], "--deadline: '16/03/2026' is not a date in the form "
                                   "YYYY-MM-DD."),
    (["--title", "  "], "--title: must not be empty."),
])
def test_bad_given_values_are_usage_errors(tmp_path, args, message):
    result = run("import", str(SEED), "--out", str(tmp_path), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_library_import_takes_the_same_values(tmp_path):
    from appeal.importer import import_document

    result = import_document(SEED, out_dir=tmp_path, case_id="ua-x", title="Stop it",
                             country="mx", deadline="2026-03-16")
    assert result.loaded.case.title == {"en": "Stop it"}
    assert result.loaded.case.deadline == dt.date(2026, 3, 16)


def test_title_fills_a_document_without_one(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("MASS DEPORTATIONS MUST STOP", "", 1)
    source = tmp_path / "no-title.txt"
    source.write_text(text, encoding="utf-8")
    result = run("import", str(source), "--out", str(tmp_path / "out"), "--title", "Given")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "out" / "ua-100.21" / "case.yaml").read_text("utf-8"))
    assert data["title"] == {"en": "Given"}


def test_a_killed_imports_staging_folder_is_swept_by_the_next_import(tmp_path):
    """A half-written case folder left by a killed import goes; one of a running import, a
    link of that name and its target stay."""
    import os
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(gone.stdout)
    left = tmp_path / f".appeal-import-{dead}-x1y2"
    left.mkdir()
    (left / "case.yaml").write_text("id: half\n", encoding="utf-8")
    running = tmp_path / f".appeal-import-{os.getppid()}-z3"  # a live process: kept
    running.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    link = tmp_path / f".appeal-import-{dead}-link"
    link.symlink_to(target, target_is_directory=True)

    assert run("import", str(SEED), "--out", str(tmp_path)).exit_code == 0
    assert not left.exists()
    assert running.is_dir()
    assert link.is_symlink() and (target / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "ua-100.21" / "case.yaml").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".appeal-import-")
                and p not in (running, link)]
