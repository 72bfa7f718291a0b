"""Benchmark ``appeal batch`` against its targets (issue 11), side by side in one run.

    python benchmarks/bench_batch.py                     # 500 rows x 2 targets, 3 repeats
    python benchmarks/bench_batch.py --big 10000         # also one 10,000-row run (20,000 letters)

Prints, with the medians of the repeats:
- the cost of creating a file in the output folder (it varies a lot between file systems);
- the full pack (PDF + DOCX + print-all + envelopes + labels + cover + manifest) for
  ``--rows`` rows x 2 targets, each repeat in a fresh folder (folders are deleted only at the
  end: writing right after deleting a large folder is slower on some file systems);
- docxtpl rendering the same letters to DOCX only (measured on ``--baseline-letters`` of
  them, scaled), and the ratio (target: the full pack >= 12x faster);
- each letter's PDF written by appeal's own page writer vs reportlab's ``canvas.save()``
  (the writer is kept only if it earns its place);
- with ``--big``: CPU per letter (target <= 2.5 ms), wall vs CPU / cores, and the peak RSS of
  all processes together, sampled from /proc (target <= 300 MB).
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
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeal.api import load_case  # noqa: E402
from appeal.batch import BatchOptions, run_batch  # noqa: E402

FIRST = ["Ana", "Luis", "María", "José", "Lucía", "Jürgen", "Zoë", "Chloé", "Ngozi", "Wei"]
LAST = ["García", "Hernández", "López", "Müller", "Nguyen", "O'Brien", "Smith", "Łukasz"]
CITIES = [("Oaxaca", "MX"), ("Madrid", "ES"), ("Austin", "US"), ("Lyon", "FR"),
          ("Ciudad de México", "MX")]
TARGETS = {"full_vs_docxtpl": 12.0, "cpu_ms_per_letter": 2.5, "peak_mb": 300.0}
TO_DELETE: list[Path] = []


def make_sheet(path: Path, rows: int) -> None:
    """Rows with both targets of the case (2 letters each), a note on every third."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["nombre", "ciudad", "país", "nota", "para"])
        for i in range(rows):
            city, country = CITIES[i % len(CITIES)]
            note = "Les pido que actúen ya." if i % 3 == 0 else ""
            w.writerow([f"{FIRST[i % 10]} {LAST[i % 8]} {i}", city, country, note,
                        "president, ambassador"])


def fresh(prefix: str) -> Path:
    out = Path(tempfile.mkdtemp(prefix=prefix))
    TO_DELETE.append(out)
    return out


def file_cost_ms(files: int = 300) -> float:
    """Median cost of creating and writing a 30 KB file in a fresh folder."""
    probe = fresh("bench-probe-")
    costs = []
    for i in range(files):
        t = time.perf_counter()
        (probe / f"{i}.pdf").write_bytes(b"x" * 30_000)
        costs.append(time.perf_counter() - t)
    return statistics.median(costs) * 1000


def full_pack(loaded, sheet: Path, jobs) -> tuple[float, int]:
    out = fresh("bench-out-") / "pack"
    t = time.perf_counter()
    result = run_batch(loaded, sheet, out, BatchOptions(formats=("pdf", "docx"), jobs=jobs))
    elapsed = time.perf_counter() - t
    assert result.ok and "print_all" in result.files, result.failed_rows
    return elapsed, result.made


def letters_of(loaded, sheet: Path, n: int):
    from appeal.batch.plan import RowSettings, compose_rows
    from appeal.batch.sheet import read_sheet
    import datetime as dt

    rows = read_sheet(sheet).rows
    out = []
    for _line, error, _supporter, _lang, letters in compose_rows(
            loaded, rows, RowSettings(None, (), None, dt.date.today(), None)):
        assert error is None, error
        out += letters
        if len(out) >= n:
            break
    return out[:n]


def docxtpl_seconds(letters) -> float:
    """The naive way: a .docx template rendered with docxtpl per letter, saved."""
    from dataclasses import fields

    import docx
    from docxtpl import DocxTemplate

    template = fresh("bench-tpl-") / "letter.docx"
    d = docx.Document()
    for field in ("{{ sender }}", "{{ date_line }}",
                  "{% for line in recipient %}{{ line }}\n{% endfor %}", "{{ subject }}",
                  "{{ salutation }}", "{% for p in paragraphs %}{{ p }}\n{% endfor %}",
                  "{{ closing }}", "{{ signature_name }}"):
        d.add_paragraph(field)
    d.save(template)
    out = fresh("bench-tpl-out-")
    t = time.perf_counter()
    for i, letter in enumerate(letters):
        doc = DocxTemplate(template)
        doc.render({**{f.name: getattr(letter, f.name) for f in fields(letter)},
                    "sender": "\n".join(letter.sender)})
        doc.save(out / f"{i:05d}.docx")
    return time.perf_counter() - t


def pdf_writer_seconds(letters) -> tuple[float, float]:
    """Each letter's PDF: appeal's page writer vs reportlab's own document model."""
    from appeal.render.pdf import layout_letter, render_captured, render_laid_out

    laid = [layout_letter(letter) for letter in letters]
    t = time.perf_counter()
    for one in laid:
        render_captured(one)
    own = time.perf_counter() - t
    t = time.perf_counter()
    for one in laid:
        render_laid_out(one)
    return own, time.perf_counter() - t


class RssSampler:
    """Peak of the summed RSS of this process and all its descendants (Linux /proc)."""

    def __init__(self, every: float = 0.05):
        self.every, self.peak, self.peak_pss, self.running = every, 0, 0, True
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    @staticmethod
    def _pss(pid: int) -> int:
        """Proportional set size: pages shared after fork counted once over all processes."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        kids = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    kids += [int(k) for k in fh.read().split()]
        except OSError:
            pass
        return kids

    def run(self) -> None:
        while self.running:
            pids, todo = [], [os.getpid()]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo += self._children(pid)
            self.peak = max(self.peak, sum(self._rss(p) for p in pids))
            self.peak_pss = max(self.peak_pss, sum(self._pss(p) for p in pids))
            time.sleep(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def cpu_seconds() -> float:
    user, system = cpu_split()
    return user + system


def cpu_split() -> tuple[float, float]:
    """CPU seconds of this process and its finished children: (user, system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + kids.ru_utime, own.ru_stime + kids.ru_stime


def big_run(loaded, rows: int, jobs) -> None:
    """One run of ``rows`` rows in a child process of its own (clean CPU and memory count)."""
    import subprocess

    code = (
        "import sys, time, resource, os; sys.path.insert(0, %r)\n"
        "from benchmarks.bench_batch import *\n"
        "from pathlib import Path\n"
        "loaded = load_case('ua-100.21'); sheet = Path(%r)\n"
        "out = Path(%r)\n"
        "with RssSampler() as rss:\n"
        "    u, s = cpu_split(); t = time.perf_counter()\n"
        "    r = run_batch(loaded, sheet, out, BatchOptions(formats=('pdf', 'docx'), jobs=%r))\n"
        "    wall = time.perf_counter() - t; u2, s2 = cpu_split()\n"
        "print(r.made, wall, u2 - u, s2 - s, rss.peak / 2**20, rss.peak_pss / 2**20)\n"
    )
    sheet = fresh("bench-big-") / "attendees.csv"
    make_sheet(sheet, rows)
    out = fresh("bench-big-out-") / "pack"
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", code % (root, str(sheet), str(out), jobs)],
                          capture_output=True, text=True, env=os.environ)
    if done.returncode:
        print(done.stderr)
        return
    made, wall, user, system, peak, pss = done.stdout.split()[-6:]
    made, wall, user, system = int(made), float(wall), float(user), float(system)
    peak, pss = float(peak), float(pss)
    cpu = user + system
    cores = jobs or os.cpu_count() or 1
    print(f"{rows} rows ({made} letters), full pack, one run:")
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s = {cpu / made * 1000:.2f} ms/letter "
          f"(target <= {TARGETS['cpu_ms_per_letter']}); CPU / {cores} cores = "
          f"{cpu / cores:.1f} s (wall / that: {wall / (cpu / cores):.2f})")
    # The system's share is mostly the file system creating the letters' files (two per
    # letter), which differs a lot between machines: printed with the cost measured here.
    print(f"  of which user {user / made * 1000:.2f} ms/letter, system "
          f"{system / made * 1000:.2f} ms/letter (creating a file here: "
          f"{file_cost_ms(100):.2f} ms after the run)")
    print(f"  peak RSS of all processes together: {peak:.0f} MB "
          f"(target <= {TARGETS['peak_mb']:.0f} MB; RSS counts pages the forked workers share "
          f"with the parent once per process; PSS, counting them once: {pss:.0f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=500, help="rows, 2 letters each")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--baseline-letters", type=int, default=200,
                    help="letters docxtpl renders (its time is scaled to the full run)")
    ap.add_argument("--big", type=int, default=0, help="also one run of this many rows")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()),
                    help="where output folders go (default: the system temp folder)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(args.workdir)
    # Batch runs count their letters in the action ledger (part of the real cost); keep the
    # benchmark's letters out of the user's own tally.
    os.environ["APPEAL_LEDGER"] = str(fresh("bench-ledger-") / "l.sqlite3")
    try:
        loaded = load_case("ua-100.21")
        sheet = fresh("bench-sheet-") / "attendees.csv"
        make_sheet(sheet, args.rows)
        print(f"{args.rows} rows x 2 targets, jobs={args.jobs or os.cpu_count()}, "
              f"repeats={args.repeats}; load average {os.getloadavg()[0]:.1f}")
        print(f"creating a file in {args.workdir} costs {file_cost_ms():.2f} ms "
              f"(a full pack of {2 * args.rows} letters makes {4 * args.rows + 5} files)")
        full_pack(loaded, sheet, args.jobs)  # warm the OS caches; not counted
        fulls, made = [], 0
        for _ in range(args.repeats):
            seconds, made = full_pack(loaded, sheet, args.jobs)
            fulls.append(seconds)
        full = statistics.median(fulls)
        letters = letters_of(loaded, sheet, min(args.baseline_letters, made))
        scale = made / len(letters)
        base = statistics.median(docxtpl_seconds(letters) for _ in range(args.repeats)) * scale
        own, rl = zip(*(pdf_writer_seconds(letters) for _ in range(args.repeats)), strict=True)
        own, rl = statistics.median(own), statistics.median(rl)
        print(f"  full pack (pdf+docx+print-all+envelopes+labels): median {full:6.2f} s "
              f"({made / full:5.0f} letters/s; runs {', '.join(f'{t:.2f}' for t in fulls)})")
        print(f"  docxtpl, docx only, same letters: median {base:6.2f} s (measured on "
              f"{len(letters)}, scaled x{scale:.0f})")
        print(f"  ratio docxtpl / full pack: {base / full:.1f}x "
              f"(target >= {TARGETS['full_vs_docxtpl']:.0f}x)")
        print(f"  each letter's PDF, {len(letters)} letters: own page writer {own:.2f} s, "
              f"reportlab canvas.save() {rl:.2f} s ({rl / own:.1f}x)")
        if args.big:
            big_run(loaded, args.big, args.jobs)
    finally:
        for folder in TO_DELETE:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
