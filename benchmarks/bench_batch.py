"""Benchmark ``appeal batch``: N generated sign-up rows, one target.

Times, in one run: PDF only, DOCX only, both, ``print-all.pdf`` (the pack files only, with
every letter already made: the resume path), the full pack (both formats + print-all +
envelopes/labels/cover/manifest), and a naive docxtpl baseline (one letter rendered from a
template, saved and reopened per letter, DOCX only). Reports the median of the repeats,
letters per second and peak memory (parent + workers, from ``resource``).

    python benchmarks/bench_batch.py --rows 1000 --repeats 3
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeal.api import load_case  # noqa: E402
from appeal.batch import BatchOptions, run_batch  # noqa: E402

FIRST = ["Ana", "Luis", "María", "José", "Lucía", "Jürgen", "Zoë", "Chloé", "Ngozi", "Wei"]
LAST = ["García", "Hernández", "López", "Müller", "Nguyen", "O'Brien", "Smith", "Łukasz"]
CITIES = [("Oaxaca", "MX"), ("Madrid", "ES"), ("Austin", "US"), ("Lyon", "FR"), ("Ciudad de México", "MX")]


def make_sheet(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["nombre", "ciudad", "país", "nota"])
        for i in range(rows):
            city, country = CITIES[i % len(CITIES)]
            note = "Les pido que actúen ya." if i % 3 == 0 else ""
            w.writerow([f"{FIRST[i % 10]} {LAST[i % 8]} {i}", city, country, note])


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def file_cost_ms(folder: Path, files: int = 300) -> float:
    """Median cost of creating and writing a small file in ``folder``: some file systems (with
    watchers or slow metadata) cost 20x more than others, which dominates a batch's time."""
    probe = Path(tempfile.mkdtemp(prefix="bench-probe-", dir=folder))
    costs = []
    for i in range(files):
        t = time.perf_counter()
        (probe / f"{i}.pdf").write_bytes(b"x" * 30_000)
        costs.append(time.perf_counter() - t)
    shutil.rmtree(probe)
    return statistics.median(costs) * 1000


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        times.append(fn())
    return times


def batch_case(loaded, sheet, formats, jobs, *, keep_letters=False):
    def run() -> float:
        out = Path(tempfile.mkdtemp(prefix="bench-"))
        if keep_letters:  # make the letters first; time only the resumed run
            run_batch(loaded, sheet, out, BatchOptions(formats=formats, jobs=jobs))
        t = time.perf_counter()
        result = run_batch(loaded, sheet, out, BatchOptions(formats=formats, jobs=jobs))
        elapsed = time.perf_counter() - t
        assert result.ok, result.failed_rows
        shutil.rmtree(out)
        return elapsed
    return run


def docxtpl_baseline(loaded, sheet: Path, n: int):
    """The naive way: a .docx template rendered with docxtpl per letter, saved, reopened."""
    import docx
    from docxtpl import DocxTemplate

    from appeal.compose import Options, Supporter, compose

    tpl_dir = Path(tempfile.mkdtemp(prefix="bench-tpl-"))
    template = tpl_dir / "letter.docx"
    d = docx.Document()
    d.add_paragraph("{{ sender }}")
    d.add_paragraph("{{ date_line }}")
    d.add_paragraph("{% for line in recipient %}{{ line }}\n{% endfor %}")
    d.add_paragraph("{{ subject }}")
    d.add_paragraph("{{ salutation }}")
    d.add_paragraph("{% for p in paragraphs %}{{ p }}\n{% endfor %}")
    d.add_paragraph("{{ closing }}")
    d.add_paragraph("{{ signature_name }}")
    d.save(template)
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))[:n]
    target = loaded.case.targets[0]

    def run() -> float:
        out = Path(tempfile.mkdtemp(prefix="bench-tpl-out-"))
        t = time.perf_counter()
        for i, row in enumerate(rows):
            letter = compose(loaded, target, Supporter(row["nombre"], row["ciudad"], row["país"]),
                             options=Options())
            doc = DocxTemplate(template)
            doc.render({**letter.__dict__, "sender": "\n".join(letter.sender)})
            path = out / f"{i:05d}.docx"
            doc.save(path)
            docx.Document(path)  # reopen, as naive scripts do to check or post-process
        elapsed = time.perf_counter() - t
        shutil.rmtree(out)
        return elapsed
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--baseline-rows", type=int, default=200,
                    help="letters for the docxtpl baseline (scaled to --rows)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()),
                    help="where output folders go (default: the system temp folder); the "
                         "cost of creating a file there is printed, since it varies a lot")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(args.workdir)
    # Batch runs count their letters in the action ledger (part of the real cost); keep the
    # benchmark's thousands of letters out of the user's own tally.
    os.environ["APPEAL_LEDGER"] = str(Path(tempfile.mkdtemp(prefix="bench-ledger-")) / "l.sqlite3")
    loaded = load_case("ua-100.21")
    work = Path(tempfile.mkdtemp(prefix="bench-sheet-"))
    sheet = work / "attendees.csv"
    make_sheet(sheet, args.rows)
    # Every run below uses one target: the president.
    lines = sheet.read_text("utf-8-sig").splitlines()
    sheet.write_text("\n".join([lines[0] + ";para"] + [l + ";president" for l in lines[1:]]),
                     "utf-8-sig")
    n = args.rows
    print(f"{n} sign-up rows x 1 target, jobs={args.jobs or 'cores'}, repeats={args.repeats}")
    print(f"output in {args.workdir}: creating a file costs {file_cost_ms(args.workdir):.2f} ms "
          f"(the pack makes {2 * n + 5} files)")
    results = {}
    cases = [
        ("pdf only (+ pack files)", batch_case(loaded, sheet, ("pdf",), args.jobs)),
        ("docx only (+ pack files)", batch_case(loaded, sheet, ("docx",), args.jobs)),
        ("pdf+docx+print-all (full)", batch_case(loaded, sheet, ("pdf", "docx"), args.jobs)),
        ("print-all only (resumed)", batch_case(loaded, sheet, ("pdf", "docx"), args.jobs,
                                                 keep_letters=True)),
    ]
    for label, fn in cases:
        times = timed(fn, args.repeats)
        med = statistics.median(times)
        results[label] = med
        print(f"  {label:28s} median {med:6.2f} s  {n / med:7.0f} letters/s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    batch_peak = peak_mb()  # before the baseline, which runs in this process
    bn = min(args.baseline_rows, n)
    btimes = timed(docxtpl_baseline(loaded, sheet, bn), args.repeats)
    bmed = statistics.median(btimes) * n / bn
    print(f"  {'docxtpl baseline (docx)':28s} median {bmed:6.2f} s  {n / bmed:7.0f} letters/s  "
          f"(measured on {bn} letters, scaled)")
    full = results["pdf+docx+print-all (full)"]
    print(f"ratio baseline/full: {bmed / full:.1f}x   "
          f"baseline/docx-only: {bmed / results['docx only (+ pack files)']:.1f}x")
    print(f"peak memory (largest process): {peak_mb():.0f} MB; of the batch runs alone: "
          f"{batch_peak:.0f} MB")


if __name__ == "__main__":
    main()
