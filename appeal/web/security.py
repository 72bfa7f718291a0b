"""What keeps the night's page safe on a shared network: CSRF tokens, the organizer's token,
a join code, per-client throttling, a request size limit and strict response headers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

# Letters and digits that cannot be mistaken for each other when read aloud or off a screen.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def join_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Csrf:
    """Double-submit token: the form carries an HMAC of the client's random cookie, so a page
    on another site can neither read nor forge it."""

    COOKIE = "appeal_csrf"

    def __init__(self) -> None:
        self.secret = secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        return bool(cookie) and same(token, self.token(cookie))


class Throttle:
    """A token bucket per client address: ``burst`` requests at once, then ``per_minute``."""

    def __init__(self, burst: int = 20, per_minute: float = 30):
        self.burst, self.rate = burst, per_minute / 60
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def wait(self, client: str) -> int:
        """0 if ``client`` may go on (one token spent), else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            if len(self.buckets) > 10_000:  # forget idle clients
                self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 600}
            tokens, last = self.buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                return 0
            self.buckets[client] = (tokens, now)
            return max(1, int((1 - tokens) / self.rate + 0.999))


DRAIN_LIMIT = 4_000_000  # bytes of a too-large form read and dropped before answering


class Guard:
    """ASGI middleware: security headers on every response, only this computer's names in
    Host, and a request body limit (a request larger than ``max_body`` gets a clear page,
    never a half-read form)."""

    def __init__(self, app, max_body: int, too_large, hosts: set[str] | None = None,
                 wrong_host=None):
        self.app, self.max_body, self.too_large = app, max_body, too_large
        self.hosts, self.wrong_host = hosts, wrong_host

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in HEADERS if h[0] not in names]
            await send(message)

        if self.hosts is not None:
            # A page of another site whose name was pointed at this address (DNS rebinding)
            # arrives with its own name in Host: refuse it.
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
            if host.rsplit(":", 1)[0].strip("[]").lower() not in self.hosts:
                return await self.wrong_host(scope, receive, send_with_headers)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            if length.isdigit() and int(length) <= DRAIN_LIMIT:
                # Read what was sent (and drop it), so the browser sees the answer instead
                # of a connection closed while it was still sending.
                while (await receive()).get("more_body"):
                    pass
            return await self.too_large(scope, receive, send_with_headers)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except TooLarge:
            await self.too_large(scope, receive, send_with_headers)


class TooLarge(Exception):
    pass
