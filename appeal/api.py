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
from .letter import Letter
from .render import FORMATS, render
from .render.layout import Fit

__all__ = [
    "AppealError", "Edits", "Letter", "LoadedCase", "Options", "Supporter", "UsageError",
    "WrittenLetter", "compose_letters", "letter_stem", "list_cases", "load_case", "render",
    "render_letters", "write_letters",
]


@dataclass(frozen=True)
class WrittenLetter:
    letter: Letter
    paths: tuple[Path, ...]
    fit: Fit | None = None  # how it fits the paper (see :func:`appeal.fitnotes.fit_notes`)


def letter_stem(letter: Letter) -> str:
    """``<case>_<target>_<lang>_<supporter>``: sorts by case and target, says who signed."""
    return f"{letter.case_id}_{letter.target_id}_{letter.lang}_{letter.signature_name}"


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(
            _("Unknown format '{fmt}'.").format(fmt=(unknown or [""])[0]),
            _("Use one or more of: {formats}").format(formats=", ".join(FORMATS)),
        )
    return tuple(dict.fromkeys(formats))


def render_letters(letters: list[Letter], formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """Render everything in memory first, so a render error leaves no files behind."""
    return [data for data, _fit in _render_all(letters, formats)]


def _render_all(letters: list[Letter], formats: tuple[str, ...]):
    """Each letter laid out once: the PDF drawn from that layout, the DOCX set to its fit."""
    formats = check_formats(formats)
    out = []
    for letter in letters:
        if "pdf" not in formats and "docx" not in formats:
            out.append(({fmt: render(letter, fmt) for fmt in formats}, None))
            continue
        from .render.docx import render_docx
        from .render.pdf import layout_letter, render_laid

        laid = layout_letter(letter, check="pdf" in formats)
        data = {}
        for fmt in formats:
            if fmt == "pdf":
                data[fmt] = render_laid(laid)
            elif fmt == "docx":
                data[fmt] = render_docx(letter, laid.fit)
            else:
                data[fmt] = render(letter, fmt)
        out.append((data, laid.fit))
    return out


def write_letters(
    letters: list[Letter],
    folder: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
    *,
    force: bool = False,
) -> list[WrittenLetter]:
    """Render and write each letter in each format, atomically; refuse to overwrite unless
    ``force``. Nothing is written if any letter fails to render or any file already exists."""
    both = _render_all(letters, formats)
    rendered = [data for data, _fit in both]
    plan = [
        (letter, {fmt: folder / safe_filename(letter_stem(letter), fmt) for fmt in data})
        for letter, data in zip(letters, rendered)
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
    for (letter, paths), (data, fit) in zip(plan, both):
        for fmt, path in paths.items():
            try:
                atomic_write(path, data[fmt])
            except OSError as exc:
                raise write_error(path, exc, count) from exc
            count += 1
        written.append(WrittenLetter(letter, tuple(paths.values()), fit))
    return written
