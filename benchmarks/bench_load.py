"""Load on the real web server: mixed reads and searches, alone and with concurrent uploads.

Starts `kabar.web` under uvicorn in a subprocess on 127.0.0.1, with a store filled
with IndoSum articles (CC BY-SA 4.0, Kurniawan and Louvan 2018; see its README.txt),
then runs two bounded phases with the same client threads and request mix:

  baseline  reads only
  mixed     the same reads while one more client POSTs held-out articles to /api/ingest

and prints throughput, p50/p99 latency and errors per phase, then one JSON line.

    .venv/bin/python benchmarks/bench_load.py ../shared/data/summaries/indosum --seconds 20 --clients 8

`--pipeline none` (default) runs uploads through ingestion and the store with no NLP
stages, so the figures are those of the web and store path; `--pipeline default` uses
Pipeline.default(embed=False), whose corpus stages re-run over the whole store per upload.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

TOKEN = "bench-token"
_SPACE_BEFORE = re.compile(r" ([.,:;!?%)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def detokenize(tokens: list[str]) -> str:
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", " ".join(tokens)))


def read_indosum(folder: Path) -> list[dict]:
    """IndoSum records as {id, text, outlet, url, sentences}, text rebuilt from its tokens."""
    docs = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            paragraphs, spans, pos = [], [], 0
            for para in d["paragraphs"]:
                sents = [detokenize(s) for s in para]
                for s in sents:
                    spans.append((pos, pos + len(s)))
                    pos += len(s) + 1
                paragraphs.append(" ".join(sents))
                pos += 1  # "\n\n" between paragraphs: one more than the " " counted above
            docs.append({"id": d["id"], "text": "\n\n".join(paragraphs), "outlet": d.get("source"),
                         "url": d.get("source_url"), "sentences": spans})
    return docs


def fill_store(db: Path, docs: list[dict]) -> None:
    from kabar.model import Article, Sentence
    from kabar.store import Store

    with Store(db) as store:
        for d in docs:
            text = d["text"]
            first = d["sentences"][0]
            store.add_article(Article(
                id="a" + hashlib.sha1(text.encode()).hexdigest()[:10], text=text, source=d["url"] or d["id"],
                outlet=d["outlet"], title=text[first[0]:first[1]][:120], language="id", url=d["url"],
                sentences=[Sentence(s, e) for s, e in d["sentences"]],
            ))


# --- server -------------------------------------------------------------------------


def serve(db: str, pipeline_name: str) -> None:
    """Server mode (run in the subprocess): print the bound port, then serve until killed."""
    import uvicorn

    from kabar.pipeline import Pipeline
    from kabar.web.app import create_app

    pipeline = Pipeline([], []) if pipeline_name == "none" else Pipeline.default(embed=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    app = create_app(db, token=TOKEN, pipeline=pipeline)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


def start_server(db: Path, pipeline_name: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(db), "--pipeline", pipeline_name],
                            stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/articles?limit=1", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


# --- load ---------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[f"{kind}: {why}"] += 1


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def reader(
    base: str, ids: list[str], words: list[str], until: float, budget: list[int], tally: Tally, seed: int
) -> None:
    rnd = random.Random(seed)
    mix = [
        (20, "api/articles", lambda: f"/api/articles?limit=50&offset={rnd.randrange(max(1, len(ids) - 50))}"),
        (20, "api/article", lambda: f"/api/articles/{rnd.choice(ids)}"),
        (20, "article page", lambda: f"/articles/{rnd.choice(ids)}"),
        (15, "api/search", lambda: f"/api/search?q={rnd.choice(words)}+{rnd.choice(words)}"),
        (10, "search page", lambda: f"/search?q={rnd.choice(words)}"),
        (10, "home", lambda: "/"),
        (5, "api/stories", lambda: "/api/stories"),
    ]
    weights = [w for w, _, _ in mix]
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < until:
            with tally.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            _, kind, path = rnd.choices(mix, weights)[0]
            t = time.perf_counter()
            try:
                r = client.get(path())
                tally.add(kind, time.perf_counter() - t, r.status_code == 200, str(r.status_code))
            except httpx.HTTPError as exc:
                tally.add(kind, time.perf_counter() - t, False, type(exc).__name__)


def uploader(base: str, docs: list[dict], until: float, batch: int, tally: Tally, added: list[int]) -> None:
    """POST held-out articles `batch` files at a time, back to back, until time or articles run out."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=base, timeout=600) as client:
        for i in range(0, len(docs), batch):
            if time.monotonic() >= until:
                return
            files = [("files", (f"{d['id']}.txt", d["text"].encode(), "text/plain")) for d in docs[i:i + batch]]
            t = time.perf_counter()
            try:
                r = client.post("/api/ingest", files=files, headers=headers)
                ok = r.status_code == 200
                tally.add("POST ingest", time.perf_counter() - t, ok, str(r.status_code))
                if ok:
                    added[0] += len(r.json()["added"])
            except httpx.HTTPError as exc:
                tally.add("POST ingest", time.perf_counter() - t, False, type(exc).__name__)


def run_phase(
    base: str, ids: list[str], words: list[str], args: argparse.Namespace, uploads: list[dict] | None
) -> dict:
    tally, budget, added = Tally(), [args.max_requests], [0]
    start = time.monotonic()
    until = start + args.seconds
    threads = [threading.Thread(target=reader, args=(base, ids, words, until, budget, tally, i))
               for i in range(args.clients)]
    if uploads is not None:
        threads.append(threading.Thread(target=uploader, args=(base, uploads, until, args.batch, tally, added)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    reads = [x for k, v in tally.latencies.items() if k != "POST ingest" for x in v]
    posts = tally.latencies.get("POST ingest", [])
    return {
        "seconds": round(elapsed, 2),
        "reads": len(reads),
        "reads_per_s": round(len(reads) / elapsed, 1),
        "p50_ms": round(_pct(reads, 0.50) * 1000, 1),
        "p99_ms": round(_pct(reads, 0.99) * 1000, 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "per_kind_p50_ms": {k: round(statistics.median(v) * 1000, 1) for k, v in sorted(tally.latencies.items())},
        "posts": len(posts),
        "post_p50_ms": round(_pct(posts, 0.5) * 1000, 1) if posts else None,
        "articles_uploaded": added[0],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("indosum", nargs="?", type=Path, help="IndoSum folder (its *.jsonl files)")
    ap.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    ap.add_argument("--clients", type=int, default=8, help="concurrent reader threads")
    ap.add_argument("--max-requests", type=int, default=50_000, help="read requests per phase at most")
    ap.add_argument("--articles", type=int, default=1000, help="articles in the store before the run")
    ap.add_argument("--batch", type=int, default=2, help="files per upload")
    ap.add_argument("--pipeline", choices=("none", "default"), default="none")
    ap.add_argument("--serve", metavar="DB", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.pipeline)
        return 0
    if args.indosum is None:
        ap.error("the IndoSum folder is required")

    docs = read_indosum(args.indosum)
    random.Random(0).shuffle(docs)
    stored, held_out = docs[: args.articles], docs[args.articles :]
    words = sorted({w.lower() for d in stored[:200] for w in re.findall(r"[A-Za-z]{5,}", d["text"])})
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        t = time.perf_counter()
        fill_store(db, stored)
        fill_s = time.perf_counter() - t
        from kabar.store import Store

        with Store(db) as store:
            ids = [a.id for a in store.articles(limit=len(stored))]
        proc, base = start_server(db, args.pipeline)
        try:
            baseline = run_phase(base, ids, words, args, None)
            mixed = run_phase(base, ids, words, args, held_out)
        finally:
            proc.terminate()
            proc.wait(10)
        with Store(db) as store:
            integrity, final_count = store.integrity_check(), store.count()

    print(f"store: {len(ids)} IndoSum articles (filled in {fill_s:.1f} s); {args.clients} reader clients; "
          f"{args.seconds:g} s per phase; pipeline={args.pipeline}")
    print(f"{'phase':10} {'reads':>7} {'reads/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'POSTs':>6} "
          f"{'POST p50 ms':>12} {'uploaded':>9}")
    for name, r in (("baseline", baseline), ("mixed", mixed)):
        print(f"{name:10} {r['reads']:7d} {r['reads_per_s']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} "
              f"{r['errors']:7d} {r['posts']:6d} {r['post_p50_ms'] or 0:12.1f} {r['articles_uploaded']:9d}")
    print("p50 ms by request:", json.dumps(mixed["per_kind_p50_ms"], ensure_ascii=False))
    slowdown = mixed["p50_ms"] / baseline["p50_ms"] if baseline["p50_ms"] else None
    result = {"bench": "load", "articles": len(ids), "clients": args.clients, "pipeline": args.pipeline,
              "baseline": baseline, "mixed": mixed, "p50_slowdown": round(slowdown, 2) if slowdown else None,
              "final_articles": final_count, "integrity": integrity}
    print(json.dumps(result, ensure_ascii=False))
    return 0 if baseline["errors"] == 0 and mixed["errors"] == 0 and integrity == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
