"""Kabar on Apache Spark: the same pipeline, partitioned.

    spark-submit src/kabar/spark/job.py INPUT OUTPUT      (or: kabar spark INPUT OUTPUT)

How it splits the work:
- Reading: JSON Lines are read line by line (`textFile`, splittable, so one big file spreads over
  executors); everything else (WARC, HTML, text) file by file (`binaryFiles`). Both go through
  `kabar.ingest`, so parsing and cleaning are the single-process code.
- Per-article stages run in `mapPartitions`; the pipeline (NER model, data files) is built once per
  Python worker and reused for every partition that worker handles.
- Near-duplicate candidates come from Spark ML's MinHashLSH over word shingles of each article, so no
  all-pairs comparison ever happens; the corpus stages then run over the annotated articles with
  those candidate pairs as their blocking, giving the same copies, stories and slots as one process.
- Everything is written as Parquet tables (one row per object, citation columns flattened, and the
  object's full JSON kept for a lossless `kabar load-parquet`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kabar.model import Article, Corpus, from_dict, to_dict
from kabar.pipeline import stream_order

TABLES = ("articles", "sentences", "mentions", "quotes", "quantities", "times", "claims")
CORPUS_TABLES = ("entities", "copies", "slots", "stories")

_PIPELINE = None  # one per Python worker: models load once, not once per record


def _pipeline(embed: bool = False):
    global _PIPELINE
    if _PIPELINE is None:
        from kabar.pipeline import Pipeline

        _PIPELINE = Pipeline.default(embed=embed)
    return _PIPELINE


def annotate_records(records: Iterable[tuple[str, bytes]]) -> Iterator[str]:
    """(source, bytes) -> annotated articles as JSON lines; failures become `{"error": ...}` lines."""
    from kabar.ingest import IngestFailure, read_bytes

    pipe = _pipeline()
    for source, data in records:
        try:
            articles = read_bytes(data, source)
        except IngestFailure as exc:
            yield json.dumps({"error": {"source": exc.source, "reason": exc.reason}}, ensure_ascii=False)
            continue
        for article in articles:
            yield json.dumps(to_dict(pipe.process_article(article)), ensure_ascii=False)


def _jsonl_records(lines: Iterable[tuple[str, int]], path: str) -> Iterator[tuple[str, bytes]]:
    for line, index in lines:
        if line.strip():
            yield f"{path}:{index + 1}", line.encode("utf-8")


def _flatten(obj: dict[str, Any], article_id: str) -> dict[str, Any]:
    """A Parquet row: scalar fields as columns, the citation split out, the whole object as JSON."""
    row: dict[str, Any] = {"article": article_id, "json": json.dumps(obj, ensure_ascii=False)}
    for key, value in obj.items():
        if key == "cite" and isinstance(value, dict):
            row.update({"cite_start": value["start"], "cite_end": value["end"], "cite_text": value["text"]})
        elif isinstance(value, (str, int, float, bool)) or value is None:
            row[key] = value
    return row


def article_rows(article: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Split one annotated article into rows for each per-article table."""
    aid = article["id"]
    rows: dict[str, list[dict[str, Any]]] = {
        "articles": [{
            "id": aid, "source": article["source"], "outlet": article["outlet"], "title": article["title"],
            "author": article["author"], "published": article["published"], "language": article["language"],
            "wire_credits": json.dumps(article["wire_credits"], ensure_ascii=False), "text": article["text"],
            "json": json.dumps(article, ensure_ascii=False),
        }],
        "sentences": [{"article": aid, "start": s["start"], "end": s["end"]} for s in article["sentences"]],
    }
    for table in ("mentions", "quotes", "quantities", "times", "claims"):
        rows[table] = [_flatten(obj, aid) for obj in article[table]]
    return rows


def run(spark, input_path: str, output_path: str, embed: bool = False) -> dict[str, int]:
    """The whole job; returns row counts per table."""
    from kabar.pipeline import Pipeline, default_corpus_stages
    from kabar.spark.lsh import candidate_pairs

    sc = spark.sparkContext
    if input_path.endswith((".jsonl", ".jsonl.gz", ".json")):
        raw = sc.textFile(input_path).zipWithIndex().mapPartitions(lambda it: _jsonl_records(it, input_path))
    else:
        raw = sc.binaryFiles(input_path)
    annotated = raw.mapPartitions(annotate_records).cache()
    errors = annotated.filter(lambda s: s.startswith('{"error"')).map(json.loads).collect()
    docs = annotated.filter(lambda s: not s.startswith('{"error"')).map(json.loads)

    counts: dict[str, int] = {}
    out = output_path.rstrip("/")
    for table in TABLES:
        rdd = docs.flatMap(lambda d, t=table: article_rows(d)[t])
        if rdd.isEmpty():
            counts[table] = 0
            continue
        df = spark.createDataFrame(rdd.map(_to_row))
        df.write.mode("overwrite").parquet(f"{out}/{table}")
        counts[table] = df.count()

    # Cross-article: LSH blocking in Spark, then the same corpus stages as one process.
    pairs = candidate_pairs(spark, docs.map(lambda d: (d["id"], d["text"])))
    articles = stream_order(from_dict(Article, d) for d in docs.collect())
    pipeline = Pipeline([], default_corpus_stages(embed=embed))
    for stage in pipeline.corpus_stages:
        if hasattr(stage, "candidates"):
            stage.candidates = pairs
    corpus = pipeline.process_corpus(Corpus(articles=articles))
    data = corpus.to_json()
    for table in CORPUS_TABLES:
        rows = [{"id": obj.get("id", f"{table}{i}"), "json": json.dumps(obj, ensure_ascii=False)}
                for i, obj in enumerate(data[table])]
        spark.createDataFrame(rows, "id string, json string").write.mode("overwrite").parquet(f"{out}/{table}")
        counts[table] = len(rows)
    spark.createDataFrame([{"json": json.dumps(e, ensure_ascii=False)} for e in errors] or [], "json string") \
        .write.mode("overwrite").parquet(f"{out}/errors")
    counts["errors"] = len(errors)
    counts["candidate_pairs"] = len(pairs)
    return counts


def _to_row(d: dict[str, Any]):
    from pyspark.sql import Row

    return Row(**{k: ("" if v is None and k == "json" else v) for k, v in sorted(d.items())})


def load_corpus(path: str | Path) -> Corpus:
    """Read the job's Parquet output back into a Corpus (what `kabar load-parquet` stores)."""
    import pyarrow.parquet as pq

    root = Path(path)

    def objects(table: str) -> list[dict[str, Any]]:
        folder = root / table
        if not folder.exists():
            return []
        return [json.loads(s) for s in pq.read_table(folder, columns=["json"]).column("json").to_pylist()]

    data: dict[str, Any] = {"articles": objects("articles")}
    for table in ("quotes", "quantities", "times", "claims"):
        data[table] = objects(table)
    for table in CORPUS_TABLES:
        data[table] = objects(table)
    for a in data["articles"]:
        for table in ("quotes", "quantities", "times", "claims"):
            a[table] = []
    corpus = Corpus.from_json(data)
    corpus.articles = stream_order(corpus.articles)
    return corpus


def session(master: str | None = "local[2]", app_name: str = "kabar"):
    """A session for local runs and tests; under spark-submit, pass master=None to keep its settings."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master is None:
        return builder.getOrCreate()
    return (
        builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="kabar spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--master", default=None, help="e.g. local[2]; default: what spark-submit set")
    parser.add_argument("--embed", action="store_true", help="text embeddings for story clustering")
    args = parser.parse_args(argv)
    spark = session(args.master)
    counts = run(spark, args.input, args.output, embed=args.embed)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
