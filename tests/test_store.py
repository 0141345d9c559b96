"""Store: idempotent writes, lossless analysis round trip, migrations, runs, search."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest

from kabar.model import Corpus, Quote
from kabar.store import Store, default_path
from kabar.store.schema import MIGRATIONS, SchemaError
from kabar.store.search import fts_query
from test_store_sample import XSS, sample_corpus


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "k.sqlite") as s:
        yield s


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_add_article_is_idempotent(store: Store) -> None:
    article = sample_corpus().articles[0]
    assert store.add_article(article) is True
    before = _dump(store.path)
    assert store.add_article(copy.deepcopy(article)) is False
    assert store.count() == 1
    assert _dump(store.path) == before
    assert store.has(article.id) and not store.has("a0000000000")


def test_article_round_trip_keeps_every_field(store: Store) -> None:
    for article in sample_corpus(XSS[1]).articles:
        store.add_article(article)
        assert store.get_article(article.id) == article
    assert store.get_article("missing") is None
    rows = store.articles(limit=2, offset=1)
    assert [r.id for r in rows] == [a.id for a in sample_corpus(XSS[1]).articles[1:]]
    assert rows[0].chars == len(sample_corpus(XSS[1]).articles[1].text)


def test_corpus_round_trip_is_lossless(store: Store) -> None:
    corpus = sample_corpus("<b><i>")
    store.save_analysis(corpus)
    assert store.load_corpus().to_json() == corpus.to_json()
    assert store.integrity_check() == "ok"


def test_save_analysis_replaces_the_latest_analysis(store: Store) -> None:
    corpus = sample_corpus()
    for article in corpus.articles:
        bare = copy.deepcopy(article)
        bare.mentions, bare.quotes, bare.sentences = [], [], []
        store.add_article(bare)
    store.save_analysis(corpus)
    assert store.load_corpus().to_json() == corpus.to_json()

    later = copy.deepcopy(corpus)
    later.articles[0].quotes = []
    later.articles[0].meta["reviewed"] = True
    later.stories = later.stories[:1]
    later.entities = []
    store.save_analysis(later)
    assert store.load_corpus().to_json() == later.to_json()
    assert store.count("quotes") == 2 and store.count("stories") == 1
    assert [h.kind for h in store.search("siap membantu")].count("quote") == 2


def test_load_corpus_keeps_the_analysis_order(store: Store) -> None:
    corpus = sample_corpus()
    for article in corpus.articles:  # ingested in file order ...
        store.add_article(article)
    corpus.articles.reverse()  # ... analysed in another (the pipeline orders by date)
    store.save_analysis(corpus)
    assert store.load_corpus().to_json() == corpus.to_json()
    assert [r.id for r in store.articles()] == [a.id for a in reversed(corpus.articles)]  # listing: ingestion order
    store.save_analysis(Corpus(articles=corpus.articles[1:2]))
    loaded = [a.id for a in store.load_corpus().articles]
    assert loaded == [corpus.articles[1].id, corpus.articles[2].id, corpus.articles[0].id]


def test_articles_outside_the_corpus_keep_their_findings(store: Store) -> None:
    corpus = sample_corpus()
    store.save_analysis(corpus)
    partial = Corpus(articles=[corpus.articles[0]])
    store.save_analysis(partial)
    loaded = store.load_corpus()
    assert [a.quotes for a in loaded.articles] == [a.quotes for a in corpus.articles]
    assert loaded.stories == []


def test_findings_filters(store: Store) -> None:
    corpus = sample_corpus()
    store.save_analysis(corpus)
    a0 = corpus.articles[0]
    assert store.findings("quotes", articles=[a0.id]) == a0.quotes
    assert len(store.findings("quotes", entity="e1")) == 3  # speaker
    assert len(store.findings("claims", entity="e3")) == 3  # subject
    assert len(store.findings("mentions", entity="e2")) == 3
    assert store.findings("quantities", entity="e1") == []  # quantities link no entity
    assert store.findings("times", limit=1, offset=2) == corpus.articles[2].times
    with pytest.raises(ValueError):
        store.findings("articles")
    assert [e.id for e in store.entities(["e3", "e1"])] == ["e1", "e3"]
    assert store.entity("e2").name == "NATO"
    assert [s.id for s in store.slots(["s1"])] == ["s1"]
    assert store.story("st1").disagreements == ["s1"]
    assert [s.id for s in store.stories_of(a0.id)] == ["st1"]


def test_runs_and_errors(store: Store) -> None:
    run = store.start_run("ingest", ["a.txt", Path("b.html")])
    store.record_error(run, "b.html", "empty body")
    store.finish_run(run, ok=1, failed=1, errors=[{"source": "b.html", "reason": "empty body"}])
    (last,) = store.runs()
    assert (last.command, last.inputs, last.ok, last.failed) == ("ingest", ["a.txt", "b.html"], 1, 1)
    assert last.finished_at is not None and last.errors[0]["reason"] == "empty body"
    assert store.ingest_errors(run) == [("b.html", "empty body")]


def test_schema_version_and_newer_file_refused(tmp_path: Path) -> None:
    db = tmp_path / "k.sqlite"
    Store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(SchemaError):
        Store(db)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store._conn().execute("INSERT INTO removed VALUES ('nope', 0, 'x', 'y', 1)")


def test_search_finds_articles_and_quotes_with_snippets(store: Store) -> None:
    corpus = sample_corpus()
    for a in corpus.articles:
        store.add_article(a)
    hits = store.search("tentara Rusia")
    assert {h.article for h in hits if h.kind == "article"} == {corpus.articles[0].id, corpus.articles[2].id}
    parts = hits[0].snippet_parts()
    assert any(matched and text.lower() in ("tentara", "rusia") for text, matched in parts)
    quote = next(h for h in store.search("membantu") if h.kind == "quote")
    article = store.get_article(quote.article)
    assert article.text[quote.start : quote.end] == "Kami siap membantu"
    assert isinstance(article.quotes[0], Quote)
    assert store.search("pyongyang")[0].article == corpus.articles[1].id  # case-insensitive


@pytest.mark.parametrize(
    "query", ['"', "NEAR(a b)", "tentara AND", "* OR -", "title:x", "a\"b'c", "^tentara", "))((", "\x00", ""]
)
def test_search_survives_fts_syntax(store: Store, query: str) -> None:
    store.add_article(sample_corpus().articles[0])
    assert isinstance(store.search(query), list)


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('tentara" OR NEAR(x') == '"tentara" "OR" "NEAR" "x"'
    assert fts_query("  -*- ") is None


def test_default_path_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KABAR_DB", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("KABAR_DB")
    assert default_path().name == "kabar.sqlite"


def test_integrity_check_sees_a_stale_search_index(store: Store) -> None:
    store.save_analysis(sample_corpus())
    assert store.integrity_check() == "ok"
    conn = store._conn()
    conn.execute("DROP TRIGGER articles_fts_update")  # the index no longer follows the text
    conn.execute("UPDATE articles SET text = 'lain' WHERE rowid = 1")
    assert store.integrity_check().startswith("articles_fts")


def test_seed_articles_store_and_reingest(tmp_path: Path, seed_articles) -> None:
    with Store(tmp_path / "seeds.sqlite") as store:
        assert [store.add_article(a) for a in seed_articles] == [True] * 5
        assert [store.add_article(copy.deepcopy(a)) for a in seed_articles] == [False] * 5
        for a in seed_articles:
            assert store.get_article(a.id) == a
        assert store.count("removed") == sum(len(a.removed) for a in seed_articles)
