"""Rows -> the list of letters to make: composed, named, fingerprinted, checked for resume.

Everything that can go wrong with a row (bad cell, unknown target or language, a character
the PDF font cannot draw) is found here, before any file is written, and reported as
``file:line: reason``; the other rows go on.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__, fonts
from ..letter import letter_stem
from ..cases import LoadedCase
from ..compose import Options, Supporter, compose
from ..errors import AppealError
from ..files import fit_filename, read_in_folder, safe_filename, safe_stem
from ..letter import Letter
from ..readiness import PRINT
from .rows import BLANK_NAME, RowInput, read_row
from .sheet import Sheet
from .state import Entry

RENDER_VERSION = "2"  # bump when renderers change what a letter looks like
LETTERS_DIR = "letters"


@dataclass(slots=True)
class Job:
    """One letter: who, to whom, where its files go, and what happened to it."""

    index: int  # position in the print file
    line: int | None  # sheet line, None for blank letters
    letter: Letter
    supporter: Supporter
    stem: str  # file name without extension (see :func:`assign_stems`)
    digest: str  # fingerprint of everything that decides the files' content
    who: str = ""  # the letter's identity, whatever its sheet line (see :func:`who_key`)
    target_country: str | None = None  # where the letter goes, for airmail and postage
    title_lines: int = 0  # recipient lines between the name and the address (title, office)
    folder: Path | None = None  # where its files go (see :attr:`paths`)
    formats: tuple[str, ...] = ()
    status: str = "planned"  # planned, unchanged, made, failed
    reason: str = ""
    duplicate_of: int | None = None  # sheet line of the first row with the same attendee
    fit: str = ""  # how it fits the paper, when not as usual ("10 pt", "2 pages")
    _safe: tuple[str, str] = field(default=("", ""), repr=False, compare=False)

    @property
    def paths(self) -> dict[str, Path]:
        """Format -> file. Worked out when asked: a batch of 20,000 letters would otherwise
        hold 40,000 paths for the whole run (the stem made safe is kept: it is asked for
        several times per letter)."""
        if self.folder is None:
            return {}
        return {fmt: self.folder / name for fmt, name in self.file_names().items()}

    def file_names(self) -> dict[str, str]:
        """Format -> file name in :attr:`folder` (cheaper than :attr:`paths`: no Path)."""
        stem, safe = self._safe
        if stem is not self.stem:
            safe = safe_stem(self.stem)
            self._safe = (self.stem, safe)
        return {fmt: fit_filename(safe, fmt) for fmt in self.formats}

    @property
    def blank(self) -> bool:
        return self.line is None

    @property
    def needs_render(self) -> bool:
        return self.status == "planned"


@dataclass(frozen=True)
class Duplicate:
    """A row whose attendee (same name and city, or same email) came earlier on the sheet."""

    line: int
    first: int  # the earlier row's line
    name: str
    made: bool  # made anyway (--keep-duplicates)


def case_digest(loaded: LoadedCase) -> str:
    """The case file and its templates: editing the sample letter remakes every letter."""
    from ..cases import MAX_CASE_FILE, MAX_TEMPLATE

    h = hashlib.sha256()
    for path in [loaded.folder / "case.yaml", *sorted(
            loaded.template_path(lang) for lang in loaded.case.languages)]:
        try:  # like every read of a case's files: never through a link
            h.update(read_in_folder(loaded.folder, path.name, max(MAX_CASE_FILE, MAX_TEMPLATE)))
        except OSError:
            h.update(str(path).encode())
    return h.hexdigest()


def letter_digest(letter: Letter, formats: tuple[str, ...], case: str) -> str:
    payload = repr((__version__, RENDER_VERSION, case, formats, letter))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def who_key(case_id: str, target_id: str, lang: str, supporter: Supporter,
            occurrence: int = 0) -> str:
    """What a letter is, whatever line of the sheet it came from: the case, the target, the
    language and the attendee's cleaned fields (case and spacing ignored). Reordering,
    inserting or deleting rows leaves every other letter's key as it was; a fixed cell makes
    a new letter. ``occurrence`` tells apart duplicates kept with --keep-duplicates."""
    parts = (case_id, target_id, lang, _fold(supporter.name), _fold(supporter.city),
             supporter.country or "", _fold(supporter.address), _fold(supporter.email),
             str(occurrence))
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def attendee_keys(supporter: Supporter) -> list[tuple[str, ...]]:
    """Same name and city, or same email: the same attendee signed up twice."""
    keys = [("name", _fold(supporter.name), _fold(supporter.city))]
    if supporter.email:
        keys.append(("email", _fold(supporter.email)))
    return keys


def _check_printable(letter: Letter) -> None:
    fonts.check_coverage(letter.text_fields())


@dataclass(frozen=True)
class RowSettings:
    """The run's defaults for rows that leave a cell empty (picklable, for workers)."""

    lang: str | None
    targets: tuple[str, ...]
    country: str | None
    date: object
    paper: str | None


def compose_rows(loaded: LoadedCase, rows, settings: RowSettings) -> list[tuple]:
    """Each row's letters, checked: ``(line, error, supporter, case language, letters)``
    with ``error`` None, or the reason the row cannot be made."""
    out = []
    for row in rows:
        try:
            entry: RowInput = read_row(loaded, row, default_lang=settings.lang,
                                       default_targets=settings.targets,
                                       default_country=settings.country)
            options = Options(lang=entry.lang, date=settings.date, paper=settings.paper,
                              output=PRINT)
            letters = [compose(loaded, t, entry.supporter, entry.edits, options)
                       for t in entry.targets]
            for letter in letters:
                _check_printable(letter)
        except AppealError as exc:  # with its hint: the valid values, "did you mean …?"
            reason = f"{exc.message} {exc.hint}" if exc.hint else exc.message
            out.append((row.line, reason, None, None, None))
            continue
        out.append((row.line, None, entry.supporter, entry.lang, letters))
    return out


_SHARED_TEXT = ("date_line", "subject", "salutation", "closing", "title", "description")


def _share(letter: Letter, shared: dict[str, str]) -> Letter:
    """The letter with the text it has in common with letters planned before it (sample
    paragraphs, recipient, subject, salutation, ...) as one shared copy: letters composed in
    other processes arrive with copies of their own."""
    one = shared.setdefault
    return replace(
        letter,
        paragraphs=tuple(one(p, p) for p in letter.paragraphs),
        recipient=tuple(one(r, r) for r in letter.recipient),
        **{name: one(getattr(letter, name), getattr(letter, name)) for name in _SHARED_TEXT},
    )


def plan_jobs(
    loaded: LoadedCase,
    sheet: Sheet,
    out_dir: Path,
    *,
    formats: tuple[str, ...],
    lang: str | None,
    targets: tuple[str, ...],
    country: str | None,
    date,
    paper: str | None,
    blank: int,
    problems: list[tuple[int, str]],
    duplicates: list[Duplicate] | None = None,
    keep_duplicates: bool = False,
    limit: int | None = None,
    compose_many=None,
) -> list[Job]:
    """Compose every letter; bad rows go to ``problems`` as ``(line, reason)``, repeated
    attendees to ``duplicates``. ``limit`` counts rows (attendees), not letters; blank
    letters come on top. File names are chosen by :func:`assign_stems`. ``compose_many(rows,
    settings)`` composes rows like :func:`compose_rows` (e.g. in worker processes)."""
    digest_of_case = case_digest(loaded)
    jobs: list[Job] = []
    seen: dict[tuple, int] = {}  # attendee key -> first line
    occurrences: dict[tuple, int] = {}
    duplicates = duplicates if duplicates is not None else []

    countries = {t.id: t.address.country if t.address else None for t in loaded.case.targets}
    titles = {t.id: bool(t.title) + bool(t.office) for t in loaded.case.targets}

    def add(line: int | None, supporter: Supporter, letter: Letter, stem: str, who: str,
            duplicate_of: int | None = None, digest: bool = True) -> None:
        """``digest``: fingerprint it now (the rows' letters are fingerprinted once their
        paper is settled)."""
        jobs.append(Job(len(jobs), line, letter, supporter, stem,
                        letter_digest(letter, formats, digest_of_case) if digest else "", who,
                        countries[letter.target_id], titles[letter.target_id],
                        duplicate_of=duplicate_of))

    rows = sheet.rows if limit is None else sheet.rows[:max(limit, 0)]
    settings = RowSettings(lang, targets, country, date, paper)
    composed = (compose_many(rows, settings) if compose_many
                else compose_rows(loaded, rows, settings))
    shared: dict[str, str] = {}  # one copy of each paragraph, however many letters carry it
    for line, error, supporter, row_lang, letters in composed:
        if error is not None:
            problems.append((line, error))
            continue
        keys = attendee_keys(supporter)
        first = next((seen[k] for k in keys if k in seen), None)
        for k in keys:
            seen.setdefault(k, line)
        if first is not None:
            duplicates.append(Duplicate(line, first, supporter.name, keep_duplicates))
            if not keep_duplicates:
                continue
        for letter in letters:
            letter = _share(letter, shared)
            identity = (letter.target_id, row_lang, keys[0])
            occurrence = occurrences.get(identity, 0)
            occurrences[identity] = occurrence + 1
            add(line, supporter, letter, letter_stem(letter),
                who_key(letter.case_id, letter.target_id, row_lang, supporter, occurrence),
                first, digest=False)

    # One paper for the night's printer: the rows' letters follow it, the blanks too.
    from .paper import pack_paper

    paper = pack_paper((j.letter.paper for j in jobs), paper, country)
    for job in jobs:
        if job.letter.paper != paper:
            job.letter = replace(job.letter, paper=paper)
        job.digest = letter_digest(job.letter, formats, digest_of_case)

    if blank:
        from ..compose import choose_language, choose_targets

        blank_lang = choose_language(loaded, lang)
        supporter = Supporter(name=BLANK_NAME, country=country)
        options = Options(lang=blank_lang, date=date, paper=paper, output=PRINT)
        for k in range(1, blank + 1):
            for target in choose_targets(loaded, targets):
                letter = compose(loaded, target, supporter, options=options)
                # The date line keeps no city: the walk-in writes their own name and town.
                letter = replace(letter, author="", signature_name=BLANK_NAME)
                add(None, supporter, letter,
                    f"blank-{k:02d}_{letter.case_id}_{letter.target_id}_{letter.lang}",
                    f"blank:{k}:{letter.case_id}:{letter.target_id}:{blank_lang}")
    return jobs


def assign_stems(jobs: list[Job], state: dict[str, Entry], folder: Path,
                 formats: tuple[str, ...]) -> None:
    """Give each letter its file name: the one a previous run gave it (so a rerun after rows
    moved finds it), else ``<case>_<target>_<lang>_<name>``, numbered when two differ only
    by what a file name cannot show (namesakes from different cities)."""
    used: set[str] = set()

    def key(stem: str) -> str:
        return safe_filename(stem, "x").lower()

    fresh: list[Job] = []
    for job in jobs:
        old = state.get(job.who)
        if old is not None and key(old.stem) not in used:
            job.stem = old.stem
            used.add(key(old.stem))
        else:
            fresh.append(job)
    for job in fresh:  # a stale letter's name is free: its files go before any is written
        base, n, stem = job.stem, 2, job.stem
        while key(stem) in used:
            stem, n = f"{base}-{n}", n + 1
        job.stem = stem
        used.add(key(stem))
    for job in jobs:
        job.folder, job.formats = folder, formats


def stale_entries(jobs: list[Job], state: dict[str, Entry]) -> dict[str, Entry]:
    """Letters a previous run made that are no longer on the sheet (or no longer valid)."""
    planned = {job.who for job in jobs}
    return {who: e for who, e in state.items() if who not in planned}


def _listing(folders: set[Path]) -> dict[Path, set[str] | None]:
    """Folder -> the names it holds; None for a folder that cannot be listed (then each file
    is looked up on its own), empty for one that does not exist yet."""
    listing: dict[Path, set[str] | None] = {}
    for folder in folders:
        try:
            listing[folder] = set(os.listdir(folder))
        except FileNotFoundError:
            listing[folder] = set()
        except OSError:
            listing[folder] = None
    return listing


def mark_resumable(jobs: list[Job], state: dict[str, Entry], force: bool) -> None:
    """Skip letters a previous run made from the same inputs; refuse to overwrite files this
    batch did not make (unless ``force``)."""
    from ..i18n import _

    owned = {e.stem for e in state.values()}
    listing = _listing({job.folder for job in jobs if job.folder is not None})
    for job in jobs:
        if force:
            continue
        if job.folder is None:
            continue
        files = job.file_names()
        # Only a name the folder lists can exist: most letters need no look-up of their own.
        names = listing.get(job.folder)
        folder = str(job.folder)
        existing = [os.path.join(folder, name) for name in files.values()
                    if (names is None or name in names)
                    and os.path.exists(os.path.join(folder, name))]
        recorded = state.get(job.who)
        if (recorded is not None and recorded.digest == job.digest
                and recorded.stem == job.stem and len(existing) == len(files)):
            job.status = "unchanged"
        elif existing and job.stem not in owned:
            job.status = "failed"
            job.reason = _("{path} already exists and was not made by this batch; use --force "
                           "to replace it.").format(path=existing[0])
