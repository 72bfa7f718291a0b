"""Escaping text for XML (DOCX parts) and reportlab's paragraph markup."""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as :func:`xml.sax.saxutils.escape` does; that module
    imports urllib.request (and with it http, email and socket: ~40 ms of every start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
