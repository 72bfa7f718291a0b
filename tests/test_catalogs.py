"""Every message has a Spanish translation, with every plural form filled."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from appeal.i18n import _, ngettext, set_language

LOCALES = Path(__file__).resolve().parent.parent / "locales"


@pytest.mark.parametrize("po", sorted((LOCALES / "es" / "LC_MESSAGES").glob("*.po")), ids=str)
def test_spanish_catalog_is_complete(po):
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    assert catalog.num_plurals == 2
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


def test_every_extracted_message_is_in_a_catalog():
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogs", LOCALES.parent / "tools" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    known = set()
    for po in (LOCALES / "es" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as fh:
            known |= {m.id for m in read_po(fh) if m.id}
    missing = [m.id for m in module.extracted() if m.id and m.id not in known]
    assert not missing, "run tools/catalogs.py and translate: " + repr(missing[:5])


def test_spanish_plurals():
    set_language("es")
    assert ngettext("{n} file was written before the error; nothing is half-written.",
                    "{n} files were written before the error; nothing is half-written.",
                    3).startswith("Se escribieron {n}")
    assert _("Letter to {name}:") == "Carta a {name}:"
