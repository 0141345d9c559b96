"""The web app in real headless Chromium over a real server: story views, citations, search, hostile text."""

from __future__ import annotations

import copy

import pytest

from browser import XSS_PROBES, browser_page, screenshot
from kabar.model import Article, Mention, Quantity, Quote, TimeExpr
from kabar.output.html import cite_fragment
from kabar.store import Store
from kabar.web.app import create_app
from test_web import running

# Astral characters (UTF-16 surrogate pairs, a flag, a ZWJ family) before and inside the cited spans.
EMOJI_TEXT = ('Warga 😀 menulis 🇮🇩 bahwa 12.000 tentara 👩‍👩‍👧 tiba pada Senin (28/10). '
              'Presiden Yoon berkata, "Kami siap 🙏 membantu" 𝕂𝕒𝕓𝕒𝕣.')


def emoji_article() -> Article:
    """A hand-annotated article whose every finding sits after characters JavaScript counts twice."""
    a = Article(id="aemoji", text=EMOJI_TEXT, title="Emoji", language="id")

    def span(needle: str) -> tuple[int, int]:
        start = EMOJI_TEXT.index(needle)
        return start, start + len(needle)

    a.mentions = [Mention("aemoji:m1", *span("Presiden Yoon"), "Presiden Yoon", "PER")]
    a.quantities = [Quantity("aemoji:n1", 12000, 12000, "=", a.cite(*span("12.000 tentara")), "tentara", "troops")]
    a.times = [TimeExpr("aemoji:t1", "Senin (28/10)", "2024-10-28", "day", True, a.cite(*span("Senin (28/10)")))]
    a.quotes = [Quote("aemoji:q1", "Kami siap 🙏 membantu", "direct", a.cite(*span("Kami siap 🙏 membantu")),
                      speaker_text="Presiden Yoon")]
    return a


@pytest.fixture(scope="module")
def base_url(seed_corpus, seed_articles, tmp_path_factory):
    from kabar.pipeline import Pipeline

    hostile = copy.deepcopy(seed_articles[2])
    hostile = Article(id="axss", text=hostile.text + "\n\n" + " ".join(XSS_PROBES), source="<b>x</b>.txt",
                      title="<script>alert('t')</script>", outlet="<img src=x onerror=alert(2)>")
    corpus = copy.deepcopy(seed_corpus)
    corpus.articles.append(Pipeline.default(embed=False).process_article(hostile))
    corpus.articles.append(emoji_article())
    store = Store(tmp_path_factory.mktemp("web") / "kabar.sqlite")
    for article in corpus.articles:
        store.add_article(article)
    store.save_analysis(corpus)
    with running(create_app(store.path)) as url:
        yield url


def marked(page) -> str:
    marks = page.locator("mark.cited")
    return "".join(marks.nth(i).text_content() for i in range(marks.count()))


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
        article_id, start = link.get_attribute("data-article"), link.get_attribute("data-start")
        link.click()  # the article is not on the story page: cite.js lets the browser open it
        page.wait_for_url(f"**/articles/{article_id}#c-{article_id}-{start}-*")
        page.wait_for_selector("mark.cited")
        assert marked(page) == expected
        text = next(a.text for a in seed_corpus.articles if a.id == article_id)
        assert page.locator(f'.text[data-article="{article_id}"]').text_content() == text
        screenshot(page, "web-citation")
        page.goto(base_url + "/search?q=Peskov")
        assert page.locator(".hits li.hit").count() >= 1
        screenshot(page, "web-search")
        assert page.kabar_requests == []
        assert page.kabar_dialogs == []


def test_citations_after_emoji_in_chromium(base_url):
    a = emoji_article()
    with browser_page(offline=True, allow=base_url) as page:
        for finding in (a.quotes[0], a.quantities[0]):  # opening a cited link highlights exactly the cited text
            c = finding.cite
            page.goto(f"{base_url}/articles/{a.id}{cite_fragment(a.id, c.start, c.end)}")
            page.wait_for_selector("mark.cited")
            assert marked(page) == c.text
            assert page.locator("mark.cited").count() == 1
        assert page.locator('.text[data-article="aemoji"]').text_content() == EMOJI_TEXT
        page.evaluate("window.kabarSamePage = true")
        t = a.times[0].cite
        page.locator("ul.times a.cite").click()  # same page: highlighted in place, no navigation
        assert marked(page) == t.text == "Senin (28/10)"
        assert page.evaluate("window.kabarSamePage") is True
        assert page.url.endswith(f"/articles/aemoji#c-aemoji-{t.start}-{t.end}")
        page.locator("ul.quantities a.cite").click()
        assert marked(page) == "12.000 tentara" and page.locator("mark.cited").count() == 1
        assert page.locator("li.quantity").text_content().endswith("= 12.000 (troops)")
        screenshot(page, "web-emoji-citation")
        assert page.kabar_requests == [] and page.kabar_dialogs == []


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
