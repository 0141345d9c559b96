"""Hardening benchmark: the real `kabar ingest` over the malformed corpus, against clean inputs.

    python benchmarks/bench_hardening.py [--clean 60] [--no-big]

Builds tests/malformed.py's corpus (empty, binary, NUL bytes, 50 MB files, a 5 MB line, wrong
and mixed encodings, broken and 10,000-deep HTML, cut and corrupt WARC and gzip, bad JSON
Lines, symlink loops, FIFOs, an unreadable file) in a temporary folder and runs the command
line over it twice in subprocesses; the baseline is the same over `--clean` well-formed
article files in the same run. Counted per run: inputs tried, articles expected and read,
failures, failures whose line names their file, crashes (an exit status other than 0/1 or a
traceback), articles lost, duplicate rows, rows a re-run adds, peak RSS of the subprocess
and wall time. Prints tables, then the figures as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from malformed import Case, CliRun, build_corpus, owner, run_kabar, top_level_paths, write_articles  # noqa: E402

from kabar.store import Store  # noqa: E402

_SUMMARY = re.compile(r"(\d+) articles read, (\d+) failed; (\d+) new, (\d+) already stored")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _summary(run: CliRun) -> tuple[int, int, int, int]:
    m = _SUMMARY.search(" ".join(run.stderr.split()))
    return tuple(map(int, m.groups())) if m else (0, 0, 0, 0)  # type: ignore[return-value]


def measure(label: str, root: Path, cases: list[Case], paths: list[Path], work: Path) -> dict:
    """Two CLI runs over `paths` into a fresh store, and what they did against what `cases` say."""
    db = work / f"{label}.sqlite"
    args = ["ingest", *map(str, paths), "--db", str(db)]
    started = time.perf_counter()
    first = run_kabar(args)
    wall = time.perf_counter() - started
    again = run_kabar(args)
    read, failed, _, _ = _summary(first)
    with Store(db) as store:
        first_run = store.runs(2)[-1]
        errors = store.ingest_errors(first_run.id)
        integrity = store.integrity_check()
    conn = sqlite3.connect(db)
    duplicates = conn.execute("SELECT count(*) - count(DISTINCT content_hash) FROM articles").fetchone()[0]
    conn.close()
    stderr = _squash(first.stderr)
    named = sum(owner(s, root, cases) is not None and _squash(f"failed {s}: {r}") in stderr for s, r in errors)
    expected = sum(c.articles or 0 for c in cases)
    return {
        "inputs": len(cases),
        "articles_expected": expected,
        "either_cases": sum(c.articles is None for c in cases),
        "articles_read": read,
        "failures": failed,
        "failures_named": named,
        "crashes": sum(r.code not in (0, 1) or "Traceback" in r.stderr for r in (first, again)),
        "articles_lost": max(0, expected - read),
        "duplicates": duplicates,
        "rerun_new": _summary(again)[2],
        "integrity": integrity,
        "peak_rss_mb": round(max(first.maxrss_mb, again.maxrss_mb), 1),
        "wall_s": round(wall, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clean", type=int, default=60, help="clean article files in the baseline")
    ap.add_argument("--no-big", action="store_true", help="leave out the 50 MB files and the 5 MB line")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kabar-hardening-") as tmp:
        work = Path(tmp)
        clean_root = work / "clean"
        clean_files = write_articles(clean_root, args.clean)
        clean_cases = [Case(str(p.relative_to(clean_root)), "clean", 1, 0) for p in clean_files]
        bad_root = work / "malformed"
        bad_cases = build_corpus(bad_root, big=not args.no_big)
        results = {
            "clean": measure("clean", clean_root, clean_cases, [clean_root], work),
            "malformed": measure("malformed", bad_root, bad_cases, top_level_paths(bad_root, bad_cases), work),
        }

    keys = list(results["clean"])
    print(f"{'':22}{'clean (baseline)':>18}{'malformed':>14}")
    for k in keys:
        print(f"{k:22}{results['clean'][k]!s:>18}{results['malformed'][k]!s:>14}")
    print()
    families = Counter(c.kind for c in bad_cases)
    print("malformed corpus by family (expected outcome; 'either' = one article or one failure)")
    print(f"{'family':12}{'inputs':>8}{'articles':>10}{'failures':>10}{'either':>8}")
    for kind, n in families.items():
        of = [c for c in bad_cases if c.kind == kind]
        fixed = [c for c in of if c.articles is not None]
        print(f"{kind:12}{n:>8}{sum(c.articles for c in fixed):>10}{sum(c.failures for c in fixed):>10}"
              f"{len(of) - len(fixed):>8}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
