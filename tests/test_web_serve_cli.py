"""``appeal serve`` as a user runs it: the command prints its addresses, serves, and Ctrl-C
stops it cleanly with the queue saved whole; a restart finds the queue again."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

from ._web_util import Client, letter_form


def _start(out, *extra):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "appeal", "--ui-lang", "en", "serve", "ua-100.21", "--port", "0",
         "--out", str(out), "--country", "MX", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Stop with Ctrl-C"):
            break
    text = "".join(lines)
    base = re.search(r"Letter page: (http://127\.0\.0\.1:\d+)/", text).group(1)
    token = re.search(r"organizer\?token=(\S+)", text).group(1)
    return proc, base, token, text


def _stop(proc) -> str:
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=30)
    return rest


def test_serve_prints_links_and_ctrl_c_leaves_the_queue_whole(tmp_path):
    out = tmp_path / "night"
    proc, base, token, text = _start(out)
    try:
        assert "Only this computer can open the page" in text
        c = Client(base, "en")
        c.get("/")
        assert c.post("/letter", letter_form("Ana García", action="queue")).status == 200
        o = Client(base, "en")
        assert o.get(f"/organizer?token={token}").status == 200
    finally:
        rest = _stop(proc)
    assert proc.returncode == 0, rest
    assert "Stopped. 1 letter is still in the queue" in rest
    state = json.loads((out / "night.json").read_text("utf-8"))
    assert [q["draft"]["name"] for q in state["queue"]] == ["Ana García"]
    assert not [p for p in out.iterdir() if p.name.startswith(".appeal-")]

    proc, base, token, _text = _start(out)
    try:
        o = Client(base, "en")
        assert "Ana García" in o.get(f"/organizer?token={token}").text  # kept across restarts
    finally:
        _stop(proc)


def test_serve_lan_prints_join_code_and_qr(tmp_path):
    proc, _base, _token, text = _start(tmp_path / "night", "--lan")
    try:
        assert re.search(r"Join code: [A-HJ-NP-Z2-9]{6}", text)
        assert re.search(r"join with: http://[\d.]+:\d+/\?code=", text)
        assert "█" in text or "▀" in text  # the QR code, drawn in the terminal
    finally:
        _stop(proc)


def test_serve_rejects_a_bad_country(runner, app):
    result = runner.invoke(app, ["serve", "--country", "XX", "--port", "0"])
    assert result.exit_code == 1
    assert "unknown country code 'XX'" in result.output
