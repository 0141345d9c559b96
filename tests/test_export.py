"""Exports: every table in every format reads back with its citations intact."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kabar.output.export import SCHEMAS, TABLES, export
from test_store_sample import XSS, sample_corpus


def _read(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_reads_back(tmp_path: Path, fmt: str) -> None:
    corpus = sample_corpus('"quoted", comma\nnewline ' + XSS[0])
    paths = export(corpus, tmp_path / fmt, fmt)
    assert [p.name for p in paths] == [f"{t}.{fmt}" for t in TABLES]
    tables = {p.stem: _read(p) for p in paths}
    for name, data in tables.items():
        assert data and list(data[0]) == SCHEMAS[name].names, name

    texts = {a.id: a.text for a in corpus.articles}
    counts = {"mentions": 6, "quotes": 3, "quantities": 3, "times": 3, "claims": 3, "articles": 3, "entities": 3}
    for name, n in counts.items():
        assert len(tables[name]) == n, name
    # one row per variant of s1, plus one row for the variant-less s2
    assert [r["slot"] for r in tables["slots"]] == ["s1", "s1", "s1", "s2"]
    for name in ("mentions", "quotes", "quantities", "times", "claims", "slots"):
        for r in tables[name]:
            if not r["article"]:
                continue
            start, end = int(r["start"]), int(r["end"])
            assert texts[r["article"]][start:end] == r["text"], (name, r)

    a0 = corpus.articles[0]
    art = next(r for r in tables["articles"] if r["id"] == a0.id)
    assert art["text"] == a0.text and art["title"] == a0.title
    quote = tables["quotes"][0]
    assert quote["speaker_name"] == corpus.entities[0].name
    via = quote["via"] if fmt != "csv" else json.loads(quote["via"])
    assert via == ["AFP"]
    qty = tables["quantities"][1]
    assert float(qty["low"]) == 10000.0 and qty["qualifier"] == ">="
    time = tables["times"][0]
    assert time["anchored"] in (True, "true") and time["value"] == "2024-10-28"


def test_parquet_types(tmp_path: Path) -> None:
    export(sample_corpus(), tmp_path, "parquet")
    table = pq.read_table(tmp_path / "slots.parquet")
    assert table.schema == SCHEMAS["slots"]
    assert table.column("low").to_pylist()[-1] is None


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export(sample_corpus(), tmp_path, "xlsx")  # type: ignore[arg-type]
