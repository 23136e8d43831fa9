"""Security headers on every answer of the API and the page."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (no inline script, nothing third-party)
    and no MIME sniffing on every answer; /docs needs inline script for Swagger UI."""

    def __init__(self, app: ASGIApp, img_sources: list[str], loose_paths: Iterable[str] = ("/docs", "/redoc")) -> None:
        self.app = app
        self.img_sources = img_sources  # the app's list: the page may add a tile server to it
        self.loose_paths = frozenset(loose_paths)

    def policy(self, path: str) -> bytes:
        script = "'self' 'unsafe-inline'" if path in self.loose_paths else "'self'"
        return (
            f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            f"img-src {' '.join(self.img_sources)}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'"
        ).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [
            (b"content-security-policy", self.policy(scope["path"])),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in extra}
                message = {**message, "headers": [h for h in message.get("headers", []) if h[0].lower() not in names] + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
