"""Benchmark the start-up of single commands: the real ``appeal`` console script, run as a
fresh process each time, as a user runs it. Prints medians against issue 11's targets and an
``-X importtime`` top list for ``compose`` (where the time goes).

    python benchmarks/bench_startup.py --repeats 9

Each run gets its own empty ledger and data folder (APPEAL_LEDGER, XDG_DATA_HOME) and a fresh
output folder. Bytecode caching is on for the runs (PYTHONDONTWRITEBYTECODE is removed from
their environment) and one warm-up run of each command comes first: an installed wheel has its
``.pyc`` files compiled by pip, so timing the compilation of appeal's sources would measure a
source checkout, not appeal.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
TARGETS = {"compose": 0.30, "import": 0.40}


def _script() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m appeal``."""
    script = Path(sys.executable).with_name("appeal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "appeal"]


def _env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["APPEAL_LEDGER"] = str(work / "ledger.db")
    env["XDG_DATA_HOME"] = str(work / "data")
    env["LANGUAGE"] = "en"
    return env


def _commands(work: Path, n: int) -> dict[str, list[str]]:
    return {
        "compose": ["compose", "ua-100.21", "--name", "Ana García", "--out",
                    str(work / f"compose-{n}")],
        "import": ["import", str(SEED), "--out", str(work / f"import-{n}"), "--id", f"x{n}"],
        "--help": ["--help"],
    }


def _run(argv: list[str], env: dict[str, str], extra: tuple[str, ...] = ()) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([*extra, *argv], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stderr


def time_commands(repeats: int) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="appeal-startup-"))
    try:
        env = _env(work)
        for name, args in _commands(work, 0).items():  # warm-up: bytecode, OS file cache
            _run([*_script(), *args], env)
        times: dict[str, list[float]] = {name: [] for name in _commands(work, 0)}
        for n in range(1, repeats + 1):  # interleaved, so a burst of load hits all alike
            for name, args in _commands(work, n).items():
                times[name].append(_run([*_script(), *args], env)[0])
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def import_top(count: int = 15) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of the slowest imports of one ``compose`` run."""
    work = Path(tempfile.mkdtemp(prefix="appeal-startup-"))
    try:
        env = _env(work)
        code = "import sys; from appeal.cli import main; sys.argv[0] = 'appeal'; main()"
        argv = [sys.executable, "-X", "importtime", "-c", code, *_commands(work, 0)["compose"]]
        _run(argv, env)  # warm-up
        argv = [sys.executable, "-X", "importtime", "-c", code, *_commands(work, 1)["compose"]]
        _elapsed, stderr = _run(argv, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for line in stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            rows.append((int(found[1]), int(found[2]), found[3][1:] + found[4]))
    total = sum(own for own, _cum, _name in rows)
    rows.sort(key=lambda row: row[1], reverse=True)
    return [(total, total, "(all imports, self times summed)"), *rows[:count]]


def floor(repeats: int) -> dict[str, float]:
    """What no appeal command can beat: the interpreter, and the interpreter plus Typer."""
    env = _env(Path(tempfile.gettempdir()))
    out = {}
    for label, code in (("python -c pass", "pass"), ("python -c 'import typer'", "import typer")):
        out[label] = statistics.median(
            _run([sys.executable, "-c", code], env)[0] for _ in range(repeats))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs per command (median)")
    parser.add_argument("--top", type=int, default=15, help="imports listed for compose")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; {args.repeats} runs each, medians")
    times = time_commands(args.repeats)
    for name, values in times.items():
        median = statistics.median(values)
        target = TARGETS.get(name)
        verdict = (f"target ≤ {target:.2f} s: {'met' if median <= target else 'NOT met'}"
                   if target else "no target")
        print(f"  appeal {name:8} median {median:.3f} s  (min {min(values):.3f}, "
              f"max {max(values):.3f})  {verdict}")
    for label, value in floor(args.repeats).items():
        print(f"  floor: {label:26} median {value:.3f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nslowest imports of one `appeal compose` (-X importtime, ms):")
    print(f"  {'self':>7} {'cumul.':>7}  module")
    for own, cumulative, name in import_top(args.top):
        print(f"  {own / 1000:7.1f} {cumulative / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
