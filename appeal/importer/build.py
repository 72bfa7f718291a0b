"""Extraction → a case folder (``case.yaml`` + one letter template), written atomically.

Only values with a source in the document are written. Values the schema cannot hold in part
(an address without a city or country) are kept as YAML comments so the user can finish them
by hand. The letter template is the sample letter's text made inert: any ``{`` that came from
the document is written as ``{{ '{' }}``, so template code in a UA prints literally.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import AppealError
from ..files import remove_folder
from ..i18n import _
from .blocks import Block
from .parse import PLACEHOLDER_NAME, Extraction

ROLE_IDS = {
    "head_of_state": "president",
    "head_of_government": "prime-minister",
    "ambassador": "ambassador",
    "minister": "minister",
    "prosecutor": "prosecutor",
    "governor": "governor",
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass
class Plan:
    """What will be written: the case data, its template text and the notes for the review."""

    case_id: str
    data: dict
    templates: dict[str, str]
    comments: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # models.missing_fields of the case

    @property
    def draft(self) -> bool:
        return self.data.get("status") == "draft"


def slugify(text: str) -> str:
    from .lexicon import fold

    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:40].strip("-") or "target"


def escape_template_text(text: str) -> str:
    """Literal text for a Jinja2 template: every ``{`` becomes an expression printing ``{``."""
    return text.replace("{", "{{ '{' }}")


def letter_template(paragraphs: list[str], from_points: bool) -> str:
    head = ("{#- Sample letter imported by 'appeal import'. Paragraphs are separated by a blank line;\n"
            "    appeal adds the salutation, closing, date and signature for each target. -#}\n")
    if from_points:
        head += ("{#- The UA had no sample letter: these are its appeal points. Make them sentences "
                 "before printing. -#}\n")
    out = []
    for para in paragraphs:
        pieces = PLACEHOLDER_NAME.split(para)
        out.append("{{ supporter.name }}".join(escape_template_text(p) for p in pieces))
    return head + "\n\n".join(out) + "\n"


def _localized(lang: str, value: str | None) -> dict:
    return {lang: value} if value else {}


def _target(block: Block, lang: str, used: set[str], comments: list[str]) -> dict:
    named = block.name or block.title or block.office
    name = named.value if named else None
    base = ROLE_IDS.get(block.role) or slugify(name or "target")
    tid, n = base, 2
    while tid in used:
        tid, n = f"{base}-{n}", n + 1
    used.add(tid)
    data: dict = {"id": tid}
    if name:
        data["name"] = name
    if block.surname:
        data["surname"] = block.surname.value
    data["role"] = block.role
    data["gender"] = block.gender
    if block.honorific:
        data["honorific"] = _localized(lang, block.honorific.value)
    if block.title and block.name:
        data["title"] = _localized(lang, block.title.value)
    if block.office:
        data["office"] = _localized(lang, block.office.value)
    if block.address:
        # always kept: the printed lines, and the parts read from them beside them
        data["address"] = block.address.for_case()
    for key, values in (("emails", block.emails), ("phones", block.phones),
                        ("faxes", block.faxes), ("twitter", block.twitter),
                        ("facebook", block.facebook), ("instagram", block.instagram)):
        if values:
            data[key] = [v.value for v in values]
            comments += [_("target {id}: {field} {value} is printed \"{printed}\" in the UA").format(
                id=tid, field=key, value=v.value, printed=v.printed) for v in values if v.printed]
    if block.salutations:
        data["salutation"] = {k: v.value for k, v in block.salutations.items()}
    return data


def _copy(block: Block) -> dict:
    name = (block.name or block.office or block.title).value if (block.name or block.office or block.title) \
        else (block.emails[0].value if block.emails else "?")
    details = []
    for v in (block.title, block.office):
        if v and v.value != name:
            details.append(v.value)
    if block.address:
        details += block.address.raw
    data = {"name": name, "details": details}
    for key, values in (("emails", block.emails), ("phones", block.phones),
                        ("faxes", block.faxes), ("twitter", block.twitter)):
        if values:
            data[key] = [v.value for v in values]
    return {k: v for k, v in data.items() if v}


def draft_id(x: Extraction, source_name: str) -> str:
    """A case id for a UA that prints no number: from its title, else the file name."""
    from pathlib import PurePath

    base = x.get("title") or PurePath(source_name).stem or "imported"
    return slugify(base)[:40].strip("-") or "imported"


def plan(x: Extraction, case_id: str | None, source_name: str) -> Plan:
    """Decide the case data; parts the document lacks go to ``missing_required`` (they make
    the case a draft, never a refusal)."""
    missing = []
    lang = x.lang
    ua = x.get("ua_number")
    if not ua:
        missing.append(_("UA number"))
    if not x.get("title"):
        missing.append(_("title"))
    if not x.get("country"):
        missing.append(_("country"))
    if not x.targets:
        missing.append(_("targets (officials to write to)"))
    if not x.letter:
        missing.append(_("sample letter"))
    cid = case_id or (f"ua-{ua}" if ua else draft_id(x, source_name))
    if case_id is not None and not SLUG.match(case_id):
        raise AppealError(
            _("--id: '{id}' is not a valid case id.").format(id=case_id),
            _("Use lower-case letters, digits, '.', '_' and '-', e.g. ua-123.21."),
            exit_code=2,
        )
    comments: list[str] = []
    letter_lang = x.letter.lang if x.letter else lang
    data: dict = {"id": cid, "status": "complete"}
    if ua:
        data["ua_number"] = ua
    if x.get("title"):
        data["title"] = _localized(lang, x.get("title"))
    if x.get("ua_type"):
        data["ua_type"] = x.get("ua_type")
    if x.get("country"):
        data["country"] = x.get("country")
    for key in ("issued", "deadline", "deadline_text"):
        if x.get(key):
            data[key] = x.get(key)
    asked = x.get("preferred_language")
    data["preferred_language"] = letter_lang
    if asked and asked != letter_lang:
        data["requested_language"] = asked
    if "own_language_allowed" in x.fields:
        data["own_language_allowed"] = bool(x.get("own_language_allowed"))
    if x.get("subject_name"):
        data["subject"] = {"name": x.get("subject_name")}
        if x.get("subject_pronoun"):
            data["subject"]["pronoun"] = x.get("subject_pronoun")
    if x.get("summary"):
        data["summary"] = {lang: x.get("summary")}
    if x.get("background"):
        data["background"] = {lang: x.get("background")}
    used: set[str] = set()
    data["targets"] = [_target(t, lang, used, comments) for t in x.targets]
    if x.get("common_salutation"):
        from .blocks import salutation_language

        common = x.get("common_salutation")
        data["salutation"] = {salutation_language(common) or letter_lang: common}
    if x.copies:
        data["copies_to"] = [_copy(c) for c in x.copies]
    templates = {}
    if x.letter:
        name = f"letter.{letter_lang}.j2"
        data["letters"] = {letter_lang: name}
        templates[name] = letter_template(x.letter.paragraphs, x.letter.from_points)
    data["source"] = re.sub(r"[\x00-\x1f\x7f]", "", source_name)[:200]
    p = Plan(cid, data, templates, comments, missing)
    p.gaps = gaps_of(data)
    if p.gaps or missing:
        data["status"] = "draft"
    return p


def gaps_of(data: dict) -> list[str]:
    """What the case lacks, as :func:`appeal.models.missing_fields` names it ('targets[0].address')."""
    from ..models import Case, missing_fields

    return missing_fields(Case.model_validate({**data, "status": "draft"}))


def case_yaml(p: Plan) -> str:
    head = ("# Imported by 'appeal import'. Check every field against the review (and the UA)\n"
            "# before printing letters; fields the UA did not give are left out, not guessed.\n")
    body = yaml.safe_dump(p.data, allow_unicode=True, sort_keys=False, width=100)
    tail = ""
    if p.comments:
        tail = "\n# " + _("Notes from the import:") + "\n"
        tail += "".join("# " + re.sub(r"[\r\n]", " ", c) + "\n" for c in p.comments)
    return head + body + tail


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".appeal-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


STAGING_PREFIX = ".appeal-import-"
_STAGING = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-[^/]+")


def sweep_staging(out_dir: Path) -> int:
    """Remove the half-written case folders of imports that were killed: real folders (never
    a link) named ``.appeal-import-<pid>-…``, owned by this user, whose process is gone. An
    import still running elsewhere keeps its own. Returns how many were removed."""
    removed = 0
    try:
        with os.scandir(out_dir) as entries:
            found = [(e, int(m.group(1))) for e in entries if (m := _STAGING.fullmatch(e.name))]
    except OSError:
        return 0
    for entry, pid in found:
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (entry.is_symlink() or not entry.is_dir(follow_symlinks=False)
                or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()) or _alive(pid)):
            continue
        remove_folder(Path(entry.path))
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone's process, or we cannot tell: leave it
    return True


def write_case(p: Plan, out_dir: Path, force: bool, validate) -> Path:
    """Write the folder next to its final place, validate it, then move it in (atomically).

    A case id that another case already has (bundled, or in a searched folder, or a folder in
    ``out_dir``) is refused unless ``force``: no case is replaced or hidden silently."""
    from ..cases import refuse_taken_id

    refuse_taken_id(p.case_id, out_dir, force)
    final = out_dir / p.case_id
    if os.path.lexists(final) and not force:
        raise AppealError(
            _("{folder} already exists.").format(folder=final),
            _("Use --force to replace it, or --id to import under another case id."),
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        sweep_staging(out_dir)
        staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    except OSError as exc:
        raise AppealError(_("Cannot write to {dir}: {error}").format(dir=out_dir, error=exc.strerror or exc))
    old = None
    try:
        _write(staging / "case.yaml", case_yaml(p))
        for name, text in p.templates.items():
            _write(staging / name, text)
        validate(staging)
        if os.path.lexists(final):
            old = out_dir / f".appeal-old-{p.case_id}-{os.getpid()}"
            n = 1
            while os.path.lexists(old):  # a name nothing holds (not even a planted link)
                old, n = out_dir / f".appeal-old-{p.case_id}-{os.getpid()}-{n}", n + 1
            os.replace(final, old)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and os.path.lexists(old) and not os.path.lexists(final):
            os.replace(old, final)
        raise
    if old is not None:
        remove_folder(old)
    return final
