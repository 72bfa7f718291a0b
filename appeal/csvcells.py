"""Cells of a CSV appeal writes, made safe to open in a spreadsheet.

A cell starting with ``= + - @``, tab or carriage return is run as a formula by Excel and
LibreOffice (``=HYPERLINK(...)`` in a name or a target read from a case file): such a cell is
prefixed with ``'``, which spreadsheets show as text. Every CSV export uses :func:`defuse`.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value) -> str:
    """``value`` as a cell a spreadsheet shows as text, never runs (numbers stay numbers)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
