"""The DOCX base package (see :mod:`.docx`) kept in :mod:`appeal.cache` between runs.

Building it takes python-docx: ~70 ms to import and ~30 ms to load its default template and
save, in every process that writes a DOCX. The base depends only on the paper, the language,
the body size, python-docx and appeal's DOCX code, so it is stored under a key naming all of
these and read back by later runs without importing python-docx.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cache import cached, file_digest, package_stamp

_HERE = Path(__file__).resolve().parent
# the files whose code decides what the base holds
_SOURCES = (_HERE / "docx.py", _HERE / "layout.py", _HERE.parent / "paper.py",
            _HERE.parent / "letter.py")

def cached_base(build: Callable[[str, str, float], Any], make: Callable[..., Any],
                paper: str, lang: str, size: float) -> Any:
    """``build(paper, lang, size)``, or the one an earlier run stored (rebuilt by ``make``
    from its fields)."""

    def encode() -> bytes:
        base = build(paper, lang, size)
        fields = {"zip_bytes": base64.b64encode(base.zip_bytes).decode("ascii"),
                  "document": base.document, "core": base.core, "header": base.header}
        return json.dumps(fields).encode("utf-8")

    key = "|".join((paper, lang, repr(float(size)), package_stamp("docx"),
                    file_digest(*_SOURCES)))
    fields = json.loads(cached("docx-base", key, encode))
    header = tuple(fields["header"]) if fields["header"] is not None else None
    return make(base64.b64decode(fields["zip_bytes"]), tuple(fields["document"]),
                fields["core"], header)
