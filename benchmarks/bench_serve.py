"""Benchmark ``appeal serve``: N attendees submit at once, then the organizer prints.

Starts the real server on a free 127.0.0.1 port (a fresh --out folder and ledger per
repeat), lets N attendees (C at a time, each with its own cookies and CSRF token) preview
and queue a letter to both officials, then prints the queue (one PDF + envelopes). Reports
the median over the repeats of: preview latency, queue latency (median and 95th percentile
of each request), and the time to print the queue (2N letters).

    python benchmarks/bench_serve.py --attendees 50 --concurrency 10 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests._web_util import Client, letter_form, running_server  # noqa: E402


def one_run(attendees: int, concurrency: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    os.environ["APPEAL_LEDGER"] = str(work / "ledger.sqlite3")
    previews, queues = [], []
    with running_server(work / "night", country="MX", burst=10**6, per_minute=10**7) as (
            base, config, web):
        def attendee(n: int) -> None:
            c = Client(base)
            c.get("/")
            form = letter_form(f"Asistente {n:03d}", note=f"Nota {n}.")
            t = time.perf_counter()
            assert c.post("/letter", form).status == 200
            previews.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert c.post("/letter", [(k, "queue" if k == "action" else v)
                                      for k, v in form]).status == 200
            queues.append(time.perf_counter() - t)

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(attendee, range(attendees)))
        assert len(web.night.queue()) == attendees
        o = Client(base)
        o.get(f"/organizer?token={config.token}")
        t = time.perf_counter()
        assert o.post("/organizer/print", {"paper": "letter", "extra": "envelopes"}).status == 200
        printing = time.perf_counter() - t

    def p95(xs):
        return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]

    return {"preview median": statistics.median(previews), "preview p95": p95(previews),
            "queue median": statistics.median(queues), "queue p95": p95(queues),
            "print the queue": printing}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attendees", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.attendees, args.concurrency) for _ in range(args.repeats)]
    print(f"{args.attendees} attendees, {args.concurrency} at a time, "
          f"{args.repeats} repeats (median of repeats)")
    for key in runs[0]:
        value = statistics.median(r[key] for r in runs)
        extra = (f"   {2 * args.attendees / value:7.0f} letters/s"
                 if key == "print the queue" else "")
        print(f"  {key:18s} {value * 1000:8.1f} ms{extra}")


if __name__ == "__main__":
    main()
