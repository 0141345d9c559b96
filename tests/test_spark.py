"""The Spark job (local[2]) and the single-process pipeline give the same corpus on the same input."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from kabar.eval.datasets import read_indosum

N_INDOSUM = 200


@pytest.fixture(scope="module")
def spark():
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        if os.environ.get("CI") or os.environ.get("KABAR_REQUIRE_SPARK"):
            pytest.fail("Java is needed for the Spark tests")
        pytest.skip("no Java")
    from kabar.spark.job import session

    s = session("local[2]", "kabar-test")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def jsonl_input(tmp_path_factory, seeds_dir, shared_data):
    path = tmp_path_factory.mktemp("spark-in") / "input.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for seed in sorted(seeds_dir.glob("*.txt")):
            fh.write(json.dumps({"text": seed.read_text(encoding="utf-8"), "url": seed.name}, ensure_ascii=False) + "\n")
        for doc in read_indosum(shared_data / "summaries" / "indosum", limit=N_INDOSUM):
            fh.write(json.dumps({"text": doc["text"], "url": doc["url"], "outlet": doc["outlet"]}, ensure_ascii=False) + "\n")
    return path


def _first_difference(a, b, path: str = "$") -> str | None:
    """Where two JSON values first differ, for a readable failure."""
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if (d := _first_difference(a.get(k), b.get(k), f"{path}.{k}")) is not None:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if (d := _first_difference(x, y, f"{path}[{i}]")) is not None:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def _comparable(data: dict) -> dict:
    """Drop what legitimately differs between runs (where a record was read from)."""
    for a in data["articles"]:
        a.pop("source", None)
        a.get("meta", {}).pop("errors", None)
    return data


@pytest.fixture(scope="module")
def spark_run(spark, jsonl_input, tmp_path_factory):
    """The job run once: (output folder, counts)."""
    from kabar.spark.job import run

    out = tmp_path_factory.mktemp("spark-out") / "parquet"
    return out, run(spark, str(jsonl_input), str(out), embed=False)


def test_spark_matches_single_process(spark_run, jsonl_input):
    from kabar.ingest import read_paths
    from kabar.pipeline import Pipeline
    from kabar.spark.job import load_corpus

    out, counts = spark_run
    assert counts["articles"] == N_INDOSUM + 5
    assert counts["errors"] == 0

    single = Pipeline.default(embed=False).run(read_paths([jsonl_input]))
    distributed = load_corpus(out)
    a, b = _comparable(single.to_json()), _comparable(distributed.to_json())
    for key in ("articles", "entities", "quotes", "quantities", "times", "claims", "slots", "stories", "copies"):
        assert a[key] == b[key], f"{key} differ between Spark and one process: {_first_difference(a[key], b[key])}"
    assert a["copies"], "the seeds share wire passages, so the copies compared above are not an empty list"
    import pyarrow.parquet as pq

    from kabar.crossdoc.copies import CopyDetector

    blocked = {tuple(r.values()) for r in pq.read_table(out / "candidate_pairs").to_pylist()}
    found = {tuple(sorted((c.a.article, c.b.article))) for c in distributed.copies if c.a.article != c.b.article}
    assert found <= blocked, f"Spark's blocking missed copy pairs: {found - blocked}"
    sharing: dict[bytes, set[str]] = {}
    for art in single.articles:
        for key in CopyDetector().band_keys(art):
            sharing.setdefault(key, set()).add(art.id)
    assert blocked == {(x, y) for ids in sharing.values() for x in ids for y in ids if x < y}, "same bands as one process"
    seeds = {x.id for x in distributed.articles if x.url and x.url.endswith(".txt")}
    assert any(seeds <= set(s.articles) for s in distributed.stories), "the five seeds form one story on Spark too"


def test_load_parquet_into_store(spark_run, tmp_path):
    from kabar.spark.job import load_corpus
    from kabar.store import Store

    corpus = load_corpus(spark_run[0])
    store = Store(tmp_path / "k.sqlite")
    for article in corpus.articles:
        store.add_article(article)
    store.save_analysis(corpus)
    assert store.load_corpus().to_json()["stories"] == corpus.to_json()["stories"]
