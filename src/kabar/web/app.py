"""The FastAPI application: HTML pages, the JSON API and the upload endpoint over one store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from kabar.model import KABAR_VERSION
from kabar.pipeline import Pipeline
from kabar.store import Store
from kabar.web import api, pages, security
from kabar.web.ingest import Ingestor


def create_app(
    db_path: str | Path,
    token: str | None = None,
    max_upload_bytes: int = 10_000_000,
    pipeline: Pipeline | None = None,
    ner: str | None = None,
) -> FastAPI:
    """The app over the store at `db_path`; uploads need `token` (none: read-only), `pipeline` defaults
    lazily (with the entity model `ner`: "fast", "e5" or a folder)."""
    store = Store(db_path)
    ingestor = Ingestor(store.path, pipeline, ner)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ingestor.close()
        store.close()

    # The interactive docs pages load their scripts from a CDN, which the CSP forbids: only /openapi.json is kept.
    app = FastAPI(title="Kabar", version=KABAR_VERSION, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Many outlets' reports of one news story, reconciled, every finding cited.",
                  lifespan=lifespan)
    app.state.store = store
    app.state.token = token or None
    app.state.max_upload_bytes = max_upload_bytes
    app.state.ingestor = ingestor
    app.state.static = security.load_static()
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(security.SecurityHeaders)
    return app
