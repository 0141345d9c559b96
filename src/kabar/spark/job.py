"""Kabar on Apache Spark: the same pipeline, partitioned.

    spark-submit src/kabar/spark/job.py INPUT OUTPUT      (or: kabar spark INPUT OUTPUT)

How it splits the work:
- Reading: JSON Lines are read line by line (`textFile`, splittable, so one big file spreads over
  executors); everything else (WARC, HTML, text) file by file (`binaryFiles`). Both go through
  `kabar.ingest`, so parsing and cleaning are the single-process code.
- Per-article stages run in `mapPartitions`; the pipeline (NER model, data files) is built once per
  Python worker and reused for every partition that worker handles, and takes each partition's
  articles four at a time, as one process does (`Pipeline.process_articles`).
- Near-duplicate candidate pairs come from the copy detector's own MinHash banding, computed on the
  executors and joined on band keys in Spark SQL, so no all-pairs comparison happens and the pairs
  are exactly those the one-process detector compares; they are written as a table.
- The corpus-wide stages (canonical entities, copies, story assignment, story dates) run on the driver
  over the annotated articles, with the same code as one process, so results are identical; they are
  sub-quadratic (LSH and centroid indexes of their own). The per-story stages (claim slots and
  briefs) then run on the executors, one task per story, given the few corpus-wide facts they need
  (independence groups, capitals, entities) as a broadcast; the driver only numbers the slots. At
  millions of articles the driver's memory is the limit, and the next step is to run the corpus-wide
  stages per time window, blocked by the candidate pairs.
- Everything is written as Parquet tables (one row per object, citation columns flattened, and the
  object's full JSON kept for a lossless `kabar load-parquet`).
"""

from __future__ import annotations

import json
import os
import sys
import time
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kabar.model import (
    Article, BriefSentence, Claim, Copy, Corpus, Entity, Mention, Quantity, Quote, Slot, Story, TimeExpr, from_dict,
    to_dict,
)

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

    failures: list[str] = []

    def articles() -> Iterator[Article]:
        for source, data in records:
            try:
                yield from read_bytes(data, source)
            except IngestFailure as exc:
                failures.append(json.dumps({"error": {"source": exc.source, "reason": exc.reason}}, ensure_ascii=False))

    for article in _pipeline().process_articles(articles()):  # in batches: see Pipeline.process_articles
        yield from failures
        failures.clear()
        yield json.dumps(to_dict(article), ensure_ascii=False)
    yield from failures


def _jsonl_records(lines: Iterable[tuple[str, int]], path: str) -> Iterator[tuple[str, bytes]]:
    for line, index in lines:
        if line.strip():
            yield f"{path}:{index + 1}", line.encode("utf-8")


# Per-article tables: (model class, list field on Article). Columns come from the class's scalar fields.
_TABLE_TYPES = {"mentions": Mention, "quotes": Quote, "quantities": Quantity, "times": TimeExpr, "claims": Claim}
_ARTICLE_COLUMNS = ("id", "source", "url", "outlet", "title", "author", "published", "language", "format", "text")


def _scalar(hint: Any) -> type | None:
    """The column type of a field hint: str, int, float or bool (Literal as str, Optional unwrapped)."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return str
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _scalar(args[0]) if len(args) == 1 else None
    return hint if hint in (str, int, float, bool) else None


def _scalar_columns(cls: type) -> list[tuple[str, type]]:
    return [(name, t) for name, hint in typing.get_type_hints(cls).items() if (t := _scalar(hint)) is not None]


def _has_cite(cls: type) -> bool:
    return "cite" in typing.get_type_hints(cls)


def table_schema(table: str):
    """An explicit Spark schema, so all-null columns and empty partitions never break inference."""
    from pyspark.sql import types as T

    spark_type = {str: T.StringType(), int: T.LongType(), float: T.DoubleType(), bool: T.BooleanType()}
    if table == "articles":
        fields = [("seq", int)] + [(c, str) for c in _ARTICLE_COLUMNS] + [("wire_credits", str)]
    elif table == "sentences":
        fields = [("article", str), ("start", int), ("end", int)]
    else:
        cls = _TABLE_TYPES[table]
        fields = [("article", str)] + _scalar_columns(cls)
        if _has_cite(cls):
            fields += [("cite_start", int), ("cite_end", int), ("cite_text", str)]
    if table != "sentences":
        fields.append(("json", str))
    return T.StructType([T.StructField(name, spark_type[typ], True) for name, typ in fields])


def article_rows(article: dict[str, Any], seq: int) -> dict[str, list[tuple]]:
    """Split one annotated article (the `seq`th of the corpus) into rows in `table_schema` order."""
    aid = article["id"]
    rows: dict[str, list[tuple]] = {
        "articles": [(seq, *(article[c] for c in _ARTICLE_COLUMNS))
                     + (json.dumps(article["wire_credits"], ensure_ascii=False), json.dumps(article, ensure_ascii=False))],
        "sentences": [(aid, s["start"], s["end"]) for s in article["sentences"]],
    }
    for table, cls in _TABLE_TYPES.items():
        cols = [name for name, _ in _scalar_columns(cls)]
        cite = _has_cite(cls)
        rows[table] = [
            (aid, *(obj[c] for c in cols))
            + ((obj["cite"]["start"], obj["cite"]["end"], obj["cite"]["text"]) if cite else ())
            + (json.dumps(obj, ensure_ascii=False),)
            for obj in article[table]
        ]
    return rows


PER_STORY = ("slots", "brief")  # corpus stages that see one story at a time: spread over executors


def per_story_stages(sc, corpus: Corpus) -> Corpus:
    """Claim slots and the brief of every story, one Spark task per story, as SlotReconciler and
    Briefer compute them in one process (same functions, same order of slot ids)."""
    from kabar.crossdoc.brief import Briefer
    from kabar.crossdoc.slots import SlotReconciler, number_slots, story_articles

    reconciler, briefer = SlotReconciler(), Briefer()
    ctx = sc.broadcast(reconciler.context(corpus))
    groups = story_articles(corpus)

    def story_work(item: tuple[int, Story | None, list[Article]]) -> tuple[int, list[Slot], list[BriefSentence]]:
        k, story, members = item
        slots = reconciler.story_slots(story, members, ctx.value)
        return k, slots, briefer.brief(members, slots) if story is not None else []

    tasks = [(k, story, members) for k, (story, members) in enumerate(groups)]
    done = {k: (slots, brief) for k, slots, brief in
            sc.parallelize(tasks, max(1, min(len(tasks), 4 * sc.defaultParallelism))).map(story_work).collect()}
    number_slots(corpus, [(story, done[k][0]) for k, (story, _) in enumerate(groups)])
    for k, (story, _) in enumerate(groups):
        if story is not None:
            story.brief = done[k][1]
    ctx.unpersist()
    return corpus


def run(spark, input_path: str, output_path: str, embed: bool = False, seconds: dict[str, float] | None = None) -> dict[str, int]:
    """The whole job; returns row counts per table and, into `seconds` when given, the wall time
    of each phase (what a benchmark or an operator needs to see where a run spends its time)."""
    from kabar.pipeline import Pipeline, default_corpus_stages
    from kabar.spark.lsh import candidate_pairs

    seconds = {} if seconds is None else seconds
    clock = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        seconds[phase] = round(now - clock[0], 2)
        clock[0] = now

    sc = spark.sparkContext
    if input_path.endswith((".jsonl", ".jsonl.gz", ".json")):
        raw = sc.textFile(input_path).zipWithIndex().mapPartitions(lambda it: _jsonl_records(it, input_path))
    else:
        raw = sc.binaryFiles(input_path)
    annotated = raw.mapPartitions(annotate_records).cache()
    errors = annotated.filter(lambda s: s.startswith('{"error"')).map(json.loads).collect()
    docs = annotated.filter(lambda s: not s.startswith('{"error"')).map(json.loads)
    lap("per-article stages")

    # Near-duplicate candidates by MinHash bands in Spark, kept as a table (the blocking a cluster-sized
    # run partitions copy detection by); the corpus-wide stages then run as in one process, on the driver.
    out = output_path.rstrip("/")
    counts: dict[str, int] = {}
    candidate_pairs(spark, docs).write.mode("overwrite").parquet(f"{out}/candidate_pairs")
    counts["candidate_pairs"] = spark.read.parquet(f"{out}/candidate_pairs").count()
    lap("copy candidates (MinHash bands)")
    articles = [from_dict(Article, d) for d in docs.collect()]  # process_corpus fixes the order
    lap("collect to driver")
    driver_stages = [s for s in default_corpus_stages(embed=embed) if s.name not in PER_STORY]
    corpus = Pipeline([], driver_stages).process_corpus(Corpus(articles=articles))
    lap("corpus-wide stages (driver)")
    corpus = per_story_stages(sc, corpus)
    lap("per-story stages (executors)")

    # Per-article tables are written after the corpus stages, which link mentions, speakers and
    # claim subjects to canonical entities; the rows are built back on the executors.
    final = sc.parallelize(list(enumerate(to_dict(a) for a in corpus.articles)), max(sc.defaultParallelism, 1))
    rows = final.map(lambda r: article_rows(r[1], r[0])).cache()  # every table's rows, built once
    for table in TABLES:
        df = spark.createDataFrame(rows.flatMap(lambda r, t=table: r[t]), table_schema(table), verifySchema=False)
        df.write.mode("overwrite").parquet(f"{out}/{table}")
    sizes = rows.map(lambda r: [len(r[t]) for t in TABLES]).fold([0] * len(TABLES), lambda x, y: [a + b for a, b in zip(x, y)])
    counts.update(zip(TABLES, sizes))
    rows.unpersist()
    lap("per-article tables")
    data = corpus.to_json()
    for table in CORPUS_TABLES:
        rows = [(i, json.dumps(obj, ensure_ascii=False)) for i, obj in enumerate(data[table])]
        spark.createDataFrame(rows, "seq long, json string").write.mode("overwrite").parquet(f"{out}/{table}")
        counts[table] = len(rows)
    spark.createDataFrame([{"json": json.dumps(e, ensure_ascii=False)} for e in errors] or [], "json string") \
        .write.mode("overwrite").parquet(f"{out}/errors")
    counts["errors"] = len(errors)
    lap("corpus tables")
    return counts


def load_corpus(path: str | Path) -> Corpus:
    """Read the job's Parquet output back into a Corpus (what `kabar load-parquet` stores).

    Each articles row keeps the whole annotated article as JSON, so nothing is rebuilt from the flat
    columns, which exist for people querying the tables.
    """
    import pyarrow.parquet as pq

    root = Path(path)

    def objects(table: str) -> list[dict[str, Any]]:
        folder = root / table
        if not folder.exists():
            return []
        table_ = pq.read_table(folder)
        if "seq" in table_.column_names:  # the corpus order is a column; Parquet files keep none
            table_ = table_.sort_by("seq")
        return [json.loads(s) for s in table_.column("json").to_pylist()]

    corpus = Corpus(
        articles=[from_dict(Article, d) for d in objects("articles")],
        entities=[from_dict(Entity, d) for d in objects("entities")],
        copies=[from_dict(Copy, d) for d in objects("copies")],
        slots=[from_dict(Slot, d) for d in objects("slots")],
        stories=[from_dict(Story, d) for d in objects("stories")],
    )
    return corpus


def session(master: str | None = "local[2]", app_name: str = "kabar"):
    """A session for local runs and tests; under spark-submit, pass master=None to keep its settings."""
    from pyspark.sql import SparkSession

    # Workers must run the interpreter that has kabar installed, not whatever `python3` is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
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
