"""Run the night's web page: bind, print how to join, serve until Ctrl-C."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Callable

from ..errors import AppealError
from ..i18n import _, ngettext
from .app import ServeConfig, create_app


def lan_address() -> str:
    """This computer's address on the local network (no packet is sent)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.254.254.254", 1))
        return s.getsockname()[0]
    except OSError:
        return socket.gethostbyname(socket.gethostname())
    finally:
        s.close()


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AppealError(
            _("Cannot listen on {host}:{port}: {error}").format(
                host=host, port=port, error=exc.strerror or exc),
            _("Choose another --port (0 picks a free one)."))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def terminal_qr(text: str) -> str:
    import io

    import segno

    buf = io.StringIO()
    segno.make(text, error="m").terminal(out=buf, compact=True, border=2)
    return buf.getvalue()


def serve(config: ServeConfig, port: int, say: Callable[[str], None]) -> int:
    """Serve until interrupted; returns how many letters are still queued."""
    import uvicorn

    from .routes import join_link

    host = "0.0.0.0" if config.lan else "127.0.0.1"
    sock = bind(host, port)
    port = sock.getsockname()[1]
    shown = lan_address() if config.lan else "127.0.0.1"
    config.base_url = f"http://{shown}:{port}"
    app = create_app(config)
    web_night = app.app.state.web.night
    say(ngettext("Letter-writing night: {n} case; the queue is kept in {path}",
                 "Letter-writing night: {n} cases; the queue is kept in {path}",
                 len(config.cases)).format(n=len(config.cases), path=web_night.path))
    say(_("Letter page: {url}").format(url=f"http://127.0.0.1:{port}/"))
    say(_("Organizer page (keep this link to yourself): {url}").format(
        url=f"http://127.0.0.1:{port}/organizer?token={config.token}"))
    if config.lan:
        say(_("Phones on the same network join with: {url}").format(url=join_link(config)))
        say(_("Join code: {code}").format(code=config.code))
        say(terminal_qr(join_link(config)))
    else:
        say(_("Only this computer can open the page; add --lan to let phones on the same "
              "network join."))
    say(_("Stop with Ctrl-C. Queued letters stay in {path} until they are printed or you "
          "clear the night.").format(path=web_night.path))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="off", timeout_graceful_shutdown=10))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn finished the requests in flight, then passed Ctrl-C on: a clean stop
    finally:
        sock.close()
    left = len(web_night.queue())
    web_night.close()
    return left


def default_out() -> Path:
    return Path("appeal-night")
