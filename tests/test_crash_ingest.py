"""Crash safety of the real `kabar ingest`: SIGKILL it at random points of a 300-file batch,
restart it each time, and the store ends with every article exactly once, whole (text and
the page-furniture lines removed from it, written in the same transaction), in WAL mode,
with the killed runs on record; one more run then changes nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kabar.ingest import read_paths
from kabar.store import Store
from malformed import FURNITURE_LINES, run_kabar, write_articles
from test_store_crash import count_articles

N = 300
KILLS = 3
SEED = 20241028
TABLES = ("articles", "removed", "sentences", "runs", "ingest_errors")


def _kill_at(args: list[str], db: Path, target: int, rng: random.Random) -> int:
    """Start `kabar ARGS`, SIGKILL it once the store exists and holds `target` articles, plus a
    random few ms, so the kill lands anywhere (creating the schema, reading, cleaning, inside a
    write transaction); returns the count left."""
    proc = subprocess.Popen([sys.executable, "-m", "kabar.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while (not db.exists() or count_articles(db) < target) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"the run ended ({proc.returncode}) before the kill at {target}"
    return count_articles(db)


def _table_counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {t: store.count(t) for t in TABLES}


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_and_restart_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    files = write_articles(tmp_path / "in", N)
    db = tmp_path / "kabar.sqlite"
    args = ["ingest", str(tmp_path / "in"), "--db", str(db)]
    rng = random.Random(SEED)

    stored = 0
    for target in [0, *sorted(rng.sample(range(10, N - 40), KILLS))]:  # 0: as the store is being created
        left = _kill_at(args, db, target, rng)
        assert left >= stored, "a restart lost articles an earlier run had stored"
        stored = left
    assert 0 < stored < N

    final = run_kabar(args)
    assert final.code == 0, final.stderr[-2000:]
    assert f"{N} articles read, 0 failed; {N - stored} new, {stored} already stored" in " ".join(final.stderr.split())

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, source, content_hash FROM articles").fetchall()
        runs = conn.execute("SELECT finished_at IS NOT NULL FROM runs ORDER BY id").fetchall()
    finally:
        conn.close()
    assert len(rows) == N, "articles lost"
    assert len({r[0] for r in rows}) == len({r[2] for r in rows}) == N, "articles duplicated"
    by_source = {r[1]: r[0] for r in rows}
    assert sorted(by_source) == sorted(map(str, files)), "not every input file has its article"
    finished = [bool(r[0]) for r in runs]  # the first kill may come before its run is recorded
    assert finished[-1] and not any(finished[:-1]) and len(finished) >= KILLS + 1, "killed runs stay unfinished"
    sample = {str(p) for p in rng.sample(files, 20)}
    fresh = {a.source: a for a in read_paths(sorted(sample))}
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        assert store.count("removed") == FURNITURE_LINES * N
        for article in store.all_articles():  # every article whole: text, and every line removed from it
            assert article.id == "a" + article.content_hash[:10]
            assert len(article.removed) == FURNITURE_LINES, (article.source, article.removed)
            if article.source in sample:  # and just what a fresh read of its file gives
                assert (article.id, article.removed) == (fresh[article.source].id, fresh[article.source].removed)

    before = _table_counts(db)
    again = run_kabar(args)
    assert again.code == 0
    assert f"{N} articles read, 0 failed; 0 new, {N} already stored" in " ".join(again.stderr.split())
    after = _table_counts(db)
    assert after == {**before, "runs": before["runs"] + 1}, "a re-run added or removed rows"
