"""A body written whole, from salutation to signature, loses the frame the letter adds itself.

People paste a letter they wrote elsewhere into ``--body-file``: "Señor Presidente:" … "Atentamente,
Ana". The letter already prints its own salutation, closing and signature, so those would appear
twice. They are taken off the body (only when they match the language's forms of address) and
returned, so the front end can say what it removed.
"""

from __future__ import annotations

import re

from . import forms


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" :,;.!")


def _pattern(form: str) -> str:
    """A form of address from forms.yaml as a regex: {surname}, {vocative}... match any words."""
    parts = re.split(r"\{[a-z_]+\}", _norm(form))
    return r".+?".join(re.escape(p) for p in parts)


def _salutations(lang: str, salutation: str) -> list[str]:
    table = forms.framing(lang)["salutation"]
    found = {_pattern(salutation)}
    for by_gender in table.values():
        for options in by_gender.values():
            found |= {_pattern(o) for o in options}
    return sorted(found, key=len, reverse=True)


def strip_frame(paras: list[str], lang: str, salutation: str, closing: str,
                signer: str) -> tuple[list[str], tuple[str, ...]]:
    """(body paragraphs without a leading salutation and a trailing closing and signature,
    the pieces removed)."""
    paras = list(paras)
    removed: list[str] = []
    end = re.escape(forms.framing(lang)["salutation_end"].strip() or ",")
    if paras:
        for pattern in _salutations(lang, salutation):
            found = re.match(rf"({pattern})\s*[{end},:]\s*", paras[0], re.IGNORECASE)
            if found and len(found.group(0)) <= 80:
                removed.append(found.group(0).strip())
                rest = paras[0][found.end():].strip()
                if rest:
                    paras[0] = rest[0].upper() + rest[1:]
                else:
                    paras.pop(0)
                break
    # the name alone on the last line
    removed_name = paras.pop() if paras and _norm(paras[-1]) == _norm(signer) else None
    if paras:
        last = _norm(paras[-1])
        closing_re = _pattern(closing)
        signed = rf"(?:[,.]?\s*{re.escape(_norm(signer))})?"
        if re.fullmatch(rf"{closing_re}{signed}", last):
            removed.append(paras.pop())
            if removed_name:
                removed.append(removed_name)
        elif removed_name:
            paras.append(removed_name)  # a name without a closing may be the body's own words
    return paras, tuple(removed)
