"""The ASGI application of ``appeal serve``: the pages of :mod:`appeal.web.routes` behind the
host and body-size guard (apart from :mod:`appeal.web.app`, which the routes use)."""

from __future__ import annotations

from . import routes
from .app import HERE, MAX_BODY, ServeConfig, Web
from .security import Guard


def create_app(config: ServeConfig):
    """The ASGI application for ``config`` (the night's state is opened here)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

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
