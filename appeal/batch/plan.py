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
from ..files import atomic_write, file_problem, read_in_folder, read_regular, safe_filename
from ..letter import Letter
from ..readiness import PRINT
from .rows import BLANK_NAME, RowInput, read_row
from .sheet import Sheet

RENDER_VERSION = "2"  # bump when renderers change what a letter looks like
LETTERS_DIR = "letters"


@dataclass
class Job:
    """One letter: who, to whom, where its files go, and what happened to it."""

    index: int  # position in the print file
    line: int | None  # sheet line, None for blank letters
    letter: Letter
    supporter: Supporter
    stem: str
    digest: str  # fingerprint of everything that decides the files' content
    target_country: str | None = None  # where the letter goes, for airmail and postage
    title_lines: int = 0  # recipient lines between the name and the address (title, office)
    paths: dict[str, Path] = field(default_factory=dict)
    status: str = "planned"  # planned, unchanged, made, failed
    reason: str = ""
    fit: str = ""  # how it fits the paper, when not as usual ("10 pt", "2 pages")

    @property
    def blank(self) -> bool:
        return self.line is None

    @property
    def needs_render(self) -> bool:
        return self.status == "planned"


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


def _check_printable(letter: Letter) -> None:
    fonts.check_coverage(letter.text_fields())


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
) -> list[Job]:
    """Compose every letter; bad rows go to ``problems`` as ``(line, reason)``."""
    digest_of_case = case_digest(loaded)
    folder = out_dir / LETTERS_DIR
    jobs: list[Job] = []
    used: set[str] = set()

    countries = {t.id: t.address.country if t.address else None for t in loaded.case.targets}
    titles = {t.id: bool(t.title) + bool(t.office) for t in loaded.case.targets}

    def add(line: int | None, supporter: Supporter, letter: Letter, stem: str) -> None:
        base, n = stem, 2
        key = safe_filename(stem, "x").lower()
        while key in used:  # cut names can collide
            stem, n = f"{base}-{n}", n + 1
            key = safe_filename(stem, "x").lower()
        used.add(key)
        job = Job(len(jobs), line, letter, supporter, stem,
                  letter_digest(letter, formats, digest_of_case), countries[letter.target_id],
                  titles[letter.target_id])
        job.paths = {fmt: folder / safe_filename(stem, fmt) for fmt in formats}
        jobs.append(job)

    for row in sheet.rows:
        try:
            entry: RowInput = read_row(loaded, row, default_lang=lang, default_targets=targets,
                                       default_country=country)
            options = Options(lang=entry.lang, date=date, paper=paper, output=PRINT)
            letters = [compose(loaded, t, entry.supporter, entry.edits, options)
                       for t in entry.targets]
            for letter in letters:
                _check_printable(letter)
        except AppealError as exc:
            problems.append((row.line, exc.message))
            continue
        for letter in letters:
            add(row.line, entry.supporter, letter, f"{row.line:04d}_{letter_stem(letter)}")

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
                    f"blank-{k:02d}_{letter.case_id}_{letter.target_id}_{letter.lang}")
    return jobs


STATE_FILE = ".appeal-batch-state.tsv"
MAX_STATE = 1 << 30  # a line per letter: far below this


def read_state(out_dir: Path) -> dict[str, str]:
    """stem -> digest of letters a previous run finished (a cut-off last line is ignored)."""
    state: dict[str, str] = {}
    try:  # a link planted in its place is not read through (nor written: reset_state)
        text = read_regular(out_dir / STATE_FILE, MAX_STATE).decode("utf-8", errors="replace")
    except OSError:
        return state
    for line in text.split("\n"):
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[1]) == 64:
            state[parts[0]] = parts[1]
    return state


def reset_state(out_dir: Path) -> None:
    """Before workers append to the resume record: rewrite it, atomically, as a regular file
    of ours with the entries it held. Whatever was planted under its name (a symbolic link,
    a hard link to another file) is replaced, never written through."""
    path = out_dir / STATE_FILE
    try:
        if os.lstat(path).st_nlink <= 1 and file_problem(path) is None:
            return  # a regular file of its own: appended to as it is
    except FileNotFoundError:
        return  # created (without following links) by the first letter made
    lines = "".join(f"{stem}\t{digest}\n" for stem, digest in read_state(out_dir).items())
    atomic_write(path, lines.encode("utf-8", "surrogatepass"))


def mark_resumable(jobs: list[Job], out_dir: Path, force: bool) -> None:
    """Skip letters a previous run made from the same inputs; refuse to overwrite files this
    batch did not make (unless ``force``)."""
    from ..i18n import _

    state = {} if force else read_state(out_dir)
    for job in jobs:
        existing = [p for p in job.paths.values() if p.exists()]
        if force:
            continue
        recorded = state.get(job.stem)
        if recorded == job.digest and len(existing) == len(job.paths):
            job.status = "unchanged"
        elif existing and recorded is None:
            job.status = "failed"
            job.reason = _("{path} already exists and was not made by this batch; use --force "
                           "to replace it.").format(path=existing[0])
