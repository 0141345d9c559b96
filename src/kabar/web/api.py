"""The JSON API under /api: the store's stories, articles and findings, plus uploads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from kabar.model import to_dict
from kabar.store import Hit, Store
from kabar.web import security, views
from kabar.web.ingest import IngestWorkerDied

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]
MAX_FILES = 100


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def _json(data: Any) -> JSONResponse:
    """Plain dicts straight to JSON, skipping FastAPI's slower generic encoder."""
    return JSONResponse(data)


def _story(store: Store, story_id: str):
    story = store.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id}")
    return story


@router.get("/stories", summary="Stories, in analysis order")
def stories(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return _json([to_dict(s) for s in store.stories(limit, offset)])


@router.get("/stories/{story_id}", summary="One story with its slots, timeline, quotes by speaker and entities")
def story(story_id: str, store: StoreDep) -> JSONResponse:
    return _json(views.story_view(store, _story(store, story_id)).to_json())


@router.get("/articles", summary="Stored articles (no text), in ingestion order")
def articles(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return _json([to_dict(a) for a in store.articles(limit, offset)])


@router.get("/articles/{article_id}", summary="One article: clean text, removed lines, spans and findings")
def article(article_id: str, store: StoreDep) -> JSONResponse:
    a = store.get_article(article_id)
    if a is None:
        raise HTTPException(404, f"no article {article_id}")
    return _json({**to_dict(a), "stories": [s.id for s in store.stories_of(a.id)]})


@router.get("/entities", summary="Canonical entities")
def entities(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return _json([to_dict(e) for e in store.entities(limit=limit, offset=offset)])


@router.get("/entities/{entity_id}", summary="One entity with its quotes, claims and articles")
def entity(entity_id: str, store: StoreDep) -> JSONResponse:
    e = store.entity(entity_id)
    if e is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return _json(views.entity_view(store, e).to_json())


def _articles_filter(store: Store, article: str | None, story_id: str | None) -> list[str] | None:
    ids = None if article is None else [article]
    if story_id is not None:
        members = _story(store, story_id).articles
        ids = members if ids is None else [a for a in ids if a in members]
    return ids


@router.get("/claims", summary="Claims, optionally of one article, story or entity (subject or source)")
def claims(
    store: StoreDep,
    article: str | None = None,
    story: str | None = None,
    entity: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> JSONResponse:
    found = store.findings("claims", articles=_articles_filter(store, article, story), entity=entity, limit=limit,
                           offset=offset)
    return _json([to_dict(c) for c in found])


@router.get("/quotes", summary="Quotes, optionally of one article, story or speaker entity")
def quotes(
    store: StoreDep,
    article: str | None = None,
    story: str | None = None,
    speaker: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> JSONResponse:
    found = store.findings("quotes", articles=_articles_filter(store, article, story), entity=speaker, limit=limit,
                           offset=offset)
    return _json([to_dict(q) for q in found])


@router.get("/slots", summary="Claim slots (reconciled values), all or one story's")
def slots(store: StoreDep, story: str | None = None) -> JSONResponse:
    found = store.slots() if story is None else views.story_slots(store, _story(store, story))
    return _json([to_dict(s) for s in found])


@router.get("/timeline", summary="Dated claims and time expressions in date order, all or one story's")
def timeline(store: StoreDep, story: str | None = None) -> JSONResponse:
    ids = None if story is None else _story(store, story).articles
    entries = views.timeline(store.findings("times", articles=ids), store.findings("claims", articles=ids))
    return _json([e.to_json() for e in entries])


@router.get("/search", summary="Full-text search over article titles, bodies and quotes")
def search(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "", limit: Limit = 20) -> JSONResponse:
    return _json([_hit_json(h) for h in store.search(q, limit)])


def _hit_json(hit: Hit) -> dict[str, Any]:
    """A hit with its snippet as plain text plus (text, match) parts: no markup for clients to trust."""
    parts = hit.snippet_parts()
    return {**to_dict(hit), "snippet": "".join(t for t, _ in parts),
            "snippet_parts": [{"text": t, "match": m} for t, m in parts]}


_UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["files"],
                }
            }
        },
    }
}


@router.post(
    "/ingest",
    summary="Upload article files (text, HTML, JSON Lines, WARC); needs `Authorization: Bearer <token>`",
    openapi_extra=_UPLOAD_DOC,
    responses={403: {"description": "no or wrong token, or a read-only server"}, 413: {"description": "too large"}},
)
async def ingest(request: Request) -> JSONResponse:
    settings = request.app.state
    security.require_token(settings.token, request.headers.get("authorization"))
    security.check_length(request.headers.get("content-length"), settings.max_upload_bytes)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the files as multipart/form-data")
    stream = security.limited(request.stream(), settings.max_upload_bytes)
    try:
        form = await MultiPartParser(request.headers, stream, max_files=MAX_FILES, max_fields=MAX_FILES).parse()
    except MultiPartException as exc:
        raise HTTPException(400, exc.message) from exc
    uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile)]
    if not uploads:
        raise HTTPException(400, "no files: send them in the multipart field 'files'")
    files = [(u.filename or "upload", await u.read()) for u in uploads]
    await form.close()
    try:
        report = await run_in_threadpool(settings.ingestor.ingest, files)
    except IngestWorkerDied as exc:
        raise HTTPException(503, str(exc)) from exc
    return _json(to_dict(report))
