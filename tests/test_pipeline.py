"""The pipeline's scheduling: batch stages take several articles at once, the rest go article by article."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

from kabar.model import Article
from kabar.pipeline import Pipeline


class Log:
    """A per-article stage that notes which article it saw, in a log shared with the others."""

    def __init__(self, name: str, seen: list[tuple[str, str]]) -> None:
        self.name, self.seen = name, seen

    def __call__(self, article: Article) -> Article:
        self.seen.append((self.name, article.id))
        return article


class Batched(Log):
    """A batch stage that refuses any batch holding a poisoned article, and the article alone."""

    def __init__(self, name: str, seen: list[tuple[str, str]]) -> None:
        super().__init__(name, seen)
        self.batches: list[list[str]] = []

    def __call__(self, article: Article) -> Article:
        if "RACUN" in article.text:
            raise ValueError("poisoned")
        return super().__call__(article)

    def pipe(self, articles: list[Article]) -> list[Article]:
        self.batches.append([a.id for a in articles])
        return [self(a) for a in articles]


def articles(n: int, poisoned: int | None = None) -> list[Article]:
    return [Article(f"a{i}", "RACUN." if i == poisoned else f"Berita {i}.") for i in range(n)]


def test_batch_stages_take_batches_and_runs_of_other_stages_go_article_by_article() -> None:
    seen: list[tuple[str, str]] = []
    batched = Batched("b", seen)
    pipeline = Pipeline([Log("s1", seen), batched, Log("s2", seen), Log("s3", seen)], [])
    out = list(pipeline.process_articles(articles(5), batch=2))
    assert [a.id for a in out] == [f"a{i}" for i in range(5)]
    assert batched.batches == [["a0", "a1"], ["a2", "a3"], ["a4"]]
    # after the batch stage, s2 and s3 run on one article before the next: what s2 leaves for s3 is fresh
    assert seen[:8] == [("s1", "a0"), ("s1", "a1"), ("b", "a0"), ("b", "a1"),
                        ("s2", "a0"), ("s3", "a0"), ("s2", "a1"), ("s3", "a1")]


def test_an_article_that_fails_a_batch_stage_fails_alone() -> None:
    seen: list[tuple[str, str]] = []
    pipeline = Pipeline([Batched("b", seen), Log("after", seen)], [])
    pipeline.timings = {}
    out = list(pipeline.process_articles(articles(4, poisoned=1), batch=4))
    assert [a.id for a in out] == ["a0", "a1", "a2", "a3"]
    assert [e["stage"] for e in out[1].meta["errors"]] == ["b"]
    assert all("errors" not in a.meta for a in out if a.id != "a1")
    assert [x for x in seen if x[0] == "after"] == [("after", f"a{i}") for i in range(4)]  # the batch went on
    assert set(pipeline.timings) == {"b", "after"}


def test_entities_in_a_batch_equal_entities_one_article_at_a_time(seed_articles) -> None:
    """The model runs once over all lines of a batch; each article must get what it gets alone."""
    from kabar.nlp.entities import EntityRecognizer
    from kabar.nlp.sentences import SentenceSplitter

    rec, split = EntityRecognizer(), SentenceSplitter()
    alone = [rec(split(copy.deepcopy(a))).mentions for a in seed_articles]
    together = [a.mentions for a in rec.pipe([split(copy.deepcopy(a)) for a in seed_articles])]
    assert together == alone and all(alone)


def test_cli_analyze_with_the_e5_entity_model(tmp_path, seeds_dir):
    """`kabar analyze --ner e5` runs the whole pipeline with the e5 model; all five seeds name
    the spy agency, the Kremlin's spokesman or NATO's chief, and it finds each at least once."""
    proc = subprocess.run([sys.executable, "-m", "kabar.cli", "analyze", str(seeds_dir), "--out", str(tmp_path),
                           "--no-embed", "--ner", "e5"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads((tmp_path / "kabar.json").read_text(encoding="utf-8"))
    names = {(e["name"], e["type"]) for e in data["entities"]}
    assert {("Mark Rutte", "PER"), ("Dmitry Peskov", "PER"), ("Yoon Suk Yeol", "PER"), ("NATO", "ORG")} <= names
