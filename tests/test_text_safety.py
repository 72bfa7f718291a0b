"""User text is cleaned or rejected at the boundary, naming the field."""

from __future__ import annotations

import pytest

from appeal.api import AppealError, Edits, Supporter, compose_letters
from appeal.text import clean_field


@pytest.mark.parametrize(
    "bad, problem",
    [
        ("Ana\x07", "control character (U+0007)"),
        ("Ana\x00", "control character (U+0000)"),
        ("Ana\u202eaicraG", "bidirectional override (U+202E)"),
        ("Ana\ud800", "lone surrogate U+D800"),
        ("Ana\ufffe", "noncharacter (U+FFFE)"),
        ("Ana\x85", "control character (U+0085)"),
    ],
)
def test_dangerous_characters_are_rejected_with_field_and_position(bad, problem):
    with pytest.raises(AppealError) as err:
        clean_field(bad, "name")
    assert err.value.message.startswith("name: contains")
    assert problem in err.value.message
    assert "character 4" in err.value.message


def test_line_endings_are_normalised_not_doubled():
    text = "uno\r\ndos\rtres\x0bcuatro\u2028cinco"
    assert clean_field(text, "note", multiline=True, limit="note") == "uno\ndos\ntres\ncuatro\ncinco"


def test_nfc_and_whitespace():
    assert clean_field("  Jose\u0301   Pérez\t", "name") == "José Pérez"
    with pytest.raises(AppealError, match="single line"):
        clean_field("Ana\nGarcía", "name")


def test_zero_width_joiner_is_kept():
    assert clean_field("👩\u200d⚕️", "name") == "👩\u200d⚕️"


def test_length_caps_name_the_field():
    with pytest.raises(AppealError, match=r"name: is 201 characters long; the limit is 200"):
        clean_field("a" * 201, "name")
    with pytest.raises(AppealError, match="note: is"):
        clean_field("a" * 3001, "note", multiline=True, limit="note")


def test_compose_names_the_offending_field(case):
    with pytest.raises(AppealError, match="^note: contains"):
        compose_letters(case, Supporter("Ana"), Edits(note="hola\x1b[31m"))
    with pytest.raises(AppealError, match="^city: contains"):
        compose_letters(case, Supporter("Ana", city="Oax\x00aca"))
    with pytest.raises(AppealError, match="^name: must not be empty"):
        compose_letters(case, Supporter("   "))


def test_the_compiled_check_refuses_exactly_what_the_rules_refuse():
    """clean_field scans with one compiled pattern; every code point the per-character rules
    refuse is caught by it (and what it also matches, the rules let through)."""
    from appeal.errors import AppealError
    from appeal.text import _REFUSED, _problem, clean_field

    missed = [cp for cp in range(0x110000)
              if _problem(chr(cp)) is not None and not _REFUSED.match(chr(cp))]
    assert missed == []
    for ch in ("\x00", "\x1b", "\x85", "\ud800", "\u202e", "\ufdd0", "\U0010ffff"):
        try:
            clean_field("ab" + ch, "name")
        except AppealError as exc:
            assert "at character 3" in exc.message
        else:
            raise AssertionError(f"U+{ord(ch):04X} let through")
    assert clean_field("Zoë 😀 \U00020000", "name") == "Zoë 😀 \U00020000"
