"""The precomputed table of native country names matches CLDR (so `appeal import` reads a
small file instead of loading ~250 locales on every run)."""

import json

from appeal.importer import lexicon


def test_native_country_table_is_what_cldr_gives():
    shipped = json.loads(lexicon.NATIVE_COUNTRIES.read_text("utf-8"))
    assert shipped["babel"] == lexicon._babel_version(), "run python tools/country_tables.py"
    assert shipped["names"] == lexicon.build_native_country_names()
    assert shipped["names"]["deutschland"] == "DE" and shipped["names"]["brasil"] == "BR"


def test_the_table_is_what_the_importer_uses():
    lexicon.native_country_names.cache_clear()
    assert lexicon.native_country_names() == json.loads(
        lexicon.NATIVE_COUNTRIES.read_text("utf-8"))["names"]
    assert lexicon.country_code("Deutschland") == "DE"
