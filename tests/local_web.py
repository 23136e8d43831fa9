"""A small web site on 127.0.0.1 for the reader, fetch and watch tests (no other network).

    with LocalSite() as site:
        site.page("/a.html", "<html>...</html>")             # 200 text/html; charset=utf-8
        site.route("/feed.xml", Reply(body=..., content_type="application/rss+xml"))
        site.route("/big", endless)                            # any callable(handler)
        fetch(site.url("/a.html"))

Every request is logged (`site.requests`: path, headers, time) so tests can check the
User-Agent, conditional headers and the spacing of requests. Routes can be changed while
the server runs (a feed gains an item, breaks, comes back). POSTs (webhooks) are kept in
`site.posts`.
"""

from __future__ import annotations

import email.utils
import hashlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = False  # answer If-None-Match / If-Modified-Since with 304
    last_modified: float = field(default_factory=time.time)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float


Handler = Callable[[BaseHTTPRequestHandler], None]


class LocalSite:
    def __init__(self, robots: str | None = "User-agent: *\nAllow: /\n") -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self.posts: list[tuple[str, bytes]] = []  # (path, body) of accepted POSTs
        self._lock = threading.Lock()
        if robots is not None:
            self.route("/robots.txt", Reply(robots, content_type="text/plain"))
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with site._lock:
                    site.requests.append(Request(self.path, dict(self.headers), time.monotonic()))
                    route = site.routes.get(self.path)
                if route is None:
                    self._send(Reply("not here", status=404, content_type="text/plain"))
                elif isinstance(route, Reply):
                    self._send(route)
                else:
                    try:
                        route(self)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            def do_POST(self) -> None:  # noqa: N802 - webhooks: the body is kept in site.posts
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with site._lock:
                    site.requests.append(Request(self.path, dict(self.headers), time.monotonic()))
                    route = site.routes.get(self.path)
                    if not isinstance(route, Reply) or route.status < 300:
                        site.posts.append((self.path, body))
                self._send(route if isinstance(route, Reply) else Reply("", status=204, content_type=None))

            def _send(self, reply: Reply) -> None:
                data = reply.data()
                etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(reply.last_modified, usegmt=True)
                # RFC 9110 13.1.3: If-None-Match, when sent, decides alone (a feed can change twice in a second)
                match = self.headers.get("If-None-Match")
                unchanged = match == etag if match is not None else self.headers.get("If-Modified-Since") == modified
                if reply.conditional and unchanged:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                if reply.conditional:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", modified)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "LocalSite":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, reply: Reply | Handler) -> None:
        with self._lock:
            self.routes[path] = reply

    def page(self, path: str, html: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
        self.route(path, Reply(html, content_type=content_type))
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]


# --- misbehaving handlers --------------------------------------------------------------------


def endless(declare_length: bool) -> Handler:
    """A page that never ends (a '2 GB page'): with or without a Content-Length saying so."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            request.send_header("Content-Length", str(2 * 1024**3))
        else:
            request.send_header("Connection", "close")
        request.end_headers()
        chunk = b"<p>" + b"filler " * 9000 + b"</p>\n"
        request.wfile.write(b"<html><body>")
        for _ in range(40_000):  # ~2.5 GB if nobody stops reading; the client hangs up first
            request.wfile.write(chunk)
        request.close_connection = True

    return handler


def redirect(to: str, status: int = 302) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Location", to)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handler


def stall(seconds: float) -> Handler:
    """Accept the request, then say nothing for `seconds`."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        request.close_connection = True

    return handler


class SilentServer:
    """A port that accepts connections and never sends a byte (a hung server)."""

    def __enter__(self) -> "SilentServer":
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)  # the kernel completes handshakes; nobody ever reads or answers
        return self

    def __exit__(self, *exc: Any) -> None:
        self.socket.close()

    def url(self, path: str = "/") -> str:
        host, port = self.socket.getsockname()
        return f"http://{host}:{port}{path}"
