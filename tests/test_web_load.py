"""50 attendees submit at once (10 at a time, all on 127.0.0.1): no letter is lost or
duplicated, the print file holds every one, and the tallies equal what was queued."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from ._web_util import Client, letter_form, pdf_text, running_server

ATTENDEES = 50


def test_fifty_attendees_at_once_lose_and_duplicate_nothing(tmp_path):
    from appeal.ledger import Ledger

    # One address for all 50, so the per-client throttle is opened wide for this test.
    with running_server(tmp_path / "night", country="MX", burst=1000, per_minute=6000) as (
            base, config, web):
        def attendee(n: int) -> int:
            c = Client(base)
            c.get("/")
            reply = c.post("/letter", letter_form(f"Asistente {n:02d}", action="queue",
                                                  note=f"Nota número {n:02d}."))
            return reply.status

        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(attendee, range(ATTENDEES)))
        assert statuses == [200] * ATTENDEES

        names = [q.draft.name for q in web.night.queue()]
        assert sorted(names) == [f"Asistente {n:02d}" for n in range(ATTENDEES)]
        on_disk = json.loads((config.out / "night.json").read_text("utf-8"))["queue"]
        assert sorted(q["draft"]["name"] for q in on_disk) == sorted(names)

        o = Client(base)
        o.get(f"/organizer?token={config.token}")
        done = o.post("/organizer/print", {"paper": "letter", "extra": "envelopes"})
        assert done.status == 200
        printed = sorted((config.out).glob("print-*.pdf"))
        assert len(printed) == 1
        text = pdf_text(printed[0].read_bytes())
        for n in range(ATTENDEES):
            assert text.count(f"Nota número {n:02d}.") == 2  # one letter per official

    assert sorted(web.night.tally()) == [("ua-100.21", "ambassador", "letter", ATTENDEES),
                                         ("ua-100.21", "president", "letter", ATTENDEES)]
    with Ledger() as ledger:
        assert {(t.target_id, t.count) for t in ledger.totals("ua-100.21")} == {
            ("ambassador", ATTENDEES), ("president", ATTENDEES)}
