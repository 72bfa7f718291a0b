"""Benchmark ``appeal import``: a cold import (a fresh process, as `appeal import` runs) and
warm imports (the same process again) of a 2-page UA, as text, DOCX and PDF. Reports medians.

    python benchmarks/bench_import.py --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"

COLD = """
import sys, tempfile, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from appeal.importer import import_document
import_document({path!r}, out_dir=tempfile.mkdtemp(), case_id="bench")
print(time.perf_counter() - t)
"""


def _pdf(text: str, path: Path) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    style = getSampleStyleSheet()["Normal"]
    SimpleDocTemplate(str(path)).build([Paragraph(escape(l), style) if l.strip() else Spacer(1, 8)
                                        for l in text.split("\n")])
    return path


def _docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    d.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from appeal.importer import import_document

    work = Path(tempfile.mkdtemp())
    text = SEED.read_text(encoding="utf-8")
    files = {"txt": SEED, "docx": _docx(text, work / "ua.docx"), "pdf": _pdf(text, work / "ua.pdf")}
    for kind, path in files.items():
        cold = [float(subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), path=str(path))],
                                     capture_output=True, text=True, check=True).stdout)
                for _ in range(args.repeats)]
        warm = []
        for n in range(args.repeats):
            t = time.perf_counter()
            import_document(path, out_dir=work / f"{kind}-{n}", case_id="bench")
            warm.append(time.perf_counter() - t)
        print(f"{kind:5} cold (library load + import) median {statistics.median(cold):.3f} s; "
              f"warm median {statistics.median(warm):.3f} s")


if __name__ == "__main__":
    main()
