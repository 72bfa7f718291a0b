"""The README's console examples are run and compared with the real output, so the README
stays true (as sqlite-utils keeps its docs true).

Each ```console block runs in a fresh folder with a fresh tally, its commands in order. A line
that is only "…" or "..." stands for any number of output lines; a command shown without
output must only succeed. Dates the tally report prints for today read as the README's day.
"""

from __future__ import annotations

import datetime as dt
import shlex
import shutil

import pytest
from babel.dates import format_date

from .conftest import ROOT

README = ROOT / "README.md"
README_DAY = "November 28, 2026"  # the day the report example was written
ELLIPSIS = {"…", "..."}


def console_blocks() -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """(line number, [(command, expected output lines)]) for every ```console block."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if current is None:
            if line.strip() == "```console":
                current, start = [], number
        elif line.strip() == "```":
            blocks.append((start, current))
            current = None
        elif line.startswith("$ "):
            current.append((line[2:], []))
        else:
            assert current, f"README.md:{number}: output before the first command"
            current[-1][1].append(line)
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; an ellipsis line matches any run of lines (also none)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() in ELLIPSIS:
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0].rstrip() == head.rstrip() and matches(rest, actual[1:])


def test_readme_has_console_examples():
    commands = [cmd for _line, block in console_blocks() for cmd, _out in block]
    assert len(commands) >= 8
    assert {shlex.split(c)[1] for c in commands} >= {"compose", "cases", "show", "batch",
                                                     "email", "post", "record", "report"}


@pytest.mark.parametrize("start, block", console_blocks(), ids=lambda v: str(v)
                         if isinstance(v, int) else "")
def test_console_example(start, block, app, runner, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    today = format_date(dt.date.today(), "long", locale="en")
    for command, expected in block:
        argv = shlex.split(command, comments=True)
        assert argv[0] == "appeal", command
        result = runner.invoke(app, argv[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command, result.exception)
        if not expected:
            assert result.exit_code == 0, (command, result.output)
            continue
        actual = result.output.replace(today, README_DAY).splitlines()
        assert matches(expected, actual), (
            f"README.md:{start}: `{command}` printed\n" + "\n".join(actual))


@pytest.mark.parametrize("expected, actual, ok", [
    (["a", "…", "d"], ["a", "b", "c", "d"], True),
    (["a", "…"], ["a"], True),
    (["a", "b"], ["a", "c"], False),
    (["a"], ["a", "extra"], False),
])
def test_the_matcher_can_fail(expected, actual, ok):
    assert matches(expected, actual) is ok
