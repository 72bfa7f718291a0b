"""``manifest.csv``: one row per letter (and per row that failed), for the organizer's count.

Cells come from attendees' own text, so any cell a spreadsheet would run as a formula
(starting with ``= + - @``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from ..csvcells import FORMULA_STARTS, defuse  # noqa: F401 (shared)
from ..i18n import _

COLUMNS = ("row", "target", "language", "name", "files", "status", "fit", "reason")


def manifest_rows(result) -> list[dict[str, str]]:
    rows: list[tuple[tuple, dict[str, str]]] = []
    for job in result.jobs:
        files = " ".join(str(p.relative_to(result.out_dir)) for p in job.paths.values())
        rows.append(((job.line is None, job.line or 0, job.index), {
            "row": str(job.line) if job.line is not None else _("blank"),
            "target": job.letter.target_id,
            "language": job.letter.lang,
            "name": "" if job.blank else job.supporter.name,
            "files": files,
            "status": job.status,
            "fit": job.fit,
            "reason": job.reason,
        }))
    for line, reason in result.problems:
        rows.append(((False, line, -1), {
            "row": str(line), "target": "", "language": "", "name": "", "files": "",
            "status": "failed", "fit": "", "reason": reason,
        }))
    return [row for _key, row in sorted(rows, key=lambda item: item[0])]


def render_manifest(result) -> bytes:
    """UTF-8 with BOM, so Excel opens accents right."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in manifest_rows(result):
        writer.writerow({k: defuse(v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
