"""Find, load and validate case folders (``<dir>/<case-id>/case.yaml`` plus letter templates).

Cases are searched in order: folders given on the command line (``--cases``), folders in the
``APPEAL_CASES`` environment variable, the user's cases folder, then the cases bundled with
appeal. The first folder holding a case id wins, so a user can override a bundled case.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import AppealError, UsageError
from .files import file_problem, read_in_folder
from .i18n import _, ngettext
from .models import Case
from .resources import bundled_dir
from .yamlsafe import YamlTooBig, load_yaml, text_problems

CASE_FILE = "case.yaml"
ENV_VAR = "APPEAL_CASES"
MAX_CASE_FILE = 1_000_000
MAX_TEMPLATE = 100_000


@dataclass(frozen=True)
class LoadedCase:
    """A validated case and the folder its templates live in."""

    case: Case
    folder: Path

    @property
    def id(self) -> str:
        return self.case.id

    def template_path(self, lang: str) -> Path:
        return self.folder / self.case.letters[lang]


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


def _format_validation(path: Path, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or _("(top level)")
        lines.append(f"  {path}: {where}: {e['msg']}")
    return "\n".join(lines)


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
    try:
        data = load_yaml(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise AppealError(
            _("{path}: not valid UTF-8 at byte {pos}.").format(path=path, pos=exc.start + 1),
            _("Save the case file as UTF-8."),
        )
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
            _("Fix the fields listed above; see README.md, 'Case files'."),
        )
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
        seen.setdefault(loaded.id, loaded)
    return sorted(seen.values(), key=lambda c: c.id), problems


def load_case(case_id: str, dirs: list[Path] | None = None) -> LoadedCase:
    """The case called ``case_id`` (folder name or ``id`` field), or a usage error listing cases."""
    folders = _case_folders(case_dirs(dirs))
    for folder in folders:
        if folder.name == case_id:
            return read_case(folder)
    cases, _problems = list_cases(dirs)
    for loaded in cases:
        if loaded.id == case_id:
            return loaded
    known = ", ".join(c.id for c in cases) or _("(none)")
    raise UsageError(
        _("Unknown case '{case}'.").format(case=case_id),
        _("Available cases: {cases}").format(cases=known),
    )
