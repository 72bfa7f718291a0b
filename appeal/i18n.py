"""Gettext for every message a user sees.

The interface language follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG (in that order, as
gettext does) unless set explicitly. Installed packages carry compiled ``.mo`` catalogs; a
source checkout compiles the ``.po`` sources in memory, so nothing compiled is committed.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from .resources import bundled_dir

# The interface language of the current context (thread, task), not of the process: a web
# front end can answer two people in two languages at once (see ``using_language``).
_state: ContextVar[tuple[str, gettext.NullTranslations]] = ContextVar(
    "appeal_ui_language", default=("en", gettext.NullTranslations()))


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
    """A checkout's ``.po`` compiled (Babel takes ~30 ms a file), kept in :mod:`.cache`."""
    from .cache import cached, file_digest, package_stamp

    def compile_() -> bytes:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        return buf.getvalue()

    key = f"{po.parent.parent.name}/{po.name}|{file_digest(po)}|{package_stamp('babel')}"
    return gettext.GNUTranslations(io.BytesIO(cached("catalogs", key, compile_)))


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


def _usable(lang: str | None) -> str:
    lang = (lang or language_from_environment()).replace("-", "_").split("_")[0].lower()
    return lang if lang in available_ui_languages() else "en"


def set_language(lang: str | None) -> str:
    """Switch the interface language of this context; ``None`` reads the environment.
    Returns the language used."""
    lang = _usable(lang)
    _state.set((lang, _load(lang)))
    return lang


@contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Messages in ``lang`` inside the ``with`` block only (one request of a web front end)."""
    used = _usable(lang)
    token = _state.set((used, _load(used)))
    try:
        yield used
    finally:
        _state.reset(token)


def current_language() -> str:
    return _state.get()[0]


def _(message: str) -> str:
    return _state.get()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state.get()[1].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message
