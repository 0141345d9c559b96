"""The web app in real headless Chromium over a real server: story views, citations, search, hostile text."""

from __future__ import annotations

import copy

import pytest

from browser import XSS_PROBES, browser_page, screenshot
from kabar.model import Article
from kabar.store import Store
from kabar.web.app import create_app
from test_web import running


@pytest.fixture(scope="module")
def base_url(seed_corpus, seed_articles, tmp_path_factory):
    from kabar.pipeline import Pipeline

    hostile = copy.deepcopy(seed_articles[2])
    hostile = Article(id="axss", text=hostile.text + "\n\n" + " ".join(XSS_PROBES), source="<b>x</b>.txt",
                      title="<script>alert('t')</script>", outlet="<img src=x onerror=alert(2)>")
    corpus = copy.deepcopy(seed_corpus)
    corpus.articles.append(Pipeline.default(embed=False).process_article(hostile))
    store = Store(tmp_path_factory.mktemp("web") / "kabar.sqlite")
    for article in corpus.articles:
        store.add_article(article)
    store.save_analysis(corpus)
    with running(create_app(store.path)) as url:
        yield url


def test_story_citation_and_search_in_chromium(base_url, seed_corpus):
    with browser_page(offline=True, allow=base_url) as page:
        page.goto(base_url + "/")
        page.locator("a[href^='/stories/']").first.click()
        page.wait_for_load_state()
        assert page.locator(".brief li").count() >= 3
        assert page.locator("table.disagreements tbody tr").count() >= 3
        assert page.locator(".timeline li").count() >= 1
        screenshot(page, "web-story")
        link = page.locator(".brief a.cite").first
        expected = link.get_attribute("title")
        link.click()
        page.wait_for_selector("mark.cited")
        marks = page.locator("mark.cited")
        assert "".join(marks.nth(i).text_content() for i in range(marks.count())) == expected
        screenshot(page, "web-citation")
        page.goto(base_url + "/search?q=Peskov")
        assert page.locator(".hits li.hit").count() >= 1
        screenshot(page, "web-search")
        assert page.kabar_requests == []
        assert page.kabar_dialogs == []


def test_hostile_article_inert_in_chromium(base_url):
    with browser_page(offline=True, allow=base_url) as page:
        for path in ("/", "/articles", "/articles/axss", "/entities", "/search?q=alert", "/search?q=%3Cscript%3E"):
            page.goto(base_url + path)
            page.wait_for_timeout(100)
            assert page.locator("[onerror], [onload], iframe").count() == 0, path
            assert page.locator("a[href^='javascript']").count() == 0, path
        page.goto(base_url + "/articles/axss")
        assert "<script>alert('kabar-xss-1')</script>" in page.locator("#article-text").inner_text()
        screenshot(page, "web-xss")
        assert page.kabar_dialogs == []
