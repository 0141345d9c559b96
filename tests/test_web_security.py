"""The web app's defences through a real server: auth, upload limits, static whitelist, headers, XSS."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
import html as html_lib
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from kabar.store import Store
from kabar.web.app import create_app
from kabar.web.security import CSP
from test_store_sample import XSS, XSS_TITLE, sample_corpus
from test_web import TOKEN, article_body, fake_pipeline, running

PAYLOAD = " ".join(XSS) + " "
UPLOAD = [("files", ("x.txt", b"Satu kalimat saja tentang gempa. Dua kalimat.", "text/plain"))]


@pytest.fixture(scope="module")
def corpus():
    return sample_corpus(PAYLOAD)


@pytest.fixture(scope="module")
def url(tmp_path_factory, corpus) -> Iterator[str]:
    db = tmp_path_factory.mktemp("sec") / "k.sqlite"
    with Store(db) as store:
        store.save_analysis(corpus)
    with running(create_app(db, token=TOKEN, pipeline=fake_pipeline())) as base:
        yield base


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def writer(tmp_path_factory) -> Iterator[httpx.Client]:
    """A separate server for uploads, so they never change what the XSS pages show."""
    db = tmp_path_factory.mktemp("up") / "k.sqlite"
    app = create_app(db, token=TOKEN, max_upload_bytes=2000, pipeline=fake_pipeline())
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as c:
        yield c


def raw_get(base: str, path: str) -> tuple[int, str]:
    """Send `path` byte for byte (no client-side normalisation of `..` or `%2f`)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    text = data.decode("utf-8", "replace")
    return int(text.split(" ", 2)[1]), text


def test_read_only_without_token(tmp_path: Path) -> None:
    with running(create_app(tmp_path / "k.sqlite", token=None, pipeline=fake_pipeline())) as base:
        r = httpx.post(f"{base}/api/ingest", files=UPLOAD, headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403
        assert httpx.get(f"{base}/api/articles").json() == []


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer", TOKEN, f"Bearer  {TOKEN[:-1]}"]
)
def test_wrong_or_missing_token_is_refused(writer: httpx.Client, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    r = writer.post("/api/ingest", files=UPLOAD, headers=headers)
    assert r.status_code in (401, 403)
    assert r.headers.get("www-authenticate") == "Bearer"


def test_right_token_is_accepted(writer: httpx.Client) -> None:
    r = writer.post("/api/ingest", files=UPLOAD, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert len(r.json()["added"]) == 1


def test_oversize_upload_is_413(writer: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = [("files", ("big.txt", b"kata " * 1000, "text/plain"))]
    assert writer.post("/api/ingest", files=big, headers=auth).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"c.txt\"\r\n\r\n"
        for _ in range(20):
            yield b"x" * 500
        yield b"\r\n--b--\r\n"

    headers = {**auth, "Content-Type": "multipart/form-data; boundary=b"}
    assert writer.post("/api/ingest", content=chunks(), headers=headers).status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2f..%2fetc/passwd",
        "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%5c..%5capp.py",
        "/static/%2fetc%2fpasswd",
        "/static//etc/passwd",
        "/static/cite.js%00.png",
        "/static/..%2f..%2foutput%2fassets%2fcite.js",
        "/static/assets/cite.js",
        "/static/../app.py",
        "/static/templates/base.html",
        "/static/",
    ],
)
def test_static_path_traversal_is_404(url: str, path: str) -> None:
    status, text = raw_get(url, path)
    assert status == 404, (path, text[:300])
    assert "root:" not in text and "def create_app" not in text


def test_security_headers_everywhere(client: httpx.Client, corpus) -> None:
    for path in ("/", "/api/stories", "/static/cite.js", "/nope", f"/articles/{corpus.articles[0].id}",
                 "/openapi.json"):
        h = client.get(path).headers
        assert h["content-security-policy"] == CSP, path
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def _html_pages(client: httpx.Client, corpus) -> dict[str, str]:
    paths = ["/", "/articles", "/entities", "/stories/st1", "/stories/st2", "/search?q=alert",
             "/search?q=" + httpx.QueryParams({"q": XSS[0]})["q"]]
    paths += [f"/articles/{a.id}" for a in corpus.articles] + [f"/entities/{e.id}" for e in corpus.entities]
    pages = {}
    for p in paths:
        r = client.get(p)
        assert r.status_code == 200, p
        assert r.headers["content-type"].startswith("text/html")
        pages[p] = r.text
    return pages


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


RAW = ["<script>alert", "<img src=x", "<svg", 'href="javascript:', "<iframe", "<b><i>",
       "</textarea>"]


def test_xss_probes_stay_inert_on_every_page(client: httpx.Client, corpus) -> None:
    pages = _html_pages(client, corpus)
    for path, html in pages.items():
        for raw in RAW:
            assert raw not in html, (path, raw)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/static/cite.js" defer>'], (path, scripts)
        assert re.search(r"<script\b[^>]*>\s*</script>", html), path  # external only: nothing inline
        parsed = tags(html)
        assert [t for t, _ in parsed].count("script") == 1, path
        for tag, attrs in parsed:  # no event-handler attributes at all; no script URL anywhere
            assert not [k for k, _ in attrs if k.startswith("on")], (path, tag, attrs)
            assert not [v for _, v in attrs if v and v.strip().lower().startswith("javascript:")], (path, tag, attrs)
    article = pages[f"/articles/{corpus.articles[0].id}"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", article_body(article))) == corpus.articles[0].text  # not markup
    assert 'title="PER: Yoon Suk Yeol&lt;script&gt;alert(1)&lt;/script&gt;' in article  # layer titles escaped too
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "&lt;b&gt;&lt;i&gt;" in article
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in article  # the title
    assert "&lt;script&gt;" in pages["/stories/st1"] and "&lt;script&gt;" in pages["/search?q=alert"]
    assert "&lt;/textarea&gt;&lt;/details&gt;" in article  # the removed line inside <details>


def test_xss_in_json_api_is_data(client: httpx.Client, corpus) -> None:
    a0 = corpus.articles[0]
    got = client.get(f"/api/articles/{a0.id}")
    assert got.headers["content-type"] == "application/json"
    assert got.json()["title"].endswith(XSS_TITLE)
