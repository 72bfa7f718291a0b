"""Renderers: each turns a finished :class:`~appeal.letter.Letter` into bytes of one format."""

from __future__ import annotations

from ..letter import Letter

FORMATS = ("pdf", "docx", "txt")


def render(letter: Letter, fmt: str) -> bytes:
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(letter)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(letter)
    if fmt == "txt":
        from .text import render_text

        return render_text(letter).encode("utf-8")
    raise ValueError(fmt)
