"""The command line's shape: short functions, only appeal/cli imports Typer, and a supporter
is given the same way to every command that writes for one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer.main

from appeal.cli.options import SUPPORTER

APPEAL = Path(__file__).resolve().parent.parent / "appeal"


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.end_lineno - node.lineno + 1


def test_no_function_in_the_cli_is_over_60_lines():
    long = {f"{p.name}:{name}": n for p in (APPEAL / "cli").glob("*.py")
            for name, n in _functions(p) if n > 60}
    assert long == {}


def test_only_the_cli_imports_typer():
    users = []
    for path in APPEAL.rglob("*.py"):
        if "cli" in path.relative_to(APPEAL).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "typer" for n in names):
                users.append(str(path.relative_to(APPEAL)))
    assert users == []


def _options(app, command: str) -> set[str]:
    click_command = typer.main.get_command(app).commands[command]
    return {opt for p in click_command.params for opt in p.opts}


@pytest.mark.parametrize("command", ["compose", "email"])
def test_the_same_supporter_options_on_every_writing_command(app, command):
    assert set(SUPPORTER) <= _options(app, command)


def test_from_is_a_hidden_old_name_of_email(app, runner, tmp_path, monkeypatch):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "l.sqlite3"))
    help_page = runner.invoke(app, ["email", "--help"]).output
    assert "--email EMAIL" in help_page and "--from" not in help_page
    for option in ("--email", "--from"):
        out = tmp_path / option.strip("-")
        result = runner.invoke(app, ["email", "ua-100.21", "--name", "Ana", option, "a@b.org",
                                     "--to", "president", "--out", str(out), "--no-record"])
        assert result.exit_code == 0, result.output
        [draft] = out.glob("*.eml")
        assert "From: Ana <a@b.org>" in draft.read_text(encoding="utf-8")


def test_email_takes_a_body_file_and_a_date(app, runner, tmp_path, monkeypatch):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "l.sqlite3"))
    body = tmp_path / "body.txt"
    body.write_text("Señor Presidente:\n\nPalabras mías.\n\nAtentamente,\nAna", encoding="utf-8")
    result = runner.invoke(app, ["email", "ua-100.21", "--name", "Ana", "--to", "president",
                                 "--body-file", str(body), "--date", "2026-11-28",
                                 "--out", str(tmp_path / "out"), "--no-record"])
    assert result.exit_code == 0, result.output
    assert "left out of your --body-file" in result.output
    import email

    [path] = (tmp_path / "out").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Palabras mías." in text and text.count("Atentamente,") == 1
    assert "28 de noviembre de 2026" in text
