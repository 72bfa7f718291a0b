"""``manifest.csv``: one row per letter (and per row that failed or repeated an attendee),
for the organizer's count.

Written the way the sign-up sheet was: the same delimiter and encoding (a ``;`` sheet saved by
Spanish Excel as "CSV UTF-8" gets a ``;`` manifest with a BOM; a UTF-16 "Unicode text" sheet a
UTF-16 one); from an .xlsx sheet, a comma-separated UTF-8 file with a BOM, which Excel opens
with accents right. Cells come from attendees' own text, so any cell a spreadsheet would run
as a formula (starting with ``= + - @``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import os

from ..csvcells import FORMULA_STARTS, defuse  # noqa: F401 (shared)
from ..i18n import _

COLUMNS = ("row", "target", "language", "name", "files", "status", "fit", "reason")


def status_label(status: str) -> str:
    return {"made": _("made"), "unchanged": _("unchanged"), "failed": _("failed"),
            "planned": _("to make"), "duplicate": _("duplicate")}.get(status, status)


def _duplicate(first: int) -> str:
    return _("same attendee as row {line}").format(line=first)


def manifest_rows(result) -> list[dict[str, str]]:
    rows: list[tuple[tuple, dict[str, str]]] = []
    folders: dict = {}

    def _relative(folder) -> str:  # the letters' folder, relative to the output folder
        if folder not in folders:
            folders[folder] = str(folder.relative_to(result.out_dir))
        return folders[folder]

    names = {row.line: (row.cells.get("name") or "").strip() for row in result.sheet.rows}
    for job in result.jobs:
        files = " ".join(os.path.join(_relative(job.folder), name)
                         for name in job.file_names().values()) if job.folder else ""
        rows.append(((job.line is None, job.line or 0, job.index), {
            "row": str(job.line) if job.line is not None else _("blank"),
            "target": job.letter.target_id,
            "language": job.letter.lang,
            "name": "" if job.blank else job.supporter.name,
            "files": files,
            "status": job.status,
            "fit": job.fit,
            "reason": job.reason or (_duplicate(job.duplicate_of)
                                     if job.duplicate_of is not None else ""),
        }))
    for line, reason in result.problems:
        rows.append(((False, line, -1), {
            "row": str(line), "target": "", "language": "", "name": names.get(line, ""),
            "files": "", "status": "failed", "fit": "", "reason": reason,
        }))
    for dup in getattr(result, "duplicates", ()):
        if not dup.made:
            rows.append(((False, dup.line, -1), {
                "row": str(dup.line), "target": "", "language": "", "name": dup.name,
                "files": "", "status": "duplicate", "fit": "",
                "reason": _duplicate(dup.first),
            }))
    return [row for _key, row in sorted(rows, key=lambda item: item[0])]


def convention(sheet) -> tuple[str, str]:
    """(delimiter, encoding) of the manifest for this sign-up sheet."""
    if sheet.kind != "csv":
        return ",", "utf-8-sig"
    return sheet.delimiter or ",", sheet.encoding or "utf-8"


def render_manifest(result) -> bytes:
    delimiter, encoding = convention(result.sheet)
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter=delimiter,
                            lineterminator="\r\n")
    writer.writeheader()
    for row in manifest_rows(result):
        writer.writerow({k: defuse(v) for k, v in row.items()})
    try:
        return buf.getvalue().encode(encoding, errors="replace")
    except LookupError:
        return buf.getvalue().encode("utf-8-sig")
