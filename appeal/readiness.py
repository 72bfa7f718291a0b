"""What a case's gaps block: the one place that decides which output a missing field stops.

An imported case may be a draft (``status: draft``): it lacks some fields
(:func:`appeal.models.missing_fields`). Each output refuses only what it cannot do without
them, and says which field to add in which file; ``appeal check`` shows the same decisions.
Outputs:

- ``letter``: a letter as text (``compose --format txt``), the basis of every other output;
- ``print``: a letter for the post (PDF/DOCX, ``batch``, envelopes), which needs an address;
- ``email``, ``post``, ``call``: the other channels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cases import CASE_FILE, LoadedCase
from .errors import AppealError, UsageError
from .i18n import _
from .models import Target, missing_fields

LETTER, PRINT, EMAIL, POST, CALL = "letter", "print", "email", "post", "call"
OUTPUTS = (LETTER, PRINT, EMAIL, POST, CALL)
_COMPOSED = frozenset({LETTER, PRINT, EMAIL, CALL})  # outputs made from a composed letter

# Missing field (case level, or a target's with the "targets[i]." prefix removed) → the
# outputs it blocks. A field not listed (UA number, country, deadline) blocks nothing: letters
# are made without it, and `appeal check` still lists it.
CASE_BLOCKS: dict[str, frozenset[str]] = {
    "title": frozenset(OUTPUTS),  # the subject line, the email subject, the post, the call
    "targets": frozenset(OUTPUTS),
    "letters": _COMPOSED,
}
TARGET_BLOCKS: dict[str, frozenset[str]] = {
    "name": _COMPOSED,  # the address block, the email's To, whom to ask for on the phone
    "address": frozenset({PRINT}),
    "address.city": frozenset({PRINT}),
    "address.country": frozenset({PRINT}),
}
_TARGET_FIELD = re.compile(r"^targets\[(\d+)\]\.(.+)$")


def output_label(output: str) -> str:
    return {
        LETTER: _("letters as text (compose --format txt)"),
        PRINT: _("printed letters (compose PDF/DOCX, batch, envelopes)"),
        EMAIL: _("email (appeal email)"),
        POST: _("posts (appeal post)"),
        CALL: _("call scripts (appeal call)"),
    }[output]


def output_short(output: str) -> str:
    return {LETTER: _("letters"), PRINT: _("printed letters"), EMAIL: _("email"),
            POST: _("posts"), CALL: _("calls")}[output]


@dataclass(frozen=True)
class Gap:
    """One missing field: its path in case.yaml, the target it belongs to, what it blocks."""

    field: str
    target: Target | None = None
    blocks: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        """'the city in the address of target minister', in the interface language."""
        if self.target is None:
            return {
                "ua_number": _("the UA number"),
                "title": _("the title"),
                "country": _("the country"),
                "deadline": _("the deadline"),
                "targets": _("the officials to write to"),
                "letters": _("the sample letter"),
            }.get(self.field, self.field)
        part = _TARGET_FIELD.match(self.field).group(2)
        what = {
            "name": _("the name of target {target}"),
            "address": _("the postal address of target {target}"),
            "address.city": _("the city in the address of target {target}"),
            "address.country": _("the country in the address of target {target}"),
        }.get(part, "{target}: " + part)
        return what.format(target=self.target.id)


def gaps(loaded: LoadedCase) -> list[Gap]:
    """Every missing field of the case, with the outputs it blocks, in file order."""
    out = []
    targets = loaded.case.targets
    for name in missing_fields(loaded.case):
        m = _TARGET_FIELD.match(name)
        if m:
            out.append(Gap(name, targets[int(m.group(1))], TARGET_BLOCKS.get(m.group(2),
                                                                             frozenset())))
        else:
            out.append(Gap(name, None, CASE_BLOCKS.get(name, frozenset())))
    return out


def blocking(loaded: LoadedCase, output: str, target: Target | None = None) -> list[Gap]:
    """The gaps that stop ``output``: the case's own, plus ``target``'s when one is given."""
    return [g for g in gaps(loaded) if output in g.blocks
            and (g.target is None or (target is not None and g.target.id == target.id))]


def _where(loaded: LoadedCase) -> str:
    return str(loaded.folder / CASE_FILE)


def _hint(loaded: LoadedCase, found: list[Gap]) -> str:
    first = found[0]
    if first.field == "letters":
        return _("Add a sample letter to {folder} (e.g. letter.en.j2) and name it under "
                 "'letters:' in {path}; then run 'appeal check {case}'.").format(
            folder=loaded.folder, path=_where(loaded), case=loaded.id)
    return _("Add {fields} in {path}, then run 'appeal check {case}'.").format(
        fields=", ".join(g.field for g in found), path=_where(loaded), case=loaded.id)


def _listed(found: list[Gap]) -> str:
    """'the title (title), the name of target x (targets[0].name)'."""
    return ", ".join(f"{g.describe()} ({g.field})" for g in found)


def refusal(loaded: LoadedCase, output: str, found: list[Gap],
            error=AppealError) -> AppealError:
    """The error for an output a gap stops: names what is missing, the field and the file."""
    return error(
        _("Case {case} cannot make {output}: it lacks {what}.").format(
            case=loaded.id, output=output_label(output), what=_listed(found)),
        _hint(loaded, found),
    )


def require(loaded: LoadedCase, output: str, targets: list[Target] | None = None) -> None:
    """Raise a clear error if a gap of the case or of one of ``targets`` stops ``output``."""
    found = blocking(loaded, output)
    for target in targets or ():
        found += [g for g in blocking(loaded, output, target) if g.target is not None]
    if found:
        raise refusal(loaded, output, found)


@dataclass(frozen=True)
class Selection:
    """The targets an output can be made for, and the ones left out with their gaps."""

    targets: list[Target]
    skipped: list[tuple[Target, list[Gap]]]
    path: str = ""  # the case file to edit

    def skipped_lines(self, output: str) -> list[str]:
        return [_("Skipped {target}: the case lacks {what} in {path}.").format(
            target=t.id, what=_listed(found), path=self.path) for t, found in self.skipped]


def select(loaded: LoadedCase, output: str, wanted: tuple[str, ...] = ()) -> Selection:
    """The targets ``output`` can be made for: the ones named (each must be ready), or every
    ready one. A gap of the case itself, or no ready target at all, is an error naming the
    field and the file to edit."""
    from .compose import choose_targets

    case_gaps = blocking(loaded, output)
    if case_gaps:
        raise refusal(loaded, output, case_gaps)
    chosen = choose_targets(loaded, wanted)
    ready, skipped = [], []
    for target in chosen:
        found = [g for g in blocking(loaded, output, target) if g.target is not None]
        if found and wanted:
            raise refusal(loaded, output, found, error=UsageError)
        if found:
            skipped.append((target, found))
        else:
            ready.append(target)
    if not ready:
        raise refusal(loaded, output, [g for _t, found in skipped for g in found])
    return Selection(ready, skipped, _where(loaded))


@dataclass(frozen=True)
class OutputState:
    output: str
    ready: list[Target]
    blocked: list[tuple[Target, list[Gap]]]  # blocked by a missing field
    no_channel: list[Target]  # no email / phone / handle for this channel
    case_gaps: list[Gap]

    @property
    def possible(self) -> bool:
        return bool(self.ready) and not self.case_gaps


_CHANNEL = {EMAIL: "emails", CALL: "phones", POST: "twitter"}


def overview(loaded: LoadedCase) -> list[OutputState]:
    """For ``appeal check``: per output, which targets it can be made for and why not."""
    out = []
    for output in OUTPUTS:
        case_gaps = blocking(loaded, output)
        ready, blocked, no_channel = [], [], []
        for target in loaded.case.targets:
            found = [g for g in blocking(loaded, output, target) if g.target is not None]
            if found:
                blocked.append((target, found))
            elif output in _CHANNEL and not getattr(target, _CHANNEL[output]):
                no_channel.append(target)
            else:
                ready.append(target)
        out.append(OutputState(output, ready, blocked, no_channel, case_gaps))
    return out


_STATUS_LINE = re.compile(r"^status:[ \t]*['\"]?draft['\"]?[ \t]*(#.*)?$", re.M)


def mark_complete(loaded: LoadedCase) -> LoadedCase:
    """Turn ``status: draft`` into ``status: complete`` in case.yaml (nothing else changes, not
    even comments), once the case has every value a complete case needs; the case as re-read."""
    from pydantic import ValidationError

    from .cases import read_case
    from .files import atomic_write
    from .models import Case

    path = loaded.folder / CASE_FILE
    if loaded.case.status == "complete":
        return loaded
    try:
        Case.model_validate({**loaded.case.model_dump(mode="json"), "status": "complete"})
    except ValidationError as exc:
        fields = [_path(e["loc"]) for e in exc.errors()]
        raise AppealError(
            _("Case {case} still lacks {fields}: it stays a draft.").format(
                case=loaded.id, fields=", ".join(dict.fromkeys(fields))),
            _("Add them in {path}, then run 'appeal check {case}' again.").format(
                path=path, case=loaded.id))
    from .cases import MAX_CASE_FILE
    from .files import read_in_folder

    try:  # never through a link, like every read of a case's files
        text = read_in_folder(loaded.folder, CASE_FILE, MAX_CASE_FILE).decode("utf-8")
    except OSError as exc:
        raise AppealError(_("Cannot read {path}: {error}").format(
            path=path, error=exc.strerror or exc))
    new, n = _STATUS_LINE.subn("status: complete", text, count=1)
    if not n:
        raise AppealError(
            _("{path}: cannot find the line 'status: draft' to change.").format(path=path),
            _("Write 'status: complete' in it yourself."))
    atomic_write(path, new.encode("utf-8"))
    return read_case(loaded.folder)


def _path(loc: tuple) -> str:
    """('targets', 1, 'name') → 'targets[1].name', the way missing_fields writes it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out
