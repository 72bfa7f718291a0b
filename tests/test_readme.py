"""The README's console examples are run and compared with the real output, so the README
stays true (as sqlite-utils keeps its docs true).

Each ```console block runs in a fresh folder with a fresh tally, its commands in order, with
the files the examples name (docs/examples, a UA text) and, for the blocks about the example
draft case ua-12.25, docs/examples/cases in $APPEAL_CASES. A line that is only "…" or "..."
stands for any number of output lines, and "…" inside a line for any text; a command shown
without output must run without an error. Dates the tally report prints for today read as the
README's day.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil

import pytest
from babel.dates import format_date

from .conftest import ROOT

README = ROOT / "README.md"
README_DAY = "November 28, 2026"  # the day the report example was written
ELLIPSIS = {"…", "..."}
FILES = {"ua-100.21.txt": ROOT / "tests" / "fixtures" / "import"
         / "ua-100.21-mexico-mass-deportations.txt"}


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
    return bool(actual) and _line(head.rstrip(), actual[0].rstrip()) and matches(rest, actual[1:])


def _line(expected: str, actual: str) -> bool:
    if "…" not in expected:
        return expected == actual
    return re.fullmatch(".*".join(re.escape(p) for p in expected.split("…")), actual) is not None


def test_readme_has_console_examples():
    commands = [cmd for _line, block in console_blocks() for cmd, _out in block]
    assert len(commands) >= 8
    assert {shlex.split(c)[1] for c in commands} >= {"compose", "cases", "show", "batch",
                                                     "email", "post", "record", "report"}


@pytest.mark.parametrize("start, block", console_blocks(), ids=lambda v: str(v)
                         if isinstance(v, int) else "")
def test_console_example(start, block, app, runner, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    for name, source in FILES.items():
        shutil.copy(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    if any("ua-12.25" in command + "\n".join(out) for command, out in block):
        monkeypatch.setenv("APPEAL_CASES", str(tmp_path / "docs" / "examples" / "cases"))
    today = format_date(dt.date.today(), "long", locale="en")
    for command, expected in block:
        argv = shlex.split(command, comments=True)
        assert argv[0] == "appeal", command
        result = runner.invoke(app, argv[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command, result.exception)
        if not expected:  # runs without an error (check exits 1 while a gap blocks an output)
            assert result.exit_code in (0, 1) and "Error:" not in result.output, (
                command, result.output)
            continue
        actual = result.output.replace(today, README_DAY).splitlines()
        assert matches(expected, actual), (
            f"README.md:{start}: `{command}` printed\n" + "\n".join(actual))


@pytest.mark.parametrize("expected, actual, ok", [
    (["a", "…", "d"], ["a", "b", "c", "d"], True),
    (["a", "…"], ["a"], True),
    (["a", "b"], ["a", "c"], False),
    (["a"], ["a", "extra"], False),
    (["x …/c.yaml"], ["x /tmp/a/c.yaml"], True),
    (["x …/c.yaml"], ["y /tmp/a/c.yaml"], False),
])
def test_the_matcher_can_fail(expected, actual, ok):
    assert matches(expected, actual) is ok
