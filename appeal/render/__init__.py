"""Renderers: each turns a finished :class:`~appeal.letter.Letter` into bytes of one format.

Everything outside ``appeal/render`` goes through this module: :func:`render` for one letter,
:func:`check_formats` for the names a user gave, :func:`prepare` to set a format up once
before many letters (a batch's worker processes then share it).
"""

from __future__ import annotations

from ..errors import UsageError
from ..i18n import _
from ..letter import Letter

FORMATS = ("pdf", "docx", "txt")


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats asked for, once each, or a usage error naming the unknown one."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(
            _("Unknown format '{fmt}'.").format(fmt=(unknown or [""])[0]),
            _("Use one or more of: {formats}").format(formats=", ".join(FORMATS)),
        )
    return tuple(dict.fromkeys(formats))


def prepare(fmt: str, paper: str, lang: str) -> None:
    """Build what every letter of this format, paper and language reuses (fonts, the DOCX
    base package), so it is made once and not per letter."""
    if fmt == "pdf":
        from .. import fonts

        fonts.register()
    elif fmt == "docx":
        from .docx import prepare_base

        prepare_base(paper, lang)


def render(letter: Letter, fmt: str, fit=None) -> bytes:
    """``letter`` in ``fmt``; a DOCX is set to ``fit`` (the PDF layout's) when given."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(letter)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(letter, fit)
    if fmt == "txt":
        from .text import render_text

        return render_text(letter).encode("utf-8")
    raise ValueError(fmt)
