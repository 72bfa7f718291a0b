"""Under LANGUAGE=es every word appeal prints is Spanish: each command's --help (with the help
framework's own words) and the common mistakes. A test that fails on any English left."""

from __future__ import annotations

import re

import pytest

_WORDS = """
the and of to your you for with this that from only each every usage options option arguments
argument commands command message exit required default missing such try help invalid
value letters write print send target targets file folder language languages not one
per or is are be will in an it if when without instead phone env var possible needs must least
should input valid integer does match formats extra got unexpected requires available deadline
warning show dynamic aborted yes head state unknown true false given
"""
ENGLISH = set(_WORDS.split())

VALUES = re.compile(r"«[^»]*»|'[^']*'|--\S+|\$\w+|\S*\w[-./_@<>]\w\S*|\b[A-Z][A-Z0-9_]+\b"
                    r"|\bappeal [a-z]+"
                    r"|^  [a-z]+(?=  )", re.MULTILINE)  # the last: a command's name in a list


def english_words(text: str) -> set[str]:
    """English words outside values, option names, placeholders and paths."""
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", VALUES.sub(" ", text))
            if w.lower() in ENGLISH}


@pytest.fixture
def es_app():
    from appeal.cli import create_app
    from appeal.i18n import set_language

    set_language("es")
    return create_app()


def _commands(app) -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)


def test_the_detector_can_fail():
    assert english_words("Usage: appeal [OPTIONS]\n  --help  Show this message and exit.") == {
        "usage", "show", "this", "message", "and", "exit"}
    assert not english_words("Uso: appeal [OPCIONES] «Missing option» --no-record letters-out")


def test_every_help_page_is_spanish(es_app, runner):
    pages = {"appeal": runner.invoke(es_app, ["--help"], prog_name="appeal")}
    for name in _commands(es_app):
        pages[name] = runner.invoke(es_app, [name, "--help"], prog_name="appeal")
    assert len(pages) >= 11
    left = {}
    for name, result in pages.items():
        assert result.exit_code == 0, (name, result.output)
        assert "Uso: " in result.output and "Mostrar este mensaje y salir." in result.output
        words = english_words(result.output)
        if words:
            left[name] = words
    assert not left, left


MISTAKES = [
    ["compose", "ua-100.21"],  # missing option
    ["compose", "ua-100.21", "--name"],  # option without its value
    ["compose", "ua-100.21", "--name", "Ana", "--bogus"],  # no such option
    ["compose", "--name", "Ana"],  # missing argument
    ["compose", "ua-100.21", "--name", "Ana", "--date", "28/11/2026"],
    ["compose", "ua-100.21", "--name", "Ana", "extra"],
    ["compose", "ua-0", "--name", "Ana"],  # unknown case
    ["compose", "ua-100.21", "--name", "Ana", "--to", "nobody"],
    ["compose", "ua-100.21", "--name", "Ana", "--lang", "xx"],
    ["email", "ua-100.21", "--name", "Ana", "--pause", "-1"],
    ["record", "ua-100.21", "--count", "x"],
    ["report", "--forget"],
    ["bogus"],
    [],
    ["--ui-lang", "fr", "cases"],
]


@pytest.mark.parametrize("args", MISTAKES, ids=lambda a: " ".join(a) or "(nothing)")
def test_common_mistakes_are_spanish(es_app, runner, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    result = runner.invoke(es_app, args, prog_name="appeal")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2), result.output
    assert "Error:" in result.output or "Uso:" in result.output
    assert not english_words(result.output), result.output


def test_ui_lang_that_is_not_available_is_refused_with_the_list(runner, app):
    result = runner.invoke(app, ["--ui-lang", "fr", "cases"])
    assert result.exit_code == 2
    assert "not available in 'fr'" in result.output and "Available: en, es" in result.output


def test_deadline_in_the_readers_language(es_app, runner):
    result = runner.invoke(es_app, ["show", "ua-100.21"])
    assert "Fecha límite: diciembre de 2021" in result.output
