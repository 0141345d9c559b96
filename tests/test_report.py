"""The single-file report: offline, complete, escaped, and every citation lands on its exact span."""

from __future__ import annotations

import copy
import html as html_lib
import json
import re

import pytest

from browser import XSS_PROBES, browser_page, screenshot
from kabar.model import Article, check_cites
from kabar.output.files import write_outputs


@pytest.fixture(scope="module")
def report_dir(seed_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_outputs(seed_corpus, out)
    return out


def test_outputs_written_and_cites_exact(report_dir, seed_corpus):
    data = json.loads((report_dir / "kabar.json").read_text(encoding="utf-8"))
    for key in ("kabar_version", "articles", "entities", "quotes", "quantities", "times", "claims", "slots", "stories"):
        assert key in data
    assert check_cites(seed_corpus) == []
    md = (report_dir / "brief.md").read_text(encoding="utf-8")
    assert "[^1]" in md and "What the sources disagree on" in md
    peskov = [line for line in md.splitlines() if "Peskov (unconfirmed" in line]  # his variant in the troop slot
    assert peskov and all(line.startswith("- no figure: ") for line in peskov), peskov  # a non-confirmation has no number


def test_report_is_self_contained(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no remote resources"
    csp = html_lib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp
    assert html.count("<script>") == 1


def test_report_in_chromium_offline(report_dir, seed_corpus):
    with browser_page(offline=True) as page:
        page.goto((report_dir / "report.html").as_uri())
        assert page.locator(".brief li").count() >= 3
        assert page.locator("table.disagreements tbody tr").count() >= 3
        assert page.locator(".timeline svg circle, .timeline svg rect").count() >= 1
        assert page.locator(".timeline li").count() >= 1
        screenshot(page, "report-top")
        links = page.locator(".brief a.cite")
        for i in (0, links.count() - 1):
            link = links.nth(i)
            expected = link.get_attribute("title")
            link.click()
            mark = page.locator("mark.cited")
            assert mark.count() == 1
            assert mark.inner_text() == expected
            assert mark.is_visible()
        table_cite = page.locator("table.disagreements a.cite").first
        expected = table_cite.get_attribute("title")
        table_cite.click()
        assert page.locator("mark.cited").inner_text() == expected
        screenshot(page, "report-citation")
        assert page.kabar_requests == [], f"report tried the network: {page.kabar_requests}"
        assert page.kabar_dialogs == []


def test_hostile_article_renders_as_text(seed_articles, tmp_path):
    from kabar.pipeline import Pipeline

    base = copy.deepcopy(seed_articles[1])
    hostile_text = base.text + "\n\n" + " ".join(XSS_PROBES) + " kata Peskov."
    hostile = Article(id="axss", text=hostile_text, source="<script>alert('src')</script>.txt",
                      outlet='Evil" onmouseover="alert(1)', title="<img src=x onerror=alert('title')>")
    corpus = Pipeline.default(embed=False).run([hostile, copy.deepcopy(seed_articles[3])])
    write_outputs(corpus, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    with browser_page(offline=True) as page:
        page.goto((tmp_path / "report.html").as_uri())
        page.locator("details.article").first.evaluate("d => d.open = true")
        page.wait_for_timeout(300)
        assert page.kabar_dialogs == []
        assert page.locator("script").count() == 1
        assert page.locator("[onerror], [onload], [onmouseover], iframe, svg[onload]").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        text = page.locator('.text[data-article="axss"]').inner_text()
        assert "<script>alert('kabar-xss-1')</script>" in text
        screenshot(page, "report-xss")


def test_slot_variants_read_in_time_order():
    from kabar.model import Cite, Variant
    from kabar.output.html import in_time_order

    def v(as_of, low):
        return Variant(claim="c", low=low, high=low, qualifier="=", source=None, source_text=None, stance="asserted",
                       as_of=as_of, cite=Cite("a", 0, 1, "x"), independent_group="g")

    order = in_time_order([v(None, 5), v("2024-11-01", 9), v("2024-10", 3), v("2024-10-28", 1), v(None, None)])
    assert [(x.as_of, x.low) for x in order] == [("2024-10", 3), ("2024-10-28", 1), ("2024-11-01", 9), (None, 5), (None, None)]
