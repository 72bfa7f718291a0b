"""Find, load and validate case folders (``<dir>/<case-id>/case.yaml`` plus letter templates).

Cases are searched in order: folders given on the command line (``--cases``), folders in the
``APPEAL_CASES`` environment variable, the user's cases folder, then the cases bundled with
appeal. The first folder holding a case id wins, so a user can override a bundled case; the
cases it hides are kept in :attr:`LoadedCase.hides`, and ``cases``/``show`` say so.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AppealError, UsageError, message
from .files import file_problem, read_in_folder
from .i18n import N_, _, ngettext
from .models import Case, CaseProblem, Target, remember_json_data
from .resources import bundled_dir

if TYPE_CHECKING:
    from pydantic import ValidationError

CASE_FILE = "case.yaml"
ENV_VAR = "APPEAL_CASES"
MAX_CASE_FILE = 1_000_000
MAX_TEMPLATE = 100_000


@dataclass(frozen=True)
class LoadedCase:
    """A validated case and the folder its templates live in."""

    case: Case
    folder: Path
    hides: tuple[Path, ...] = ()  # folders of cases with the same id that this one shadows

    @property
    def id(self) -> str:
        return self.case.id

    def template_path(self, lang: str) -> Path:
        return self.folder / self.case.letters[lang]

    @property
    def hides_bundled(self) -> bool:
        return any(is_bundled(f) for f in self.hides)


def is_bundled(folder: Path) -> bool:
    """Whether ``folder`` is a case shipped with appeal (not the user's own)."""
    try:
        return folder.resolve().parent == bundled_dir("letters").resolve()
    except OSError:
        return False


def user_cases_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("appeal", appauthor=False)) / "cases"


def case_dirs(extra: list[Path] | None = None) -> list[Path]:
    dirs = list(extra or [])
    dirs += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    dirs += [user_cases_dir(), bundled_dir("letters")]
    return dirs


def _case_folders(dirs: list[Path]) -> list[Path]:
    found = []
    for d in dirs:
        if (d / CASE_FILE).is_file():  # a case folder given directly
            found.append(d)
        elif d.is_dir():
            found += sorted(p.parent for p in d.glob(f"*/{CASE_FILE}"))
    return found


# pydantic's own (English) messages, by error type, in appeal's words.
_PYDANTIC_WORDS = {
    "missing": N_("required, but missing"),
    "extra_forbidden": N_("not a field a case can have (misspelled?)"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a mapping (key: value)"),
    "model_type": N_("must be a mapping (key: value)"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "too_short": N_("must not be empty"),
    "string_pattern_mismatch": N_("is not in the expected form ({pattern})"),
    "enum": N_("must be one of: {expected}"),
}


def _problem_text(e: Any) -> str:  # a pydantic ErrorDetails
    ctx = e.get("ctx") or {}
    if isinstance(ctx.get("error"), CaseProblem):
        return str(ctx["error"].text)
    words = _PYDANTIC_WORDS.get(e["type"])
    return _(words).format(**ctx) if words else e["msg"]


def _format_validation(path: Path, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or _("(top level)")
        lines.append(f"  {path}: {where}: {_problem_text(e)}")
    return "\n".join(lines)


def _lacks_required(data: dict, err: ValidationError) -> bool:
    """Whether a case marked complete fails only for want of what a draft may lack."""
    from .models import REQUIRED_FOR_COMPLETE

    return data.get("status", "complete") == "complete" and any(
        e["type"] == "missing" and e["loc"] and e["loc"][0] in (*REQUIRED_FOR_COMPLETE, "targets")
        for e in err.errors())


def read_case(folder: Path) -> LoadedCase:
    """Parse and validate one case folder; every problem is reported in one error."""
    path = folder / CASE_FILE
    try:  # never more than the cap; only a regular file in the folder, never a link out
        raw_bytes = read_in_folder(folder, CASE_FILE, MAX_CASE_FILE)
    except OSError as exc:
        raise AppealError(_("Cannot read {path}: {error}").format(
            path=path, error=exc.strerror or exc))
    if len(raw_bytes) > MAX_CASE_FILE:
        raise AppealError(_("{path}: the case file is too large.").format(path=path))
    case = _validated_cached(path, raw_bytes)
    problems = {lang: file_problem(folder / name) for lang, name in case.letters.items()}
    missing = [
        f"  {path}: letters.{lang}: {folder / case.letters[lang]}"
        for lang, problem in problems.items() if problem == "missing"
    ]
    if missing:
        raise AppealError(
            _("{path}: sample letter templates are missing:").format(path=path)
            + "\n"
            + "\n".join(missing)
        )
    refused = [
        f"  {path}: letters.{lang}: {folder / case.letters[lang]}: {problem}"
        for lang, problem in problems.items() if problem
    ]
    if refused:
        raise AppealError(
            _("{path}: sample letter templates must be regular files inside the case "
              "folder:").format(path=path) + "\n" + "\n".join(refused),
            _("Put the template itself, as a regular file, in the case folder."),
        )
    return LoadedCase(case=case, folder=folder)


def _validated_cached(path: Path, raw_bytes: bytes) -> Case:
    """The validated case of these bytes, from :mod:`.cache` when an earlier run validated the
    same bytes with the same models (a bundled case is parsed and validated once, not on every
    run: PyYAML and building pydantic's validators were ~0.1 s of each compose). Only a valid
    case is stored; a problem is found and reported the slow way every time."""
    import pickle

    from .cache import cached, file_digest, package_stamp

    here = Path(__file__).parent
    key = "|".join((file_digest(here / "models.py", here / "yamlsafe.py", here / "text.py",
                                Path(__file__)),
                    package_stamp("pydantic"), package_stamp("yaml"), sys.version,
                    hashlib.sha256(raw_bytes).hexdigest()))

    def validate() -> bytes:
        case = _validated(path, raw_bytes)
        dumps = [case.model_dump(mode="json"),
                 [t.model_dump(mode="json") for t in case.targets or ()]]
        return pickle.dumps((case, dumps), protocol=5)

    try:
        case, (case_data, target_data) = pickle.loads(cached("cases", key, validate))
    except Exception:  # a cache written by an incompatible interpreter: validate again
        return _validated(path, raw_bytes)
    if not isinstance(case, Case):
        return _validated(path, raw_bytes)
    remember_json_data(case, case_data)
    for target, data in zip(case.targets or (), target_data, strict=True):
        remember_json_data(target, data)
    return case


def _validated(path: Path, raw_bytes: bytes) -> Case:
    """Parse the case file's bytes and validate them; every problem is reported in one error."""
    import yaml
    from pydantic import ValidationError

    from .yamlsafe import YamlTooBig, YamlTooDeep, load_yaml, text_problems

    try:
        data = load_yaml(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise AppealError(
            _("{path}: not valid UTF-8 at byte {pos}.").format(path=path, pos=exc.start + 1),
            _("Save the case file as UTF-8."),
        )
    except YamlTooDeep:
        raise AppealError(_("{path}: the case file is nested too deeply.").format(path=path))
    except yaml.YAMLError as exc:
        raise AppealError(
            _("{path}: not valid YAML: {error}").format(path=path, error=exc),
        )
    except YamlTooBig:
        raise AppealError(
            _("{path}: the case file expands to too many values (YAML aliases).").format(
                path=path),
            _("Write the values out, or use fewer aliases (*name)."),
        )
    except RecursionError:
        raise AppealError(_("{path}: the case file is nested too deeply.").format(path=path))
    except (ValueError, OverflowError) as exc:  # e.g. "deadline: 2021-02-30"
        raise AppealError(
            _("{path}: a value cannot be read: {error}").format(path=path, error=exc),
            _("Check the dates (YYYY-MM-DD) and numbers in the case file."),
        )
    if not isinstance(data, dict):
        raise AppealError(_("{path}: a case file must be a mapping of fields.").format(path=path))
    bad_text = text_problems(data)
    if bad_text:
        raise AppealError(
            ngettext(
                "{path}: the case file has {n} problem:",
                "{path}: the case file has {n} problems:",
                len(bad_text),
            ).format(path=path, n=len(bad_text))
            + "\n"
            + "\n".join(f"  {path}: {where}: " + _("contains {problem}").format(problem=problem)
                        for where, problem in bad_text),
            _("Remove those characters; see README.md, 'Case files'."),
        )
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise AppealError(
            ngettext(
                "{path}: the case file has {n} problem:",
                "{path}: the case file has {n} problems:",
                exc.error_count(),
            ).format(path=path, n=exc.error_count())
            + "\n"
            + _format_validation(path, exc),
            _("Fix the fields listed above; see README.md, 'Case files'.")
            + ("\n" + _("A complete case needs its UA number, title, country, targets with names "
                        "and a sample letter; while it lacks some, write 'status: draft' in it.")
               if _lacks_required(data, exc) else ""),
        )
    return case


def list_cases(dirs: list[Path] | None = None) -> tuple[list[LoadedCase], list[AppealError]]:
    """Every case found (first occurrence of an id wins) and the problems met on the way."""
    seen: dict[str, LoadedCase] = {}
    problems: list[AppealError] = []
    for folder in _case_folders(case_dirs(dirs)):
        try:
            loaded = read_case(folder)
        except AppealError as exc:
            problems.append(exc)
            continue
        first = seen.setdefault(loaded.id, loaded)
        if first is not loaded:  # shadowed: say so in `cases` and `show`, never silently
            seen[loaded.id] = replace(first, hides=first.hides + (folder,))
    return sorted(seen.values(), key=lambda c: c.id), problems


def load_case(case_id: str, dirs: list[Path] | None = None) -> LoadedCase:
    """The case called ``case_id`` (folder name or ``id`` field), or a usage error listing cases."""
    folders = _case_folders(case_dirs(dirs))
    for folder in folders:
        if folder.name == case_id:
            loaded = read_case(folder)
            hidden = tuple(f for f in folders if f != folder and f.name in {case_id, loaded.id})
            return replace(loaded, hides=hidden)
    cases, _problems = list_cases(dirs)
    for loaded in cases:
        if loaded.id == case_id:
            return loaded
    known = ", ".join(c.id for c in cases)
    raise UsageError(
        message(N_("Unknown case '{case}'."), case=case_id),
        message(N_("Available cases: {cases}"), cases=known or message(N_("(none)"))),
    )


def deadline_label(case: Case, lang: str) -> str:
    """The deadline in the reader's language (Babel): a month alone ("diciembre de 2021") when
    the UA gave only a month, else the whole date. Empty when the case has no deadline."""
    if case.deadline is None:
        return ""
    import re

    from babel.dates import format_date, format_skeleton

    written = case.deadline_text
    if written and not re.search(r"(?<!\d)\d{1,2}(?!\d)", written):
        return format_skeleton("yMMMM", case.deadline, locale=lang)
    return format_date(case.deadline, "long", locale=lang)


def is_searched(folder: Path) -> bool:
    """Whether appeal looks for cases in ``folder`` without ``--cases``."""
    try:
        return folder.resolve() in {d.resolve() for d in case_dirs()}
    except OSError:
        return True


def holders(case_id: str, extra: list[Path] | None = None) -> list[Path]:
    """Every case folder named ``case_id`` or whose case has that id, in search order (the
    folders in ``extra`` first), broken ones included."""
    out = []
    for folder in _case_folders(case_dirs(extra)):
        if folder.name == case_id:
            out.append(folder)
            continue
        try:
            if read_case(folder).id == case_id:
                out.append(folder)
        except AppealError:
            continue
    return list(dict.fromkeys(out))


def free_id(case_id: str, extra: list[Path] | None = None) -> str:
    """``case_id-2`` (or -3…): an id no case in ``extra`` or the search folders uses yet."""
    taken = set()
    for folder in _case_folders(case_dirs(extra)):
        taken.add(folder.name)
        try:
            taken.add(read_case(folder).id)
        except AppealError:
            continue
    n = 2
    while f"{case_id}-{n}" in taken:
        n += 1
    return f"{case_id}-{n}"


def refuse_taken_id(case_id: str, out_dir: Path, force: bool) -> None:
    """A new case (an import into ``out_dir``) must not replace or silently shadow a case of
    the same id: refuse, suggesting a free ``--id``; ``force`` replaces or shadows a user's
    case, and shadows (never replaces) a bundled one, which ``cases``/``show`` then say.

    Only a folder that appeal searches (the user's cases folder, $APPEAL_CASES) can shadow
    another case; in any other ``out_dir`` only a folder of the same name is in the way (a case
    there is used with ``--cases DIR``, and ``cases``/``show`` then say what it hides)."""
    if not case_id:
        return
    if is_searched(out_dir):
        found = holders(case_id, [out_dir])
    else:
        found = [out_dir / case_id] if (out_dir / case_id).exists() else []
    if not found or force:
        return
    suggestion = free_id(case_id, [out_dir])
    # (a maintainer importing into the bundled folder itself, --out letters/, replaces there)
    bundled = [f for f in found if is_bundled(f) and f.parent.resolve() != out_dir.resolve()]
    if bundled:
        raise AppealError(
            _("A case with id {id} is bundled with appeal ({folder}); importing this one "
              "under the same id would hide it.").format(id=case_id, folder=bundled[0]),
            _("Import it under another id with --id {suggestion}, or give --force to make your "
              "own copy that hides the bundled case ('appeal cases' will say so).").format(
                suggestion=suggestion),
        )
    raise AppealError(
        _("A case with id {id} already exists: {folder}.").format(id=case_id, folder=found[0]),
        _("Import it under another id with --id {suggestion}, or give --force to replace "
          "it.").format(suggestion=suggestion),
    )


def choose_targets(loaded: LoadedCase, wanted: tuple[str, ...]) -> list[Target]:
    """The targets named (each must exist), in the order given once each; all when none."""
    targets = loaded.case.targets
    if not wanted:
        return list(targets)
    by_id = {t.id: t for t in targets}
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        raise UsageError(
            message(N_("Case {case} has no target '{target}'."), case=loaded.id,
                    target=unknown[0]),
            message(N_("Available targets: {targets}"), targets=", ".join(by_id)),
        )
    return [by_id[w] for w in dict.fromkeys(wanted)]
