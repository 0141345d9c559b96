"""Flat tables of a Corpus for spreadsheets and dataframes (CSV, Parquet, JSON).

Every finding row carries its citation as the columns `article, start, end,
text`, so a row can always be traced back to the exact span it came from.
Where a finding has its own text field (a quote, a time expression) that
field gets its own column name. Slots give one row per variant.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from kabar.model import Cite, Corpus

Format = Literal["csv", "parquet", "json"]
Row = dict[str, Any]

_S, _I, _F, _B, _L = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.list_(pa.string())
_CITE = [("article", _S), ("start", _I), ("end", _I), ("text", _S)]

SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema(fields)
    for name, fields in {
        "articles": [("id", _S), ("source", _S), ("outlet", _S), ("title", _S), ("author", _S), ("published", _S),
                     ("language", _S), ("url", _S), ("format", _S), ("wire_credits", _L), ("chars", _I),
                     ("text", _S)],
        "entities": [("id", _S), ("name", _S), ("type", _S), ("aliases", _L), ("roles", _L), ("mentions", _I),
                     ("articles", _I)],
        "mentions": [("id", _S), ("label", _S), ("source", _S), ("role", _S), ("entity", _S), *_CITE],
        "quotes": [("id", _S), ("quote", _S), ("kind", _S), ("speaker", _S), ("speaker_name", _S),
                   ("speaker_text", _S), ("cue", _S), ("via", _L), *_CITE],
        "quantities": [("id", _S), ("low", _F), ("high", _F), ("qualifier", _S), ("unit_text", _S), ("concept", _S),
                       ("value_text", _S), ("context", _S), *_CITE],
        "times": [("id", _S), ("expression", _S), ("value", _S), ("value_end", _S), ("granularity", _S),
                  ("anchored", _B), ("relation", _S), *_CITE],
        "claims": [("id", _S), ("subject", _S), ("subject_text", _S), ("predicate", _S), ("object", _S),
                   ("quantity", _S), ("time", _S), ("source", _S), ("source_text", _S), ("source_kind", _S),
                   ("stance", _S), ("via", _L), ("context", _S), *_CITE],
        "slots": [("slot", _S), ("label", _S), ("status", _S), ("concept", _S), ("subject", _S),
                  ("independent_sources", _I), ("claim", _S), ("low", _F), ("high", _F), ("qualifier", _S),
                  ("source", _S), ("source_text", _S), ("stance", _S), ("as_of", _S), ("independent_group", _S),
                  *_CITE],
    }.items()
}


def _cite(c: Cite | None) -> Row:
    return {"article": c.article, "start": c.start, "end": c.end, "text": c.text} if c else {}


def _articles(corpus: Corpus) -> Iterator[Row]:
    for a in corpus.articles:
        yield {"id": a.id, "source": a.source, "outlet": a.outlet, "title": a.title, "author": a.author,
               "published": a.published, "language": a.language, "url": a.url, "format": a.format,
               "wire_credits": a.wire_credits, "chars": len(a.text), "text": a.text}


def _entities(corpus: Corpus) -> Iterator[Row]:
    for e in corpus.entities:
        yield {"id": e.id, "name": e.name, "type": e.type, "aliases": e.aliases, "roles": e.roles,
               "mentions": sum(e.counts.values()), "articles": len(e.counts)}


def _mentions(corpus: Corpus) -> Iterator[Row]:
    for a in corpus.articles:
        for m in a.mentions:
            yield {"id": m.id, "label": m.label, "source": m.source, "role": m.role, "entity": m.entity,
                   **_cite(a.cite(m.start, m.end))}


def _quotes(corpus: Corpus) -> Iterator[Row]:
    names = {e.id: e.name for e in corpus.entities}
    for a in corpus.articles:
        for q in a.quotes:
            yield {"id": q.id, "quote": q.text, "kind": q.kind, "speaker": q.speaker,
                   "speaker_name": names.get(q.speaker or ""), "speaker_text": q.speaker_text, "cue": q.cue,
                   "via": q.via, **_cite(q.cite)}


def _quantities(corpus: Corpus) -> Iterator[Row]:
    for a in corpus.articles:
        for n in a.quantities:
            yield {"id": n.id, "low": n.low, "high": n.high, "qualifier": n.qualifier, "unit_text": n.unit_text,
                   "concept": n.concept, "value_text": n.value_text, "context": n.context, **_cite(n.cite)}


def _times(corpus: Corpus) -> Iterator[Row]:
    for a in corpus.articles:
        for t in a.times:
            yield {"id": t.id, "expression": t.text, "value": t.value, "value_end": t.end,
                   "granularity": t.granularity, "anchored": t.anchored, "relation": t.relation, **_cite(t.cite)}


def _claims(corpus: Corpus) -> Iterator[Row]:
    for a in corpus.articles:
        for c in a.claims:
            yield {"id": c.id, "subject": c.subject, "subject_text": c.subject_text, "predicate": c.predicate,
                   "object": c.object, "quantity": c.quantity, "time": c.time, "source": c.source,
                   "source_text": c.source_text, "source_kind": c.source_kind, "stance": c.stance, "via": c.via,
                   "context": c.context, **_cite(c.cite)}


def _slots(corpus: Corpus) -> Iterator[Row]:
    """One row per variant; a slot without variants still gets one row, with empty variant columns."""
    for s in corpus.slots:
        head = {"slot": s.id, "label": s.label, "status": s.status, "concept": s.concept, "subject": s.subject,
                "independent_sources": s.independent_sources}
        if not s.variants:
            yield head
        for v in s.variants:
            yield {**head, "claim": v.claim, "low": v.low, "high": v.high, "qualifier": v.qualifier,
                   "source": v.source, "source_text": v.source_text, "stance": v.stance, "as_of": v.as_of,
                   "independent_group": v.independent_group, **_cite(v.cite)}


TABLES: dict[str, Callable[[Corpus], Iterator[Row]]] = {
    "articles": _articles,
    "entities": _entities,
    "mentions": _mentions,
    "quotes": _quotes,
    "quantities": _quantities,
    "times": _times,
    "claims": _claims,
    "slots": _slots,
}


def rows(corpus: Corpus, table: str) -> list[Row]:
    """One table's rows, every schema column present (None where empty)."""
    names = SCHEMAS[table].names
    return [{n: r.get(n) for n in names} for r in TABLES[table](corpus)]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write(path: Path, table: str, data: list[Row], fmt: Format) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(data, schema=SCHEMAS[table]), path)
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(SCHEMAS[table].names)
            writer.writerows([_csv_cell(v) for v in r.values()] for r in data)
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def export(corpus: Corpus, out_dir: str | Path, fmt: Format = "csv") -> list[Path]:
    """Write every table as `out_dir/<table>.<fmt>`; returns the paths in table order."""
    if fmt not in ("csv", "parquet", "json"):
        raise ValueError(f"unknown export format {fmt!r} (csv, parquet, json)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = out / f"{table}.{fmt}"
        _write(path, table, rows(corpus, table), fmt)
        paths.append(path)
    return paths
