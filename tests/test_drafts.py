"""Draft cases: every output makes what the case has and refuses what it lacks, naming the
field and the file; ``appeal check`` says which gap blocks which output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from docx import Document

from appeal.cli import create_app

LETTER = "I am writing about {{ case.title.en }}.\n\nPlease release them.\n"


def run(*args, **kwargs):
    from typer.testing import CliRunner

    return CliRunner().invoke(create_app(), list(args), **kwargs)


def write_case(root: Path, data: dict, letter: str | None = LETTER, case_id: str = "ua-draft"):
    folder = root / case_id
    folder.mkdir(parents=True, exist_ok=True)
    data = {"id": case_id, "status": "draft", "preferred_language": "en", **data}
    if letter is not None:
        data.setdefault("letters", {"en": "letter.en.j2"})
        (folder / "letter.en.j2").write_text(letter, encoding="utf-8")
    (folder / "case.yaml").write_text(
        "# my notes stay\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return folder


FULL_ADDRESS = {"lines": ["Palacio 1"], "city": "Lima", "country": "PE"}
NAMED = {"id": "president", "name": "Ana Pérez", "role": "head_of_state", "gender": "female",
         "emails": ["p@example.org"], "phones": ["+51 1 311 3900"], "twitter": ["@pres"],
         "address": FULL_ADDRESS}


@pytest.fixture
def cases(tmp_path):
    return tmp_path / "cases"


def case_args(cases):
    return ["--cases", str(cases)]


# --- compose -------------------------------------------------------------------------------

def test_no_sample_letter_refuses_letters_and_says_which_field_and_file(cases, tmp_path):
    folder = write_case(cases, {"title": {"en": "Free them"}, "targets": [NAMED]}, letter=None)
    result = run("compose", "ua-draft", "--name", "Bo", "--out", str(tmp_path / "o"),
                 *case_args(cases))
    assert result.exit_code == 1
    assert "cannot make printed letters" in result.output
    assert "(letters)" in result.output
    assert str(folder) in result.output  # where to add the sample letter
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
    # a post needs no sample letter
    post = run("post", "ua-draft", *case_args(cases))
    assert post.exit_code == 0, post.output
    assert "@pres Free them (Urgent Action)." in post.output
    for command in (["email", "ua-draft", "--name", "Bo", "--out", str(tmp_path / "e")],
                    ["call", "ua-draft"]):
        refused = run(*command, *case_args(cases))
        assert refused.exit_code == 1 and "(letters)" in refused.output, refused.output


def test_target_without_name_is_skipped_or_refused_by_name(cases, tmp_path):
    nameless = {"id": "attorney-general", "address": FULL_ADDRESS, "emails": ["ag@example.org"]}
    folder = write_case(cases, {"title": {"en": "Free them"}, "targets": [nameless, NAMED]})
    out = tmp_path / "o"
    result = run("compose", "ua-draft", "--name", "Bo", "--out", str(out), "--format", "docx",
                 "--no-record", *case_args(cases))
    assert result.exit_code == 0, result.output
    assert ("Skipped attorney-general: the case lacks the name of target attorney-general "
            f"(targets[0].name) in {folder / 'case.yaml'}.") in result.output
    made = sorted(p.name for p in out.iterdir())
    assert made == ["ua-draft_president_en_Bo.docx"]
    named = run("compose", "ua-draft", "--name", "Bo", "--to", "attorney-general",
                "--out", str(out), *case_args(cases))
    assert named.exit_code == 2
    assert "targets[0].name" in named.output and "None" not in named.output


def test_missing_address_refuses_print_but_not_text_or_email(cases, tmp_path):
    target = {**NAMED, "address": None}
    del target["address"]
    write_case(cases, {"title": {"en": "Free them"}, "targets": [target]})
    pdf = run("compose", "ua-draft", "--name", "Bo", "--out", str(tmp_path / "p"),
              *case_args(cases))
    assert pdf.exit_code == 1
    assert "printed letters" in pdf.output and "targets[0].address" in pdf.output
    txt = run("compose", "ua-draft", "--name", "Bo", "--format", "txt", "--no-record",
              "--out", str(tmp_path / "t"), *case_args(cases))
    assert txt.exit_code == 0, txt.output
    text = next((tmp_path / "t").glob("*.txt")).read_text(encoding="utf-8")
    assert "Ana Pérez" in text and "Please release them." in text
    email = run("email", "ua-draft", "--name", "Bo", "--no-record", "--out", str(tmp_path / "e"),
                *case_args(cases))
    assert email.exit_code == 0, email.output
    import email as email_lib
    from email import policy

    msg = email_lib.message_from_bytes(next((tmp_path / "e").glob("*.eml")).read_bytes(),
                                       policy=policy.default)
    assert msg["To"] == "Ana Pérez <p@example.org>"
    assert msg["Subject"] == "Free them (Urgent Action)"  # no UA number yet


def test_batch_leaves_out_a_target_without_address_and_says_so(cases, tmp_path):
    other = {"id": "minister", "name": "Luis Ruiz", "role": "minister", "gender": "male"}
    write_case(cases, {"title": {"en": "Free them"}, "targets": [NAMED, other]})
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,to\nAna,\nBea,minister\n", encoding="utf-8")
    result = run("batch", "ua-draft", str(sheet), "--out", str(tmp_path / "b"), "--no-record",
                 "--format", "pdf", "--jobs", "1", *case_args(cases))
    assert "Skipped minister: the case lacks the postal address of target minister " \
           "(targets[1].address) in " in \
        result.output
    assert "sheet.csv:3" in result.output and "targets[1].address" in result.output
    assert result.exit_code == 1  # the row that asked for the minister is not made
    assert sorted(p.name for p in (tmp_path / "b" / "letters").iterdir()) == [
        "ua-draft_president_en_Ana.pdf"]  # letters are named by who, not by sheet line


def test_address_without_city_or_country_prints_as_given_in_text_and_show(cases, tmp_path):
    partial = {**NAMED, "address": {"lines": ["Jr. Junín 1", "Lima 1"]}}
    write_case(cases, {"title": {"en": "Free them"}, "targets": [partial]})
    txt = run("compose", "ua-draft", "--name", "Bo", "--format", "txt", "--no-record",
              "--out", str(tmp_path / "t"), *case_args(cases))
    assert txt.exit_code == 0, txt.output
    text = next((tmp_path / "t").glob("*.txt")).read_text(encoding="utf-8")
    assert "Jr. Junín 1\nLima 1" in text
    show = run("show", "ua-draft", *case_args(cases))
    assert show.exit_code == 0, show.output
    assert "    Jr. Junín 1\n    Lima 1\n" in show.output
    docx = run("compose", "ua-draft", "--name", "Bo", "--format", "docx",
               "--out", str(tmp_path / "d"), *case_args(cases))
    assert docx.exit_code == 1
    assert "targets[0].address.city, targets[0].address.country" in docx.output


def test_no_title_blocks_every_output(cases, tmp_path):
    write_case(cases, {"targets": [NAMED]})
    for command in (["compose", "ua-draft", "--name", "Bo", "--format", "txt"],
                    ["post", "ua-draft"], ["call", "ua-draft"]):
        result = run(*command, "--out", str(tmp_path), *case_args(cases)) \
            if command[0] == "compose" else run(*command, *case_args(cases))
        assert result.exit_code == 1, result.output
        assert "it lacks the title (title)" in result.output


def test_letters_without_ua_number_name_the_ua_without_it_in_every_language(cases):
    from appeal.api import Options, Supporter, compose_letters, load_case

    folder = write_case(cases, {"title": {"en": "Free them", "es": "Libérenlos"},
                                "targets": [NAMED]})
    (folder / "letter.es.j2").write_text("Les escribo.\n", encoding="utf-8")
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    data["letters"]["es"] = "letter.es.j2"
    (folder / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_case("ua-draft", [cases])
    es = compose_letters(loaded, Supporter("Bo"), options=Options(lang="es"))[0]
    assert es.subject == "Asunto: Libérenlos (Acción Urgente)"
    assert "None" not in es.title + " ".join(es.paragraphs)


def test_library_refuses_a_print_letter_without_address(cases):
    from appeal.api import AppealError, Options, Supporter, compose_letters, load_case
    from appeal.readiness import PRINT, blocking, select

    target = dict(NAMED)
    del target["address"]
    write_case(cases, {"title": {"en": "Free them"}, "targets": [target]})
    loaded = load_case("ua-draft", [cases])
    with pytest.raises(AppealError, match=r"targets\[0\]\.address"):
        compose_letters(loaded, Supporter("Bo"), options=Options(output=PRINT))
    assert compose_letters(loaded, Supporter("Bo"))[0].recipient == ("Ana Pérez",)
    assert [g.field for g in blocking(loaded, PRINT, loaded.case.targets[0])] == [
        "targets[0].address"]
    with pytest.raises(AppealError, match="cannot make printed letters"):
        select(loaded, PRINT)


def test_a_case_without_targets_refuses_with_the_field(cases, tmp_path):
    write_case(cases, {"title": {"en": "Free them"}})
    result = run("compose", "ua-draft", "--name", "Bo", "--out", str(tmp_path),
                 *case_args(cases))
    assert result.exit_code == 1 and "(targets)" in result.output, result.output


# --- cases, show, check --------------------------------------------------------------------

def test_cases_and_show_tell_a_draft_and_what_it_lacks(cases):
    write_case(cases, {"title": {"en": "Free them"}, "targets": [{"id": "minister"}]})
    listing = run("cases", *case_args(cases))
    assert listing.exit_code == 0
    line = next(x for x in listing.output.splitlines() if x.startswith("ua-draft"))
    assert line.endswith("draft: lacks ua_number, country, deadline and 2 more")
    bundled = next(x for x in listing.output.splitlines() if x.startswith("ua-100.21"))
    assert bundled.endswith("complete")
    show = run("show", "ua-draft", *case_args(cases))
    assert "Status: draft: lacks ua_number, country, deadline, targets[0].name, " \
           "targets[0].address" in show.output
    assert "[minister] (no name)" in show.output
    assert "appeal check ua-draft" in show.output
    data = json.loads(run("show", "ua-draft", "--json", *case_args(cases)).output)
    assert data["status"] == "draft"
    assert data["missing"] == ["ua_number", "country", "deadline", "targets[0].name",
                               "targets[0].address"]


def test_check_says_what_each_gap_blocks(cases):
    nameless = {"id": "attorney-general", "emails": ["ag@example.org"]}
    folder = write_case(cases, {"title": {"en": "Free them"}, "targets": [nameless, NAMED]})
    result = run("check", "ua-draft", *case_args(cases))
    assert result.exit_code == 1
    out = result.output
    assert out.startswith(f"ua-draft (draft) — {folder / 'case.yaml'}\n")
    assert "  - ua_number: the UA number; blocks nothing (for your information)" in out
    assert ("  - targets[0].name: the name of target attorney-general; blocks letters, "
            "printed letters, email, calls") in out
    assert ("  - targets[0].address: the postal address of target attorney-general; blocks "
            "printed letters") in out
    assert ("  email (appeal email): ready for president; not for attorney-general (the name "
            "of target attorney-general)") in out
    assert "  posts (appeal post): ready for president; not for attorney-general (no social " \
           "media handle)" in out
    assert out.rstrip().endswith("then run 'appeal check ua-draft' again.")


def test_check_then_mark_complete_after_the_user_fills_the_gaps(cases):
    folder = write_case(cases, {"title": {"en": "Free them"}, "targets": [NAMED]})
    refused = run("check", "ua-draft", "--mark-complete", *case_args(cases))
    assert refused.exit_code == 1
    assert "still lacks ua_number, country: it stays a draft" in refused.output
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    (folder / "case.yaml").write_text(text + "ua_number: '12.25'\ncountry: PE\n"
                                      "deadline: 2026-03-16\n", encoding="utf-8")
    ready = run("check", "ua-draft", *case_args(cases))
    assert ready.exit_code == 0, ready.output
    assert "Nothing blocks any output. Mark the case complete with: appeal check ua-draft " \
           "--mark-complete" in ready.output
    marked = run("check", "ua-draft", "--mark-complete", *case_args(cases))
    assert marked.exit_code == 0, marked.output
    assert "Marked ua-draft complete" in marked.output
    assert "The case is complete." in marked.output
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "status: complete\n" in text and text.startswith("# my notes stay\n")
    assert run("cases", *case_args(cases)).output.count("complete") == 2


def test_check_reports_a_broken_edit_with_every_problem(cases):
    folder = write_case(cases, {"title": {"en": "Free them"}, "targets": [NAMED]})
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    (folder / "case.yaml").write_text(text.replace("status: draft", "status: complete")
                                      + "deadline: someday\n", encoding="utf-8")
    result = run("check", "ua-draft", *case_args(cases))
    assert result.exit_code == 1
    assert "ua_number" in result.output and "deadline" in result.output
    assert "while it lacks some, write 'status: draft' in it." in result.output
    assert "Traceback" not in result.output


def test_check_of_the_bundled_case_is_complete():
    result = run("check", "ua-100.21")
    assert result.exit_code == 0, result.output
    assert "ua-100.21 (complete)" in result.output
    assert "The case is complete." in result.output
    assert "  call scripts (appeal call): ready for ambassador; not for president (no phone " \
           "number)" in result.output


def test_check_says_when_no_target_has_the_channel(cases):
    target = {k: v for k, v in NAMED.items() if k != "twitter"}
    write_case(cases, {"title": {"en": "Free them"}, "targets": [target]})
    out = run("check", "ua-draft", *case_args(cases)).output
    assert "  posts (appeal post): no target has a social media handle\n" in out


def test_check_in_spanish(cases):
    result = run("--ui-lang", "es", "check", "ua-100.21")
    assert "El caso está completo." in result.output
    assert "cartas impresas" in result.output
    write_case(cases, {"title": {"en": "Free them"}, "targets": [{"id": "minister"}]})
    draft = run("--ui-lang", "es", "check", "ua-draft", *case_args(cases)).output
    assert draft.startswith("ua-draft (borrador) — ")
    assert "  - ua_number: el número de la Acción Urgente; no impide nada" in draft
    assert "  - targets[0].name: el nombre del destinatario minister; impide cartas, cartas " \
           "impresas, correo electrónico, llamadas" in draft


def test_docx_of_a_draft_reads_back_with_the_name_and_no_placeholder(cases, tmp_path):
    write_case(cases, {"title": {"en": "Free them"}, "targets": [NAMED]})
    result = run("compose", "ua-draft", "--name", "Bo", "--format", "docx", "--no-record",
                 "--out", str(tmp_path), *case_args(cases))
    assert result.exit_code == 0, result.output
    from .conftest import all_paragraphs  # the address sits in page 1's table

    text = "\n".join(p.text for p in all_paragraphs(Document(next(tmp_path.glob("*.docx")))))
    assert "Ana Pérez" in text and "Re: Free them (Urgent Action)" in text
    assert "None" not in text


DRAFTS = {
    "bare": {},
    "no-letter": {"title": {"en": "T"}, "targets": [NAMED]},
    "nameless": {"title": {"en": "T"}, "targets": [{"id": "x", "address": {"lines": ["A 1"]},
                                                    "emails": ["x@example.org"],
                                                    "phones": ["+1 202 555 0100"],
                                                    "twitter": ["@x"]}]},
    "partial-address": {"title": {"en": "T"}, "ua_number": "12.25",
                        "targets": [{**NAMED, "address": {"lines": ["A 1"], "country": "PE"}}]},
}


@pytest.mark.parametrize("kind", sorted(DRAFTS))
def test_no_command_gives_a_traceback_on_a_draft(kind, cases, tmp_path, monkeypatch):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.db"))
    write_case(cases, DRAFTS[kind], letter=None if kind == "no-letter" else LETTER)
    sheet = tmp_path / "s.csv"
    sheet.write_text("name\nAna\n", encoding="utf-8")
    c = case_args(cases)
    commands = [
        ["cases", *c], ["show", "ua-draft", *c], ["show", "ua-draft", "--json", *c],
        ["check", "ua-draft", *c],
        ["compose", "ua-draft", "--name", "Bo", "--out", str(tmp_path / "c"), *c],
        ["compose", "ua-draft", "--name", "Bo", "--format", "txt", "--out", str(tmp_path / "t"),
         *c],
        ["email", "ua-draft", "--name", "Bo", "--out", str(tmp_path / "e"), *c],
        ["post", "ua-draft", *c], ["call", "ua-draft", *c],
        ["batch", "ua-draft", str(sheet), "--out", str(tmp_path / "b"), "--jobs", "1", *c],
        ["record", "ua-draft", "--channel", "call", "--to", "x", *c] if kind == "nameless"
        else ["record", "ua-draft", "--channel", "call", "--to", "president", *c],
        ["report", "ua-draft", *c], ["report", "ua-draft", "--csv", *c],
    ]
    for command in commands:
        if kind == "bare" and command[0] == "record":
            continue
        result = run(*command)
        assert result.exit_code in (0, 1, 2), (command, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit), (command, result.exception)
        assert "Traceback" not in result.output and "None" not in result.output, (
            command, result.output)
