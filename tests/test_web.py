"""The web app through a real uvicorn server on loopback: pages, JSON API, uploads."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import httpx
import pytest
import uvicorn

from kabar.model import Article, BriefSentence, Claim, Corpus, Sentence, Story, TimeExpr
from kabar.output.html import article_layers
from kabar.pipeline import Pipeline
from kabar.store import Store
from kabar.web.app import create_app
from kabar.web.views import timeline
from test_store_sample import sample_corpus

TOKEN = "s3cret-token"


@contextmanager
def running(app) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


class SplitSentences:
    """A stand-in article stage: sentences at '. '."""

    name = "fake-sentences"

    def __call__(self, article):
        start = 0
        for part in article.text.split(". "):
            article.sentences.append(Sentence(start, start + len(part)))
            start += len(part) + 2
        return article


class OneStory:
    """A stand-in corpus stage: every article in one story, its brief the first sentence of each."""

    name = "fake-story"

    def __call__(self, corpus: Corpus) -> Corpus:
        brief = [BriefSentence(a.text[s.start : s.end], a.cite(s.start, s.end)) for a in corpus.articles
                 for s in a.sentences[:1]]
        corpus.stories = [Story("st1", "Semua berita", [a.id for a in corpus.articles], brief)]
        return corpus


class DiesOnPoison:
    """A stand-in article stage that kills its process on a marked article, as an out-of-memory kill would."""

    name = "dies-on-poison"

    def __call__(self, article):
        if "RACUN" in article.text:
            os._exit(9)
        return article


def fake_pipeline() -> Pipeline:
    return Pipeline([SplitSentences()], [OneStory()])


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return sample_corpus()


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "k.sqlite"
    with Store(db) as store:
        store.save_analysis(corpus)
    with running(create_app(db, token=TOKEN, pipeline=fake_pipeline())) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


def test_api_lists(client: httpx.Client, corpus: Corpus) -> None:
    assert [s["id"] for s in client.get("/api/stories").json()] == ["st1", "st2"]
    rows = client.get("/api/articles", params={"limit": 2}).json()
    assert [r["id"] for r in rows] == [a.id for a in corpus.articles[:2]]
    assert [e["name"] for e in client.get("/api/entities").json()] == [e.name for e in corpus.entities]
    assert len(client.get("/api/claims").json()) == 3
    assert len(client.get("/api/claims", params={"entity": "e3"}).json()) == 3
    assert len(client.get("/api/quotes", params={"article": corpus.articles[0].id}).json()) == 1
    assert len(client.get("/api/quotes", params={"speaker": "e1", "story": "st1"}).json()) == 3
    assert [s["id"] for s in client.get("/api/slots", params={"story": "st1"}).json()] == ["s1"]
    assert [s["id"] for s in client.get("/api/slots").json()] == ["s1", "s2"]
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422


def test_api_story_and_article(client: httpx.Client, corpus: Corpus) -> None:
    story = client.get("/api/stories/st1").json()
    assert story["story"]["title"] == corpus.stories[0].title
    assert [s["id"] for s in story["slots"]] == ["s1"]
    assert [e["date"] for e in story["timeline"]] == ["2024-10-28", "2024-10-29", "2024-10-30"]
    assert story["quotes_by_speaker"][0]["name"] == corpus.entities[0].name
    a0 = corpus.articles[0]
    got = client.get(f"/api/articles/{a0.id}").json()
    assert got["text"] == a0.text and got["stories"] == ["st1"] and got["quotes"][0]["cite"]["start"] >= 0
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/stories/nope").status_code == 404
    entity = client.get("/api/entities/e1").json()
    assert len(entity["quotes"]) == 3 and {a["id"] for a in entity["articles"]} == {a0.id, corpus.articles[1].id}


def test_api_timeline_and_search(client: httpx.Client, corpus: Corpus) -> None:
    entries = client.get("/api/timeline").json()
    assert [e["kind"] for e in entries] == ["claim"] * 3
    for e in entries:
        text = corpus.article(e["cite"]["article"]).text
        assert text[e["cite"]["start"] : e["cite"]["end"]] == e["cite"]["text"]
    hits = client.get("/api/search", params={"q": "membantu"}).json()
    assert {h["kind"] for h in hits} == {"article", "quote"}
    assert any(p["match"] and p["text"] == "membantu" for p in hits[0]["snippet_parts"])
    assert client.get("/api/search", params={"q": 'NEAR("'}).json() == []


def test_openapi_without_cdn_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/ingest" in spec["paths"] and "/api/search" in spec["paths"]
    assert "multipart/form-data" in spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_pages_render(client: httpx.Client, corpus: Corpus) -> None:
    home = client.get("/")
    assert home.status_code == 200 and 'href="/stories/st1"' in home.text
    story = client.get("/stories/st1").text
    for marker in ('class="brief"', 'table class="disagreements"', 'class="timeline"', 'class="quotes"'):
        assert marker in story
    b = corpus.stories[0].brief[0].cite
    assert (f'<a class="cite" href="/articles/{b.article}#c-{b.article}-{b.start}-{b.end}" data-article="{b.article}" '
            f'data-start="{b.start}" data-end="{b.end}"') in story  # what cite.js reads on load and on click
    assert story.count('<tr class="variant status-conflicting"') == 3
    values = re.findall(r'<td class="value">(.*?)</td>', story)  # the report's number format: Indonesian grouping
    assert sorted(values) == ["&gt;= 10.000", "11.000", "12.000"]
    a0 = corpus.articles[0]
    page = client.get(f"/articles/{a0.id}").text
    assert '<details class="removed">' in page and "KOMENTAR" in page
    assert f'<article id="article-text" class="text article-text" data-article="{a0.id}">' in page
    assert '<span class="quote quote-direct"' in page and '<span class="num"' in page and 'class="seg' not in page
    n = a0.quantities[0].cite
    assert f'href="/articles/{a0.id}#c-{a0.id}-{n.start}-{n.end}" data-article="{a0.id}"' in page
    assert '<li class="quantity">' in page and "</a> = 12.000 (troops)" in page
    assert 'href="https://a.example/1"' in page
    shown = client.get(f"/articles/{corpus.articles[1].id}").text
    assert 'href="javascript:' not in shown and '<dd class="url">javascript:alert(1)</dd>' in shown  # text, not link
    assert corpus.entities[0].name in client.get("/entities/e1").text
    assert client.get("/entities").status_code == 200 and client.get("/articles").status_code == 200
    search = client.get("/search", params={"q": "tentara"}).text
    assert "<mark>tentara</mark>" in search
    q = corpus.articles[0].quotes[0].cite
    found = client.get("/search", params={"q": "membantu"}).text
    assert f'href="/articles/{q.article}#c-{q.article}-{q.start}-{q.end}">Quote in' in found
    assert client.get("/articles/nope").status_code == 404


def article_body(page: str) -> str:
    """The inner HTML of the article page's text container, the element cite.js reads offsets in."""
    return re.search(r'<article id="article-text" class="text article-text"[^>]*>(.*?)</article>', page, re.S).group(1)


class Segments(HTMLParser):
    """The article container's flat segments as (start offset, text, attributes); fails on nested tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[tuple[int, str, dict[str, str]]] = []
        self.pos = 0
        self.attrs: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag == "span" and self.attrs is None, f"unexpected <{tag}> in the article text"
        self.attrs = {k: v or "" for k, v in attrs}

    def handle_endtag(self, tag: str) -> None:
        self.attrs = None

    def handle_data(self, data: str) -> None:
        self.segments.append((self.pos, data, self.attrs or {}))
        self.pos += len(data)


def test_article_text_is_the_clean_text_with_layers(client: httpx.Client, corpus: Corpus) -> None:
    names = {e.id: e.name for e in corpus.entities}
    for a in corpus.articles:
        page = client.get(f"/articles/{a.id}").text
        parser = Segments()
        parser.feed(article_body(page))
        parser.close()
        assert "".join(t for _, t, _ in parser.segments) == a.text  # cite.js counts offsets in this text
        layers = article_layers(a, names)
        assert {la.css for la in layers} >= {"ent ent-PER", "ent ent-ORG", "quote quote-direct", "num", "time"}
        for layer in layers:
            inside = [(s, t, at) for s, t, at in parser.segments if layer.start <= s < layer.end]
            assert "".join(t for _, t, _ in inside) == a.text[layer.start:layer.end]
            for _, _, at in inside:
                assert set(layer.css.split()) <= set(at["class"].split()) and layer.title in at["title"]
                assert all(at[f"data-{k}"] == v for k, v in layer.data if v)
        yoon = next(m for m in a.mentions if m.label == "PER")
        assert any(at.get("data-entity") == yoon.entity and names[yoon.entity] in at["title"]
                   for s, _, at in parser.segments if s == yoon.start)  # the store's entity name


def test_static_whitelist(client: httpx.Client) -> None:
    js = client.get("/static/cite.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert js.content == resources.files("kabar.output").joinpath("assets", "cite.js").read_bytes()  # the report's
    assert client.get("/static/kabar.js").status_code == 404
    assert client.get("/static/kabar.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/app.py").status_code == 404


def test_ingest_upload_updates_stories(tmp_path: Path) -> None:
    db = tmp_path / "k.sqlite"
    with running(create_app(db, token=TOKEN, pipeline=fake_pipeline())) as url, httpx.Client(base_url=url) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        files = [
            ("files", ("satu.txt", b"Berita pertama tentang banjir. Air naik di Jakarta.", "text/plain")),
            ("files", ("dua.txt", b"Berita kedua tentang banjir. Warga mengungsi ke masjid.", "text/plain")),
            ("files", ("kosong.txt", b"", "text/plain")),
        ]
        r = c.post("/api/ingest", files=files, headers=auth)
        assert r.status_code == 200, r.text
        report = r.json()
        assert len(report["added"]) == 2 and report["duplicates"] == [] and report["stories"] == 1
        assert [e["source"] for e in report["errors"]] == ["kosong.txt"]
        story = c.get("/api/stories/st1").json()["story"]
        assert sorted(story["articles"]) == sorted(report["added"])
        assert len(story["brief"]) == 2
        again = c.post("/api/ingest", files=files[:1], headers=auth).json()
        assert again["added"] == [] and again["duplicates"] == report["added"][:1]
        assert len(c.get("/api/articles").json()) == 2
        assert c.post("/api/ingest", files={"other": ("a.txt", b"x")}, headers=auth).status_code == 400
        assert c.post("/api/ingest", data={"files": "x"}, headers=auth).status_code == 415
    with Store(db) as store:
        runs = store.runs()
        assert [(r.command, r.ok, r.failed) for r in runs] == [("web-ingest", 1, 0), ("web-ingest", 2, 1)]
        assert store.ingest_errors(runs[1].id)[0][0] == "kosong.txt"


def test_an_upload_whose_worker_dies_fails_alone(tmp_path: Path) -> None:
    db = tmp_path / "k.sqlite"
    pipeline = Pipeline([DiesOnPoison(), SplitSentences()], [OneStory()])
    with running(create_app(db, token=TOKEN, pipeline=pipeline)) as url, httpx.Client(base_url=url, timeout=60) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        ok = c.post("/api/ingest", files=[("files", ("a.txt", b"Berita banjir di Jakarta. Air naik.", "text/plain"))], headers=auth)
        assert ok.status_code == 200 and len(ok.json()["added"]) == 1
        bad = c.post("/api/ingest", files=[("files", ("b.txt", b"Berita RACUN di Bandung. Air naik.", "text/plain"))], headers=auth)
        assert bad.status_code == 503 and "worker process ended" in bad.json()["detail"]
        assert len(c.get("/api/articles").json()) == 1  # reads go on, nothing half-written
        after = c.post("/api/ingest", files=[("files", ("c.txt", b"Berita gempa di Padang. Warga mengungsi.", "text/plain"))], headers=auth)
        assert after.status_code == 200 and len(after.json()["added"]) == 1  # a fresh worker took over
        assert len(c.get("/api/stories/st1").json()["story"]["articles"]) == 2
    with Store(db) as store:
        assert store.integrity_check() == "ok"


def test_timeline_orders_dated_claims_and_times() -> None:
    a = Article("a1", "Senin (28/10) pasukan tiba. Oktober 2024 pelatihan. Tanggal 25 Oktober rapat.")
    times = [
        TimeExpr("a1:t1", "Senin (28/10)", "2024-10-28", "day", True, a.cite(0, 13)),
        TimeExpr("a1:t2", "Oktober 2024", "2024-10", "month", True, a.cite(28, 40)),
        TimeExpr("a1:t3", "25 Oktober", "--10-25", "day", False, a.cite(60, 70)),
        TimeExpr("a1:t4", "kemarin", None, None, False, a.cite(0, 5)),
    ]
    claims = [Claim("a1:c1", "tiba", "asserted", a.cite(0, 27), time="a1:t1"),
              Claim("a1:c2", "x", "hedged", a.cite(0, 5))]  # undated: not on the timeline
    entries = timeline(times, claims)
    assert [(e.kind, e.id, e.date) for e in entries] == [
        ("time", "a1:t2", "2024-10"), ("claim", "a1:c1", "2024-10-28"), ("time", "a1:t3", "--10-25")]
    assert entries[1].text == a.text[0:27] and entries[1].stance == "asserted"


def test_upload_worker_builds_the_pipeline_with_the_chosen_entity_model(tmp_path: Path, monkeypatch) -> None:
    """`kabar serve --ner e5` reaches the worker process: its default pipeline tags with the e5 model."""
    from kabar.nlp.ner_e5 import ARCHITECTURE
    from kabar.web import ingest

    monkeypatch.setattr(ingest, "_STORE", None)
    monkeypatch.setattr(ingest, "_PIPELINE", None)
    ingestor = ingest.Ingestor(tmp_path / "k.db", ner="e5")
    ingest._start_worker(ingestor.db_path, None, ingestor._ner)  # what the pool's initializer runs
    (entities,) = [s for s in ingest._PIPELINE.article_stages if s.name == "entities"]
    for member in entities.nlp.members:  # the e5 model is a vote of several
        assert member.config["components"]["tok2vec"]["model"]["embed"]["@architectures"] == ARCHITECTURE
    ingest._STORE.close()
