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
import resource
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


def _commands(work: Path, n: int, tag: str = "appeal") -> dict[str, list[str]]:
    return {
        "compose": ["compose", "ua-100.21", "--name", "Ana García", "--out",
                    str(work / f"{tag}-compose-{n}")],
        "import": ["import", str(SEED), "--out", str(work / f"{tag}-import-{n}"), "--id", f"x{n}"],
        "--help": ["--help"],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its stderr)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, _children_cpu() - cpu, done.stderr


def _launchers(baseline: Path | None) -> dict[str, list[str]]:
    """How each version is started: this one by its console script, a baseline checkout (the
    code before a change) by importing its ``appeal.cli`` first on the path."""
    out = {"appeal": _script()}
    if baseline is not None:
        code = (f"import sys; sys.path.insert(0, {str(baseline)!r}); sys.argv[0] = 'appeal'; "
                "from appeal.cli import main; main()")
        out["baseline"] = [sys.executable, "-c", code]
    return out


def time_commands(repeats: int, baseline: Path | None = None) -> tuple[dict, dict]:
    """({(version, command): [(wall, CPU)]}, {command: (wall, CPU) of the first run with an
    empty cache folder})."""
    work = Path(tempfile.mkdtemp(prefix="appeal-startup-"))
    try:
        launchers = _launchers(baseline)
        # each version has a cache folder of its own (starting empty: the first run fills it);
        # versions that store a file differently would otherwise rebuild each other's files
        envs = {version: {**_env(work), "APPEAL_CACHE": str(work / f"cache-{version}")}
                for version in launchers}
        first = {}
        for version, launcher in launchers.items():  # warm-up: cache, bytecode, file cache
            env = envs[version]
            for name, args in _commands(work, 0, version).items():
                timed = _run([*launcher, *args], env)[:2]
                if version == "appeal":
                    first[name] = timed
        times: dict = {(v, name): [] for v in launchers for name in _commands(work, 0)}
        for n in range(1, repeats + 1):  # interleaved, so a burst of load hits all alike
            for version, launcher in launchers.items():
                for name, args in _commands(work, n, version).items():
                    times[version, name].append(_run([*launcher, *args], envs[version])[:2])
        kinds = {}
        for path in (work / "cache-appeal").rglob("*.bin"):
            count, size = kinds.get(path.parent.name, (0, 0))
            kinds[path.parent.name] = (count + 1, size + path.stat().st_size)
        first["(cache)"] = kinds
        return times, first
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
        _elapsed, _cpu, stderr = _run(argv, env)
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


FLOORS = (("python -c pass", "pass"), ("python -c 'import typer'", "import typer"),
          ("+ pydantic, reportlab, jinja2, yaml, babel",
           "import typer, pydantic, reportlab.pdfbase.ttfonts, jinja2, yaml, babel.dates; "
           "from appeal.render.platypus import load; load()"))


def floor(repeats: int) -> dict[str, list[tuple[float, float]]]:
    """What no appeal command can beat: the interpreter, plus Typer, plus the libraries a
    letter needs (only imported, platypus as appeal imports it)."""
    env = _env(Path(tempfile.gettempdir()))
    return {label: [_run([sys.executable, "-c", code], env)[:2] for _ in range(repeats)]
            for label, code in FLOORS}


def _medians(runs: list[tuple[float, float]]) -> str:
    walls = [wall for wall, _cpu in runs]
    cpu = statistics.median(c for _wall, c in runs)
    return (f"median {statistics.median(walls):.3f} s wall, {cpu:.3f} s CPU "
            f"(wall min {min(walls):.3f}, max {max(walls):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs per command (median)")
    parser.add_argument("--top", type=int, default=15, help="imports listed for compose")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                        help="also time this source checkout (e.g. a worktree of main), "
                             "interleaved with the runs of this one")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; {args.repeats} runs each, medians")
    times, first = time_commands(args.repeats, args.baseline)
    for (version, name), runs in times.items():
        median = statistics.median(wall for wall, _cpu in runs)
        target = TARGETS.get(name)
        verdict = (f"target ≤ {target:.2f} s: {'met' if median <= target else 'NOT met'}"
                   if target and version == "appeal" else "")
        print(f"  {version:8} {name:8} {_medians(runs)}  {verdict}")
    kinds = first.pop("(cache)")
    print("  first run with an empty cache folder: " + ", ".join(
        f"{name} {wall:.3f} s" for name, (wall, _cpu) in first.items()))
    print("  cache folder of this version after the runs: " + ", ".join(
        f"{kind} {count} file{'s' * (count > 1)} {size / 1e6:.2f} MB"
        for kind, (count, size) in sorted(kinds.items())))
    for label, runs in floor(args.repeats).items():
        print(f"  floor: {label:46} {_medians(runs)}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nslowest imports of one `appeal compose` (-X importtime, ms):")
    print(f"  {'self':>7} {'cumul.':>7}  module")
    for own, cumulative, name in import_top(args.top):
        print(f"  {own / 1000:7.1f} {cumulative / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
