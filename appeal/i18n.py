"""Gettext for every message a user sees.

The interface language follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG (in that order, as
gettext does) unless set explicitly. Installed packages carry compiled ``.mo`` catalogs; a
source checkout compiles the ``.po`` sources in memory, so nothing compiled is committed.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache

from .resources import bundled_dir

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_lang = "en"


def available_ui_languages() -> list[str]:
    root = bundled_dir("locales")
    langs = {p.parent.parent.name for p in root.glob("*/LC_MESSAGES/*.po")}
    langs |= {p.parent.parent.name for p in root.glob("*/LC_MESSAGES/*.mo")}
    return sorted(langs | {"en"})


def ui_language_offered(lang: str) -> bool:
    """Whether ``--ui-lang LANG`` names a language appeal's messages exist in."""
    base = lang.replace("-", "_").split("_")[0].lower()
    return base in available_ui_languages()


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """First usable language named by the POSIX variables, else English."""
    env = os.environ if environ is None else environ
    available = available_ui_languages()
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].replace("-", "_")
            if code in ("C", "POSIX", ""):
                continue
            base = code.split("_")[0].lower()
            if base in available:
                return base
        if var != "LANGUAGE":
            break  # the first set variable of the LC_* / LANG chain decides
    return "en"


def _compile_po(po) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@cache
def _load(lang: str) -> gettext.NullTranslations:
    """All catalogs of a language chained together (one ``.po`` per feature avoids conflicts)."""
    root = bundled_dir("locales") / lang / "LC_MESSAGES"
    compiled = sorted(root.glob("*.mo"))
    catalogs: list[gettext.NullTranslations] = []
    if compiled:
        for mo in compiled:
            with mo.open("rb") as fh:
                catalogs.append(gettext.GNUTranslations(fh))
    else:
        catalogs = [_compile_po(po) for po in sorted(root.glob("*.po"))]
    if not catalogs:
        return gettext.NullTranslations()
    first = catalogs[0]
    for other in catalogs[1:]:
        first.add_fallback(other)
    return first


def set_language(lang: str | None) -> str:
    """Switch the interface language; ``None`` reads the environment. Returns the language used."""
    global _current, _current_lang
    lang = (lang or language_from_environment()).replace("-", "_").split("_")[0].lower()
    if lang not in available_ui_languages():
        lang = "en"
    _current = _load(lang)
    _current_lang = lang
    return lang


def current_language() -> str:
    return _current_lang


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message
