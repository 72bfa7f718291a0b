"""Counting what a supporter did: the library side of ``record``, ``post --record`` and the
tally of every writing command, so front ends only choose what to count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from .cases import LoadedCase, choose_targets
from .models import Target
from .text import clean_field


@contextmanager
def tally(record: bool = True) -> Iterator:
    """The action ledger, or ``None`` when the user asked not to count (``--no-record``)."""
    if not record:
        yield None
        return
    from .ledger import Ledger

    with Ledger() as ledger:
        yield ledger


def action_language(loaded: LoadedCase, lang: str | None) -> str:
    """The language an action is counted under: the one given, else the case's preferred."""
    return (lang or loaded.case.preferred_language).split("-")[0]


def record_actions(loaded: LoadedCase, targets: tuple[str, ...], channel: str, *,
                   lang: str | None = None, count: int = 1, when: dt.date | None = None,
                   by: str | None = None) -> list[Target]:
    """Count ``count`` actions on ``channel`` to each target; returns the targets."""
    from .ledger import Ledger

    chosen = choose_targets(loaded, targets)
    who = clean_field(by, "--by") if by else None
    with Ledger() as ledger:
        for target in chosen:
            ledger.record(loaded.id, target.id, channel, action_language(loaded, lang),
                          count=count, when=when, supporter=who)
    return chosen


def record_posts(ledger, loaded: LoadedCase, posts, day: dt.date | None = None) -> int:
    """Count each post once per target and day; returns how many were new."""
    day = day or dt.date.today()
    new = 0
    for post in posts:
        for target_id in post.target_ids:
            key = "post:" + ledger.digest(loaded.id, target_id, post.lang, day.isoformat())
            new += ledger.record(loaded.id, target_id, "post", post.lang, when=day, key=key)
    return new
