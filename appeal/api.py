"""The library API: what the CLI, tests and other front ends call.

    from appeal.api import load_case, compose_letters, write_letters, Supporter
    case = load_case("ua-100.21")
    letters = compose_letters(case, Supporter("Ana García", city="Oaxaca", country="MX"))
    written = write_letters(letters, Path("out"), formats=("pdf", "docx"))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cases import LoadedCase, list_cases, load_case
from .compose import Edits, Options, Supporter, compose_letters
from .errors import AppealError, UsageError
from .files import atomic_write, prepare_folder, safe_filename, write_error
from .i18n import _
from .letter import Letter, letter_stem
from .render import check_formats, render

__all__ = [
    "AppealError", "Edits", "Letter", "LoadedCase", "Options", "Supporter", "UsageError",
    "WrittenLetter", "compose_letters", "letter_stem", "list_cases", "load_case", "render",
    "render_letters", "write_letters",
]


@dataclass(frozen=True)
class WrittenLetter:
    letter: Letter
    paths: tuple[Path, ...]


def render_letters(letters: list[Letter], formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """Render everything in memory first, so a render error leaves no files behind."""
    formats = check_formats(formats)
    return [{fmt: render(letter, fmt) for fmt in formats} for letter in letters]


def write_letters(
    letters: list[Letter],
    folder: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
    *,
    force: bool = False,
) -> list[WrittenLetter]:
    """Render and write each letter in each format, atomically; refuse to overwrite unless
    ``force``. Nothing is written if any letter fails to render or any file already exists."""
    rendered = render_letters(letters, formats)
    plan = [
        (letter, {fmt: folder / safe_filename(letter_stem(letter), fmt) for fmt in data})
        for letter, data in zip(letters, rendered, strict=True)
    ]
    if not force:
        existing = [p for _letter, paths in plan for p in paths.values() if p.exists()]
        if existing:
            raise AppealError(
                _("{path} already exists.").format(path=existing[0]),
                _("Use --force to replace existing letters, or choose another --out folder."),
            )
    prepare_folder(folder)
    written: list[WrittenLetter] = []
    count = 0
    for (letter, paths), data in zip(plan, rendered, strict=True):
        for fmt, path in paths.items():
            try:
                atomic_write(path, data[fmt])
            except OSError as exc:
                raise write_error(path, exc, count) from exc
            count += 1
        written.append(WrittenLetter(letter, tuple(paths.values())))
    return written
