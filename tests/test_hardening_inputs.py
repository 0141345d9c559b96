"""Malformed input never sinks a batch: every file of the malformed corpus (tests/malformed.py)
ingests, or fails alone with a reason and its own name, through `read_paths` and through the
real `kabar ingest` in a subprocess, whose peak memory stays bounded on the 50 MB inputs."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kabar.ingest import IngestError, read_paths
from kabar.model import Article
from kabar.store import Store
from malformed import Case, build_corpus, owner, run_kabar, top_level_paths

SLOW = {"one-line-5mb.txt"}  # ten seconds of cleaning on a busy machine: checked through the CLI only
MAX_RSS_MB = 1536
# Signs of a wrong decoding: replacement characters, C1 controls (Latin-1 read of UTF-8), mojibake.
_BAD_DECODING = re.compile("[\ufffd\x00\x80-\x9f]|â€|Ã[\xa0-\xbf]")
_SUMMARY = re.compile(r"(\d+) articles read, (\d+) failed; (\d+) new, (\d+) already stored")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    root = tmp_path_factory.mktemp("malformed")
    return root, build_corpus(root, big=True)


@contextmanager
def fifo_watchdog(root: Path, after: float = 120.0) -> Iterator[None]:
    """Reading a FIFO nobody writes to blocks forever: should a regression ever open one,
    give it a writer that closes at once (EOF) after `after` seconds, so the test fails, not hangs."""
    fifos = [p for p in root.rglob("*.fifo") if p.is_fifo()]

    def release() -> None:
        for fifo in fifos:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass  # no reader waiting on it, as it should be

    timer = threading.Timer(after, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _grouped(items: list, root: Path, cases: list[Case]) -> dict[str, tuple[list, list]]:
    """Items by the case whose file they name; an item naming no input fails the test."""
    out: dict[str, tuple[list, list]] = {c.name: ([], []) for c in cases}
    for item in items:
        case = owner(item.source, root, cases)
        assert case is not None, f"{item.source!r} names no input file"
        out[case.name][0 if isinstance(item, Article) else 1].append(item)
    return out


def _check_case(case: Case, articles: list, errors: list) -> None:
    """The file gave exactly what its case says, and each failure says why."""
    if case.articles is None:
        assert len(articles) + len(errors) == 1, (case.name, articles, errors)
    else:
        assert (len(articles), len(errors)) == (case.articles, case.failures), (case.name, errors)
    for e in errors:
        assert e.reason.strip() and case.reason in e.reason, (case.name, e.reason)


def test_read_paths_each_file_ingests_or_fails_alone(corpus: tuple[Path, list[Case]]) -> None:
    root, cases = corpus
    cases = [c for c in cases if c.name not in SLOW]
    with fifo_watchdog(root):
        items = list(read_paths(p for p in top_level_paths(root, cases)))
    assert all(isinstance(x, (Article, IngestError)) for x in items)
    groups = _grouped(items, root, cases)
    for case in cases:
        articles, errors = groups[case.name]
        _check_case(case, articles, errors)
        for a in articles:
            assert a.text.strip() and a.id == "a" + hashlib.sha1(a.text.encode()).hexdigest()[:10]
            assert not _BAD_DECODING.search(a.text), (case.name, _BAD_DECODING.search(a.text))
            assert case.contains in a.text, (case.name, a.text[:300])
            assert a.language == "id", (case.name, a.language)


def _squash(s: str, into: str = "") -> str:
    return re.sub(r"\s+", into, s)


def test_cli_ingest_survives_the_corpus_in_bounded_memory(corpus: tuple[Path, list[Case]], tmp_path: Path) -> None:
    root, cases = corpus
    db = tmp_path / "kabar.sqlite"
    with fifo_watchdog(root):
        run = run_kabar(["ingest", *map(str, top_level_paths(root, cases)), "--db", str(db)])
    assert run.code == 1, f"exit {run.code} (1 = some inputs failed; other codes = a crash)\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr
    assert run.maxrss_mb < MAX_RSS_MB, f"peak RSS {run.maxrss_mb:.0f} MB over 50 MB inputs"
    m = _SUMMARY.search(_squash(run.stderr, " "))
    assert m, run.stderr[-2000:]
    read, failed, new, same = map(int, m.groups())
    fixed = [c for c in cases if c.articles is not None]
    either = len(cases) - len(fixed)
    assert read + failed == sum(c.articles + c.failures for c in fixed) + either
    assert sum(c.articles for c in fixed) <= read <= sum(c.articles for c in fixed) + either
    assert new + same == read

    with Store(db) as store:
        assert store.integrity_check() == "ok"
        assert store.count("articles") == new
        last = store.runs(1)[0]
        assert (last.ok, last.failed, last.finished_at is not None) == (read, failed, True)
        recorded = [IngestError(s, r) for s, r in store.ingest_errors(last.id)]
        sources = [row.source for row in store.articles(limit=1000)]
    assert len(recorded) == failed
    groups = _grouped(recorded, root, cases)
    stderr = _squash(run.stderr)
    for case in fixed:
        _check_case(case, [None] * case.articles, groups[case.name][1])
    for e in recorded:  # rich may wrap lines at 80 columns: compare without whitespace
        assert _squash(f"failed {e.source}: {e.reason}") in stderr, f"no failure line names {e.source}"
    assert all(owner(s, root, cases) is not None for s in sources)
