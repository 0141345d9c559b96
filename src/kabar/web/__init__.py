"""The web app and HTTP API over the store (`kabar serve`)."""

from __future__ import annotations

from pathlib import Path


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          ner: str | None = None) -> None:
    """Serve the app with uvicorn until interrupted; without `token` the server is read-only."""
    import uvicorn

    from kabar.web.app import create_app

    uvicorn.run(create_app(db_path, token, ner=ner), host=host, port=port, server_header=False, proxy_headers=False)
