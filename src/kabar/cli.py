"""The `kabar` command line: a thin layer over ingest, pipeline, store, output, web, spark and eval."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kabar.model import Article, Corpus

app = typer.Typer(help="Kabar: many outlets' reports of one story, reconciled into one cited picture.", no_args_is_help=True)
eval_app = typer.Typer(help="Score Kabar's stages on external datasets.", no_args_is_help=True)
train_app = typer.Typer(help="Rebuild Kabar's trained models from data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

out = Console()
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[Optional[Path], typer.Option("--db", help="SQLite store (default: user data dir, or $KABAR_DB).")]
FromOpt = Annotated[
    Optional[Path], typer.Option("--from", help="Read a kabar.json instead of the store's latest analysis.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _store(db: Path | None):
    from kabar.store import Store, default_path

    return Store(db or default_path())


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def _read(paths: Iterable[Path], failures: list[tuple[str, str]]) -> Iterator[Article]:
    """Articles from `paths`; failures are reported as they happen and collected, never raised."""
    from kabar.ingest import read_paths

    for item in read_paths(paths):
        if isinstance(item, Article):
            yield item
        else:
            failures.append((item.source, item.reason))
            err.print(f"[red]failed[/red] {item.source}: {item.reason}", highlight=False)


def _summary(ok: int, failures: list[tuple[str, str]], extra: str = "") -> None:
    err.print(f"{ok} articles read, {len(failures)} failed{extra}", highlight=False)


def _corpus(db: Path | None, source: Path | None) -> Corpus:
    if source is not None:
        return Corpus.loads(source.read_text(encoding="utf-8"))
    return _store(db).load_corpus()


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ingest(paths: list[Path], db: DbOpt = None) -> None:
    """Read files or folders (text, HTML, JSON Lines, WARC) into the store. Re-ingesting changes nothing."""
    store = _store(db)
    failures: list[tuple[str, str]] = []
    run = store.start_run("ingest", [str(p) for p in paths])
    new = same = 0
    with _progress() as bar:
        task = bar.add_task("ingest", total=None)
        for article in _read(paths, failures):
            if store.add_article(article):
                new += 1
            else:
                same += 1
            bar.advance(task)
    for source, reason in failures:
        store.record_error(run, source, reason)
    store.finish_run(run, new + same, len(failures), [{"source": s, "reason": r} for s, r in failures])
    _summary(new + same, failures, f"; {new} new, {same} already stored ({store.path})")
    raise typer.Exit(1 if failures else 0)


@app.command()
def articles(db: DbOpt = None, limit: int = 50, offset: int = 0, as_json: JsonOpt = False) -> None:
    """List stored articles."""
    rows = _store(db).articles(limit=limit, offset=offset)
    if as_json:
        out.print_json(json.dumps([_article_row(a) for a in rows], ensure_ascii=False))
        return
    table = Table("id", "published", "lang", "outlet", "title")
    for a in rows:
        table.add_row(a.id, a.published or "", a.language or "", a.outlet or "", (a.title or "")[:70])
    out.print(table)


def _article_row(a: Article) -> dict:
    return {"id": a.id, "published": a.published, "language": a.language, "outlet": a.outlet, "title": a.title,
            "source": a.source}


@app.command()
def show(article_id: str, db: DbOpt = None) -> None:
    """An article's clean text, metadata and removed lines."""
    a = _store(db).get_article(article_id)
    if a is None:
        err.print(f"no article {article_id}")
        raise typer.Exit(1)
    meta = Table(show_header=False)
    for key in ("id", "source", "url", "outlet", "title", "author", "published", "language", "dateline"):
        meta.add_row(key, str(getattr(a, key) or ""))
    meta.add_row("wire credits", ", ".join(a.wire_credits))
    out.print(meta)
    out.print(a.text, highlight=False, markup=False)
    if a.removed:
        removed = Table("reason", "removed line", title="removed")
        for r in a.removed:
            removed.add_row(r.reason, r.text)
        out.print(removed)


@app.command()
def analyze(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders; none = the whole store.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where kabar.json, brief.md and report.html go.")] = Path("out"),
    db: DbOpt = None,
    store_results: Annotated[bool, typer.Option("--store/--no-store", help="Also save into the store.")] = False,
    embed: Annotated[bool, typer.Option("--embed/--no-embed", help="Text embeddings for story clustering.")] = True,
    ner: Annotated[str, typer.Option("--ner", help="Entity model: fast, e5 (more accurate, ~100x slower) or a folder.")] = "fast",
) -> None:
    """Run every stage over the articles and write the report, the brief and kabar.json."""
    from kabar.output.files import write_outputs
    from kabar.pipeline import Pipeline

    failures: list[tuple[str, str]] = []
    store = _store(db) if (store_results or not paths) else None
    if paths:
        inputs = list(_read(paths, failures))
    else:
        inputs = list(store.all_articles())  # type: ignore[union-attr]
    pipeline = Pipeline.default(embed=embed, ner=ner)
    with _progress() as bar:
        task = bar.add_task("analyse", total=len(inputs))
        annotated = []
        for article in pipeline.process_articles(inputs):
            annotated.append(article)
            bar.advance(task)
    corpus = pipeline.process_corpus(Corpus(articles=annotated))
    if store is not None:
        for a in corpus.articles:
            store.add_article(a)
        store.save_analysis(corpus)
    written = write_outputs(corpus, out_dir)
    _summary(len(corpus.articles), failures, f"; {len(corpus.stories)} stories, {len(corpus.entities)} entities, "
             f"{sum(len(a.claims) for a in corpus.articles)} claims")
    out.print(f"report: {written['report'].resolve()}", highlight=False)
    out.print(f"brief:  {written['markdown'].resolve()}", highlight=False)
    out.print(f"json:   {written['json'].resolve()}", highlight=False)
    raise typer.Exit(1 if failures else 0)


@app.command()
def entities(db: DbOpt = None, source: FromOpt = None, as_json: JsonOpt = False) -> None:
    """Canonical entities with aliases, roles and mention counts."""
    corpus = _corpus(db, source)
    if as_json:
        out.print_json(json.dumps([_dump(e) for e in corpus.entities], ensure_ascii=False))
        return
    table = Table("id", "type", "name", "mentions", "aliases", "roles")
    for e in sorted(corpus.entities, key=lambda e: -len(e.mentions)):
        table.add_row(e.id, e.type, e.name, str(len(e.mentions)), ", ".join(a for a in e.aliases if a != e.name),
                      "; ".join(e.roles))
    out.print(table)


@app.command()
def quotes(db: DbOpt = None, source: FromOpt = None, as_json: JsonOpt = False) -> None:
    """Who said what, across all articles, grouped by speaker."""
    corpus = _corpus(db, source)
    names = {e.id: e.name for e in corpus.entities}
    groups: dict[str, list] = {}
    for a in corpus.articles:
        for q in a.quotes:
            who = names.get(q.speaker or "", None) or f"(unresolved) {q.speaker_text or '?'}"
            groups.setdefault(who, []).append(q)
    if as_json:
        out.print_json(json.dumps({k: [_dump(q) for q in v] for k, v in groups.items()}, ensure_ascii=False))
        return
    for who, qs in sorted(groups.items(), key=lambda kv: (kv[0].startswith("("), -len(kv[1]), kv[0])):
        out.print(f"[bold]{who}[/bold] ({len(qs)})", highlight=False)
        for q in qs:
            via = f" via {', '.join(q.via)}" if q.via else ""
            out.print(f"  [{q.kind}] {q.text}  — {q.cue or ''}{via} [{q.cite.article}:{q.cite.start}]",
                      highlight=False, markup=False)


@app.command()
def claims(db: DbOpt = None, source: FromOpt = None, as_json: JsonOpt = False) -> None:
    """Claims per article, and the slots that reconcile them across sources."""
    corpus = _corpus(db, source)
    if as_json:
        data = corpus.to_json()
        out.print_json(json.dumps({"claims": data["claims"], "slots": data["slots"]}, ensure_ascii=False))
        return
    quantities = {q.id: q for a in corpus.articles for q in a.quantities}
    times = {t.id: t for a in corpus.articles for t in a.times}
    table = Table("claim", "source", "stance", "predicate", "quantity", "time", "sentence")
    for a in corpus.articles:
        for c in a.claims:
            q = quantities.get(c.quantity or "")
            t = times.get(c.time or "")
            table.add_row(c.id, c.source_text or "", c.stance, c.predicate, q.cite.text if q else "",
                          (t.value or t.text) if t else "", c.cite.text[:90])
    out.print(table)
    for slot in corpus.slots:
        out.print(f"[bold]{slot.label}[/bold]: {slot.status} ({slot.independent_sources} independent sources)",
                  highlight=False)
        for v in slot.variants:
            out.print(f"  {v.qualifier} {v.low}..{v.high}  {v.source_text or '?'}  {v.stance}  {v.as_of or ''}",
                      highlight=False, markup=False)


@app.command()
def timeline(db: DbOpt = None, source: FromOpt = None, as_json: JsonOpt = False) -> None:
    """Every dated event and claim on one time axis, with citations."""
    from dataclasses import asdict

    from kabar.crossdoc.timeline import build

    entries = build(_corpus(db, source))
    if as_json:
        out.print_json(json.dumps([asdict(e) for e in entries], ensure_ascii=False))
        return
    table = Table("when", "kind", "outlet", "sentence", "cite")
    for e in entries:
        when = e.when + (" (est.)" if e.estimated else "")
        table.add_row(when, e.kind, e.outlet or "", e.text[:100], f"{e.cite.article}:{e.cite.start}-{e.cite.end}")
    out.print(table)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out")] = Path("out/export"),
    fmt: Annotated[str, typer.Option("--format", help="csv | parquet | json")] = "csv",
    db: DbOpt = None,
    source: FromOpt = None,
) -> None:
    """Flat tables of entities, quotes, quantities, claims and slots for pandas, R or a spreadsheet."""
    from kabar.output.export import export as do_export

    if fmt not in ("csv", "parquet", "json"):
        raise typer.BadParameter("format must be csv, parquet or json")
    for path in do_export(_corpus(db, source), out_dir, fmt):
        out.print(str(path), highlight=False)


@app.command()
def serve(
    db: DbOpt = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: Annotated[Optional[str], typer.Option(envvar="KABAR_TOKEN", help="Enables writes for this bearer token.")] = None,
    ner: Annotated[str, typer.Option("--ner", help="Entity model for uploads: fast, e5 or a folder.")] = "fast",
) -> None:
    """Web app and HTTP API over the store (read-only unless a token is set)."""
    from kabar.store import default_path
    from kabar.web import serve as run_server

    run_server(db or default_path(), host=host, port=port, token=token, ner=ner)


@app.command()
def spark(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="JSON Lines or WARC: local path, hdfs:// or s3a://")],
    output_path: Annotated[str, typer.Argument(metavar="OUTPUT", help="Folder for the Parquet tables")],
    master: Annotated[str, typer.Option(help="Spark master")] = "local[2]",
    embed: bool = False,
) -> None:
    """Run the pipeline on Apache Spark and write Parquet tables (same job as spark-submit's)."""
    from kabar.spark.job import main as spark_main

    raise typer.Exit(spark_main([input_path, output_path, "--master", master] + (["--embed"] if embed else [])))


@app.command("load-parquet")
def load_parquet(path: Path, db: DbOpt = None) -> None:
    """Load a Spark job's Parquet output into the store, so the web app serves it."""
    from kabar.spark.job import load_corpus

    corpus = load_corpus(path)
    store = _store(db)
    for article in corpus.articles:
        store.add_article(article)
    store.save_analysis(corpus)
    err.print(f"{len(corpus.articles)} articles, {len(corpus.stories)} stories loaded into {store.path}")


def _dump(obj) -> dict:
    from kabar.model import to_dict

    return to_dict(obj)


def _run_eval(module: str, path: Path, **opts) -> None:
    import importlib

    mod = importlib.import_module(f"kabar.eval.{module}")
    result = mod.evaluate(path, **opts)
    out.print(mod.render(result), highlight=False, markup=False, soft_wrap=True)


@eval_app.command("ner")
def eval_ner(
    path: Path,
    fmt: Annotated[str, typer.Option("--format", help="conll (token POS tag) or tsv (token<TAB>tag)")] = "tsv",
    label_map: Annotated[Optional[str], typer.Option(help="e.g. PERSON=PER,LOCATION=LOC,ORGANIZATION=ORG")] = None,
    with_rules: Annotated[bool, typer.Option(help="Score the full recogniser with gazetteers and rules.")] = False,
    model: Annotated[str, typer.Option(help="Entity model: fast, e5 or a pipeline folder.")] = "fast",
) -> None:
    """Entity-level P/R/F1 of our NER on a token-per-line file (BIO or BILOU)."""
    mapping = dict(kv.split("=", 1) for kv in label_map.split(",")) if label_map else None
    _run_eval("ner", path, fmt=fmt, label_map=mapping, with_rules=with_rules, model_path=model)


@eval_app.command("quotes")
def eval_quotes(path: Path) -> None:
    """Statement detection and speaker attribution on a PFSA-ID-format file."""
    _run_eval("quotes", path)


@eval_app.command("clusters")
def eval_clusters(path: Path, method: str = "stream", embed: bool = False) -> None:
    """NMI, ARI, B-cubed F1 and accuracy of story clustering on a JSONL with gold `cluster`."""
    _run_eval("clusters", path, method=method, embed=embed)


@eval_app.command("summaries")
def eval_summaries(path: Path) -> None:
    """ROUGE-1/2/L of the single-document brief on IndoSum JSONL, next to lead-3."""
    _run_eval("summaries", path)


@train_app.command("ner")
def train_ner(
    data: Annotated[Path, typer.Option(help="Folder holding nerui/, nergrit/, idner-news-2k/")] = Path("../shared/data/ner"),
    model_out: Annotated[Optional[Path], typer.Option("--out", help="Default: the shipped model's folder.")] = None,
    e5: Annotated[bool, typer.Option("--e5/--fast", help="Build the e5 model (ner-id-e5) or the fast one.")] = False,
) -> None:
    """Rebuild a shipped NER model from the data (fixed seed)."""
    from kabar.nlp.ner_e5 import SHIPPED_FULL_SEEDS, SHIPPED_LAYERS, SHIPPED_SEEDS
    from kabar.nlp.ner_model import MODELS
    from kabar.nlp.train_ner import main as train_main

    out_dir = model_out or MODELS["e5" if e5 else "fast"]
    extra = (["--e5-layers", *map(str, SHIPPED_LAYERS), "--seed", *map(str, SHIPPED_SEEDS),
              "--full-seed", *map(str, SHIPPED_FULL_SEEDS)] if e5 else [])
    raise typer.Exit(train_main(["--data", str(data), "--out", str(out_dir), *extra]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
