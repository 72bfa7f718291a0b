"""``appeal import``: an Urgent Action document → a case folder and a review.

Library entry point: :func:`import_document`. The pipeline is one module per job:
``read`` (document → safe text lines), ``parse`` and ``blocks``/``address`` (text → fields
with their sources), ``build`` (fields → case folder, atomically), ``review`` (what was and
was not found).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..cases import LoadedCase, read_case, user_cases_dir
from ..errors import AppealError
from ..i18n import _
from .build import plan, write_case
from .parse import Extraction, Found, extract, refuse_if_not_ua
from .read import Document, read_bytes, read_source
from .review import Review, build_review, render


@dataclass
class ImportResult:
    folder: Path
    loaded: LoadedCase
    extraction: Extraction
    review: Review

    @property
    def found(self) -> list[str]:
        return [label for label, _v, _s in self.review.found]

    @property
    def missing(self) -> list[str]:
        return list(self.review.missing)

    @property
    def warnings(self) -> list[str]:
        return list(self.review.warnings)

    def review_text(self) -> str:
        return render(self.review, str(self.folder))


class ImportRefused(AppealError):
    """An import that was stopped after reading the document; carries the review.

    (A UA lacking required fields is no longer refused: it becomes a draft case.)"""

    def __init__(self, message: str, hint: str, review_text: str):
        super().__init__(message, hint)
        self.review_text = review_text


_UA_GIVEN = re.compile(r"^\s*(?:UA\s*)?(?P<n>\d{1,4})\s*[./]\s*(?P<y>\d{2}|\d{4})\s*$", re.I)


def _ua_number(text: str) -> str:
    """'64/24', '64.24', 'UA 64/2024' → '64.24'; anything else is a usage error."""
    m = _UA_GIVEN.match(text or "")
    if not m:
        raise AppealError(
            _("--ua: '{ua}' is not a UA number.").format(ua=text),
            _("Give the number and year as the UA prints them, e.g. --ua 64/24."),
            exit_code=2,
        )
    return f"{int(m['n'])}.{m['y'][-2:]}"


def _document(source: str | Path | bytes | Document, stdin=None) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, bytes):
        return read_bytes(source, _("(text)"))
    if isinstance(source, str) and "\n" in source:
        return read_bytes(source.encode("utf-8"), _("(text)"))
    return read_source(source, stdin=stdin)


def import_document(
    source: str | Path | bytes | Document,
    out_dir: Path | None = None,
    case_id: str | None = None,
    force: bool = False,
    lang: str | None = None,
    stdin=None,
    ua_number: str | None = None,
    *,
    title: str | None = None,
    country: str | None = None,
    deadline: str | None = None,
) -> ImportResult:
    """Read a UA (a path, '-' for stdin, or the text itself), write its case folder into
    ``out_dir`` (default: the user's cases folder) and return the result with its review.

    ``ua_number`` ("64/24", "64.24") is the UA number given by the user, for a web copy that
    does not print it; the review says it came from the user. So are ``title``,
    ``country`` (a code or a name) and ``deadline`` (YYYY-MM-DD). A case id that a case
    already has (bundled, or in the user's folders or ``out_dir``) is refused unless ``force``."""
    from .given import apply_given, check_given

    given = _ua_number(ua_number) if ua_number is not None else None
    values = check_given(title, country, deadline)
    doc = _document(source, stdin)
    x = extract(doc, lang)
    apply_given(x, values, lang)
    if given:
        printed = x.get("ua_number")
        if printed and printed != given:
            x.notes.append(_("The document gives UA number {printed}; the number you gave with "
                             "--ua ({given}) is used instead.").format(printed=printed, given=given))
        x.fields["ua_number"] = Found(given, f"--ua {ua_number}",
                                      _("given by you with --ua, not read from the document"))
    refuse_if_not_ua(x, doc.name)
    p = plan(x, case_id, doc.name)
    review = build_review(x, p.data, p.gaps)
    folder = write_case(p, Path(out_dir) if out_dir else user_cases_dir(), force, read_case)
    return ImportResult(folder=folder, loaded=read_case(folder), extraction=x, review=review)
