"""Server-rendered HTML pages; Jinja2 autoescapes every value, and no page carries inline script."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader

from kabar.output.html import fmt_range, in_time_order
from kabar.web import render, views
from kabar.web.api import Offset, StoreDep
from kabar.web.security import static_response

router = APIRouter(include_in_schema=False)
PAGE = 50

_env = Environment(
    loader=PackageLoader("kabar.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)
_env.globals.update(cite=render.cite, safe_url=render.safe_url, fmt_range=fmt_range, in_time_order=in_time_order)


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(name).render(**context), status_code=status)


def _missing(what: str) -> HTTPException:
    return HTTPException(404, f"no {what}")


@router.get("/")
def home(store: StoreDep) -> HTMLResponse:
    stories = store.stories()
    return _page("home.html", stories=stories, articles=store.articles(limit=PAGE if not stories else 10),
                 total=store.count())


@router.get("/stories/{story_id}")
def story(story_id: str, store: StoreDep) -> HTMLResponse:
    s = store.story(story_id)
    if s is None:
        raise _missing("story")
    return _page("story.html", view=views.story_view(store, s))


@router.get("/articles")
def articles(store: StoreDep, offset: Offset = 0) -> HTMLResponse:
    return _page("articles.html", articles=store.articles(PAGE, offset), offset=offset, page=PAGE,
                 total=store.count())


@router.get("/articles/{article_id}")
def article(article_id: str, store: StoreDep) -> HTMLResponse:
    a = store.get_article(article_id)
    if a is None:
        raise _missing("article")
    mentioned = list(dict.fromkeys(m.entity for m in a.mentions if m.entity))
    named = store.entities(list(dict.fromkeys([*mentioned, *(q.speaker for q in a.quotes if q.speaker)])))
    return _page("article.html", article=a, body=render.article_body(a, named), stories=store.stories_of(a.id),
                 entities=[e for e in named if e.id in mentioned])


@router.get("/entities")
def entities(store: StoreDep, offset: Offset = 0) -> HTMLResponse:
    return _page("entities.html", entities=store.entities(limit=PAGE, offset=offset), offset=offset, page=PAGE,
                 total=store.count("entities"))


@router.get("/entities/{entity_id}")
def entity(entity_id: str, store: StoreDep) -> HTMLResponse:
    e = store.entity(entity_id)
    if e is None:
        raise _missing("entity")
    return _page("entity.html", view=views.entity_view(store, e))


@router.get("/search")
def search(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    hits = store.search(q, 50) if q else []
    return _page("search.html", q=q, hits=[(h, render.snippet_html(h), render.hit_href(h)) for h in hits])


@router.get("/static/{name:path}")
def static(name: str, request: Request) -> Response:
    return static_response(request.app.state.static, name)
