"""The web app's defences: response headers, the static whitelist, bearer auth, upload limits."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from importlib import resources

from fastapi import HTTPException, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware: every response, errors and 404s included, carries `HEADERS`."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# The only files /static serves: a fixed name -> (package, resource, media type) map, read once; no request
# path ever reaches the disk. cite.js is the report's own script, so both highlight citations alike.
STATIC = {
    "cite.js": ("kabar.output", "assets/cite.js", "text/javascript; charset=utf-8"),
    "kabar.css": ("kabar.web", "static/kabar.css", "text/css; charset=utf-8"),
    "favicon.svg": ("kabar.web", "static/favicon.svg", "image/svg+xml"),
}


def load_static() -> dict[str, bytes]:
    return {name: resources.files(package).joinpath(path).read_bytes() for name, (package, path, _) in STATIC.items()}


def static_response(files: dict[str, bytes], name: str) -> Response:
    if name not in files:
        raise HTTPException(404)
    return Response(files[name], media_type=STATIC[name][2], headers={"Cache-Control": "public, max-age=3600"})


def require_token(configured: str | None, authorization: str | None) -> None:
    """Writes need `Authorization: Bearer <token>`; without a configured token the app is read-only."""
    if configured is None:
        raise HTTPException(403, "read-only: the server was started without a token")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), configured.encode()):
        raise HTTPException(403, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


def check_length(content_length: str | None, limit: int) -> None:
    """Refuse a declared oversize body before reading any of it."""
    if content_length is not None and (not content_length.isdigit() or int(content_length) > limit):
        raise HTTPException(413, f"upload larger than {limit} bytes")


async def limited(stream: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    """Pass a body through, failing with 413 once it exceeds `limit` (for bodies without a length)."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise HTTPException(413, f"upload larger than {limit} bytes")
        yield chunk
