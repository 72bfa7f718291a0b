"""Start the real ``appeal serve`` application on a free 127.0.0.1 port, and a small cookie-
keeping HTTP client that posts forms the way a browser does (with the page's CSRF token)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@contextlib.contextmanager
def running_server(out: Path, cases=None, **options):
    import uvicorn

    from appeal.api import load_case
    from appeal.web.app import ServeConfig, create_app
    from appeal.web.server import bind

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = ServeConfig(cases=cases or [load_case("ua-100.21")], out=out,
                         base_url=f"http://127.0.0.1:{port}", **options)
    app = create_app(config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", config, app.app.state.web
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        app.app.state.web.night.close()


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Client:
    def __init__(self, base: str, accept_language: str = "es-MX,es;q=0.9,en;q=0.5"):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.lang = accept_language
        self.csrf = ""

    def _open(self, request) -> Reply:
        request.add_header("Accept-Language", self.lang)
        try:
            with self.opener.open(request, timeout=60) as r:
                reply = Reply(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as e:
            reply = Reply(e.code, dict(e.headers), e.read())
        found = re.search(rb'name="csrf" value="([0-9a-f]+)"', reply.body)
        if found:
            self.csrf = found.group(1).decode()
        return reply

    def get(self, path: str) -> Reply:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields, csrf: bool = True, raw: bytes | None = None) -> Reply:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            items.append(("csrf", self.csrf))
        data = raw if raw is not None else urllib.parse.urlencode(items).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request)


def letter_form(name: str, **extra) -> list[tuple[str, str]]:
    fields = {"case": "ua-100.21", "name": name, "city": "Oaxaca", "country": "MX",
              "note": "", "lang": "es", "action": "preview"}
    fields.update(extra)
    targets = fields.pop("targets", ["president", "ambassador"])
    return list(fields.items()) + [("target", t) for t in targets]


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
