"""A short public post per language that mentions the targets and fits the platform.

Length follows X/Twitter's weighted count (URLs 23, CJK and emoji 2), computed by
twitter-text-parser, a port of the official twitter-text rules. Only the free text is
shortened, at a word boundary with an ellipsis; handles, the UA line and the link stay whole.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from twitter_text import parse_tweet

from ..cases import LoadedCase
from ..errors import AppealError, UsageError
from ..i18n import _
from ..models import Target
from ..readiness import POST, require
from . import channel_languages, phrases

MAX_WEIGHT = 280
ELLIPSIS = "…"
_TRAILING = " ,;:.-–—"


@dataclass(frozen=True)
class Post:
    lang: str
    text: str
    weight: int
    trimmed: bool
    target_ids: tuple[str, ...]


def weighted_length(text: str) -> int:
    return parse_tweet(text).weightedLength


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def fit(head: str, free: str, tail: str, limit: int = MAX_WEIGHT) -> tuple[str, bool]:
    """``head free tail`` within ``limit``, cutting ``free`` at a word boundary (with "…")."""
    whole = _join(head, free, tail)
    if weighted_length(whole) <= limit:
        return whole, False
    words = free.split()
    lo, hi = 0, len(words) - 1  # the longest prefix that fits; the weight grows with words
    best = _join(head, tail)
    while lo <= hi:
        mid = (lo + hi + 1) // 2
        if mid == 0:
            break
        candidate = _join(head, " ".join(words[:mid]).rstrip(_TRAILING) + ELLIPSIS, tail)
        if weighted_length(candidate) <= limit:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    if weighted_length(best) > limit:
        raise AppealError(
            _("The post is too long even without its text ({weight} of {limit}).").format(
                weight=weighted_length(best), limit=limit),
            _("Mention fewer targets with --to, or give a shorter --url."),
        )
    return best, True


def post_languages(loaded: LoadedCase, lang: str | None) -> list[str]:
    available = [lang_ for lang_ in channel_languages()]
    if lang:
        base = lang.split("-")[0].lower()
        phrases(base, "post")  # a clear error for a language without wording
        return [base]
    # a draft without a sample letter yet: the language the case is in
    langs = [k.split("-")[0] for k in loaded.case.languages] or [
        loaded.case.preferred_language.split("-")[0]]
    return [k for k in dict.fromkeys(langs) if k in available]


def check_url(url: str) -> None:
    """A web link that a post can carry: http(s), a host, no spaces or control characters
    (a line break would split the post, a space would cut the link)."""
    from urllib.parse import urlsplit

    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(_("--url must start with http:// or https://."))
    bad = next((c for c in url if c.isspace() or unicodedata.category(c)[0] == "C"), None)
    if bad is not None:
        raise UsageError(
            _("--url contains a space or an invisible character (U+{cp:04X}).").format(
                cp=ord(bad)),
            _("Copy the link again from the browser's address bar."),
        )
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host or len(url) > 2000:
        raise UsageError(_("--url '{url}' is not a web address.").format(url=url[:100]),
                         _("Copy the link again from the browser's address bar."))


def compose_post(
    loaded: LoadedCase,
    lang: str,
    targets: list[Target],
    *,
    text: str | None = None,
    url: str | None = None,
    limit: int = MAX_WEIGHT,
) -> Post:
    """One post: handles, the UA line, free text (the case summary unless ``text``), link, tag."""
    case = loaded.case
    words = phrases(lang, "post")
    handles = list(dict.fromkeys(h for t in targets for h in t.twitter))
    if not handles:
        raise UsageError(
            _("None of the chosen targets of {case} has a social media handle.").format(
                case=case.id),
            _("Use 'appeal show {case}' to see each target's channels.").format(case=case.id),
        )
    if url:
        check_url(url)
    title = case.title.get(lang) or next(
        (v for k, v in case.title.items() if k.split("-")[0] == lang), case.title_in(lang))
    require(loaded, POST)
    lead = words["lead" if case.ua_number else "lead_no_ua"].format(title=title, ua=case.ua_number)
    if text is None:
        text = next((v for k, v in case.summary.items() if k.split("-")[0] == lang), "")
    head = _join(" ".join(handles), lead)
    body, trimmed = fit(head, " ".join(text.split()), _join(url or "", words.get("tags", "")),
                        limit)
    return Post(lang, body, weighted_length(body), trimmed,
                tuple(t.id for t in targets if t.twitter))
