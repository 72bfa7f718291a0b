"""The web application: attendee page, organizer page, their forms and downloads.

Starlette routes, server-rendered Jinja2 templates (autoescaped), no JavaScript needed
except a few lines that refresh the organizer's counts. Library calls (composing, rendering,
the ledger) run in a worker thread one at a time under one lock: the interface language of
messages is process-wide in :mod:`appeal.i18n`, and a phone's request is short.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..cases import LoadedCase
from ..i18n import _load as catalog_for
from .night import Night
from .security import Csrf, Guard, Throttle, TooLarge, join_code, same

HERE = Path(__file__).parent
UI_LANGUAGES = ("es", "en")
MAX_BODY = 64_000  # bytes of one form: the note's 3,000 characters need at most 12 KB
MAX_FIELDS = 40
ENVELOPES = ("dl", "c5", "us10")


@dataclass
class ServeConfig:
    cases: list[LoadedCase]
    out: Path
    country: str | None = None  # the organizer's: attendees' default and the paper size
    lan: bool = False
    base_url: str = "http://127.0.0.1:8000"  # what attendees open (the join link's base)
    token: str = ""  # the organizer's
    code: str = ""  # the join code (--lan only)
    record: bool = True  # count letters in the action ledger
    burst: int = 20  # form submissions a client may send at once...
    per_minute: float = 30  # ...and then per minute


def _lang_name(code: str, ui: str) -> str:
    from babel import Locale

    try:
        return Locale(ui).languages.get(code.split("-")[0], code)
    except Exception:  # noqa: BLE001 - a name is cosmetic
        return code


class Web:
    def __init__(self, config: ServeConfig):
        import secrets

        from jinja2 import Environment, FileSystemLoader, select_autoescape

        self.config = config
        self.cases = {c.id: c for c in config.cases}
        self.night = Night(config.out)
        self.csrf = Csrf()
        self.throttle = Throttle(config.burst, config.per_minute)
        self.join_throttle = Throttle(5, 5)
        self.lock = threading.RLock()
        config.token = config.token or secrets.token_urlsafe(18)
        config.code = config.code or (join_code() if config.lan else "")
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))

    # -- helpers --------------------------------------------------------------------------
    def ui_language(self, request) -> str:
        from babel import negotiate_locale

        chosen = request.cookies.get("appeal_lang")
        if chosen in UI_LANGUAGES:
            return chosen
        header = request.headers.get("accept-language", "")
        wanted = [part.split(";")[0].strip().replace("-", "_").split("_")[0].lower()
                  for part in header.split(",") if part.strip()]
        return negotiate_locale(wanted, list(UI_LANGUAGES)) or "en"

    def page(self, request, name: str, status: int = 200, cookie: str | None = None, **ctx):
        from starlette.responses import HTMLResponse

        csrf_cookie = request.cookies.get(Csrf.COOKIE) or cookie or Csrf.new_cookie()
        ui = ctx.pop("ui", None) or self.ui_language(request)
        catalog = catalog_for(ui)  # per request: pages render without the library lock
        html = self.env.get_template(name).render(
            _=catalog.gettext, ngettext=catalog.ngettext, ui=ui,
            csrf=self.csrf.token(csrf_cookie), config=self.config,
            lang_name=lambda code: _lang_name(code, ui), **ctx)
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get(Csrf.COOKIE) != csrf_cookie:
            response.set_cookie(Csrf.COOKIE, csrf_cookie, httponly=True, samesite="strict")
        return response

    @contextmanager
    def texts(self, ui: str):
        """``with web.texts(ui) as _:`` messages in the page's language, without the lock."""
        yield catalog_for(ui).gettext

    def message(self, request, title: str, text: str, status: int, back: str = "/"):
        return self.page(request, "message.html", status=status, title=title, text=text,
                         back=back)

    async def form(self, request):
        """The posted form, or a response explaining why it cannot be used."""
        from starlette.exceptions import HTTPException
        from starlette.formparsers import MultiPartException

        client = request.client.host if request.client else "?"
        wait = self.throttle.wait(client)
        if wait:
            ui = self.ui_language(request)
            with self.texts(ui) as _:
                text = _("Too many submissions from your device in a short time. Please wait "
                         "{seconds} seconds and try again.").format(seconds=wait)
                title = _("Please wait a moment")
            response = self.message(request, title, text, 429)
            response.headers["Retry-After"] = str(wait)
            return None, response
        try:
            form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)
        except TooLarge:
            return None, await self.too_large_response(request)
        except (MultiPartException, HTTPException, ValueError, KeyError):
            with self.texts(self.ui_language(request)) as _:
                title, text = _("The form could not be read"), _("Reload the page and try again.")
            return None, self.message(request, title, text, 400)
        if not self.csrf.valid(request.cookies.get(Csrf.COOKIE), form.get("csrf")):
            with self.texts(self.ui_language(request)) as _:
                title = _("The form has expired")
                text = _("Reload the page and send it again (this protects you from other "
                         "sites posting in your name).")
            return None, self.message(request, title, text, 403)
        return form, None

    async def too_large_response(self, request):
        with self.texts(self.ui_language(request)) as _:
            title = _("The form is too large")
            text = _("A form can carry at most {kb} KB. Your own paragraph can have up to "
                     "3,000 characters: shorten it and try again.").format(kb=MAX_BODY // 1000)
        return self.message(request, title, text, 413)

    def joined(self, request) -> bool:
        if not self.config.lan:
            return True
        return same(request.cookies.get("appeal_join"), self.csrf.token("join:" + self.config.code))

    def organizer(self, request) -> bool:
        return same(request.cookies.get("appeal_org"), self.config.token)

    def organizer_token_ok(self, token: str) -> bool:
        return same(token, self.config.token)


def create_app(config: ServeConfig):
    """The ASGI application for ``config`` (the night's state is opened here)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from . import routes

    web = Web(config)

    async def too_large(scope, receive, send):
        from starlette.requests import Request

        response = await web.too_large_response(Request(scope))
        await response(scope, receive, send)

    app = Starlette(routes=[
        Route("/", routes.attendee_page(web)),
        Route("/letter", routes.letter_action(web), methods=["POST"]),
        Route("/join", routes.join(web), methods=["GET", "POST"]),
        Route("/lang/{lang}", routes.switch_language(web)),
        Route("/organizer", routes.organizer_page(web)),
        Route("/organizer/counts", routes.counts(web)),
        Route("/organizer/qr.svg", routes.qr(web)),
        Route("/organizer/manifest.csv", routes.manifest(web)),
        Route("/organizer/files/{name}", routes.organizer_file(web)),
        Route("/organizer/{action}", routes.organizer_action(web), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ], exception_handlers={404: routes.not_found(web), 405: routes.not_found(web),
                           500: routes.server_error(web)})
    app.state.web = web
    async def wrong_host(scope, receive, send):
        from starlette.requests import Request

        request = Request(scope)
        with web.texts(web.ui_language(request)) as _:
            title = _("Unknown address")
            text = _("Open the address that appeal serve printed (or the join link).")
        await web.message(request, title, text, 421)(scope, receive, send)

    import socket
    from urllib.parse import urlsplit

    name = socket.gethostname().lower()
    hosts = {"127.0.0.1", "localhost", name, name + ".local",
             urlsplit(config.base_url).hostname or ""}
    return Guard(app, MAX_BODY, too_large, hosts, wrong_host)


def attachment(data: bytes, filename: str, media_type: str):
    from starlette.responses import Response

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": disposition})

