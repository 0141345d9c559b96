"""Indonesian NER benchmark: the IndoLEM 5-fold protocol on NER UI, plus NERGrit and idner-news-2k.

    python benchmarks/bench_ner.py ../shared/data/ner

Per NER UI fold N, each system is trained in this run on train.0N (IndoLEM's
protocol) and scored on test.0N (entity-level exact-match F1,
`kabar.eval.ner.score_spans`), with dev.0N used only to pick the checkpoint:
  baseline   spaCy's own efficiency NER config (blank "id")
  kabar      the shipped config (ner_config.cfg: a narrower, shallower tok2vec)
  kabar-all  the shipped config on train.0N + NERGrit train + idner-news-2k train, as the
             shipped model is trained (on request; costs 3x)
  kabar-e5   kabar-all with e5's hidden states (--e5-layers) beside smaller hashed tables, one
             model per --e5-seeds seed, one with full-size tables per --e5-full-seeds seed, and
             their vote, as the shipped "e5" model is built (on request)
  kabar-e5-silver  kabar-e5 self-trained (`ner_distil`): the fold's kabar-e5 vote labels
             --silver sentences drawn from --unlabelled news, and members as kabar-e5's train on
             gold and silver, then vote (on request)
Training and silver sentences that also occur in test.0N or dev.0N are dropped. Every system gets the
same --epochs. The fold-1 models of the two most developed systems run (kabar-e5-silver, kabar-e5,
kabar-all, kabar, in that order) are also scored on NERGrit valid and idner-news-2k dev, which they never saw. Published figures (IndoLEM, Koto et al. 2020): IndoBERT 90.1, mBERT 82.2.
Speed is each shipped model on one core (sentences and words per second on NER UI
test.01 tokens); size is the shipped model directory on disk. Each trained model
and its scores are cached in --work, so an interrupted run resumes.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as measured; before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from kabar.eval.ner import predict_model, score_spans  # noqa: E402
from kabar.nlp.ner_data import TaggedSentence, dedupe  # noqa: E402
from kabar.nlp.ner_distil import SILVER_SENTENCES, distil_vote, pick_sentences, read_unlabelled  # noqa: E402
from kabar.nlp.ner_e5 import SHIPPED_FULL_SEEDS, SHIPPED_LAYERS, SHIPPED_SEEDS, cached_vectors, vote_members  # noqa: E402
from kabar.nlp.ner_model import MODELS, model_path  # noqa: E402
from kabar.nlp.train_ner import CONFIG, load_set, train_pipeline  # noqa: E402

PUBLISHED = {"IndoBERT (IndoLEM)": 0.901, "mBERT (IndoLEM)": 0.822}


def efficiency_config(path: Path) -> Path:
    """spaCy's stock efficiency NER config for blank Indonesian, written out for the baseline."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="id", pipeline=["ner"], optimize="efficiency")
    cfg.to_disk(path)
    return path


def score(model: Path, sents: Sequence[TaggedSentence]) -> dict[str, Any]:
    return score_spans([s.spans for s in sents], predict_model(sents, model))


def run_name(system: str, fold: int, epochs: int, e5_layers: Sequence[int], e5_seeds: Sequence[int],
             silver: int = SILVER_SENTENCES, full_seeds: Sequence[int] = ()) -> str:
    """Where one system's fold model (and, with .json, its scores) is cached in --work."""
    name = f"{system}-{fold}-e{epochs}"
    if system.startswith("kabar-e5"):
        name += f"-l{'-'.join(map(str, e5_layers))}"
        name += f"-s{'-'.join(map(str, e5_seeds))}" if e5_seeds else ""
        name += f"-f{'-'.join(map(str, full_seeds))}" if full_seeds else ""
    if system == "kabar-e5-silver":
        name += f"-u{silver}"
    return name


def run_fold(
    root: Path,
    fold: int,
    system: str,
    work: Path,
    overrides: dict[str, Any],
    epochs: int,
    e5_layers: Sequence[int] = SHIPPED_LAYERS,
    e5_seeds: Sequence[int] = SHIPPED_SEEDS,
    unlabelled: Sequence[Path] = (),
    silver: int = SILVER_SENTENCES,
    full_seeds: Sequence[int] = SHIPPED_FULL_SEEDS,
) -> dict[str, Any]:
    """Train (or reuse) one system on one fold and score it on test.0N (kabar-e5: the vote of its
    members, small and full-size, and each member alone)."""
    model = work / run_name(system, fold, epochs, e5_layers, e5_seeds, silver, full_seeds)
    cache = model.with_name(model.name + ".json")
    if cache.is_file():
        return json.loads(cache.read_text())
    test = load_set(root, f"nerui-test-{fold}")
    dev = load_set(root, f"nerui-dev-{fold}")
    train = load_set(root, f"nerui-train-{fold}")
    config = CONFIG
    overrides = {**overrides, "training.max_epochs": epochs}
    if system == "baseline":
        config = efficiency_config(work / f"efficiency-{fold}.cfg")
        overrides = {"training.max_epochs": epochs}
    if system in ("kabar-all", "kabar-e5", "kabar-e5-silver"):
        train = train + load_set(root, "nergrit-train") + load_set(root, "idner-train")
    train = dedupe(train, test, dev)
    result: dict[str, Any] = {"fold": fold, "system": system}
    if system == "kabar-e5-silver":
        run_fold(root, fold, "kabar-e5", work, overrides, epochs, e5_layers, e5_seeds, full_seeds=full_seeds)  # the teacher
        teacher = work / run_name("kabar-e5", fold, epochs, e5_layers, e5_seeds, full_seeds=full_seeds)
        sentences = pick_sentences(read_unlabelled(unlabelled), silver, exclude=[*train, *dev, *test])
        record = distil_vote(train, dev, model, seeds=e5_seeds, full_seeds=full_seeds, unlabelled=sentences,
                             teacher=teacher, config=config, overrides=overrides, e5_layers=e5_layers)
        result["members_test_f1"] = {m: score(model / m, test)["overall"]["f1"] for m in record["members"]}
    elif system == "kabar-e5" and len(e5_seeds) + len(full_seeds) > 1:
        # a member is the one-seed run, trained once and reused by every vote that lists it, so a
        # bigger vote trains only its new members; the vote's folder holds just the members.json
        one = {m: ([], [s]) if full else ([s], []) for m, s, full in vote_members(e5_seeds, full_seeds)}
        with cached_vectors():
            runs = {m: run_fold(root, fold, system, work, overrides, epochs, e5_layers, small, full_seeds=full)
                    for m, (small, full) in one.items()}
        model.mkdir(parents=True, exist_ok=True)
        names = [f"../{run_name(system, fold, epochs, e5_layers, small, full_seeds=full)}" for small, full in one.values()]
        (model / "members.json").write_text(json.dumps({"members": names}) + "\n", encoding="utf-8")
        record = {"seeds": list(e5_seeds), "full_seeds": list(full_seeds), "members": {m: r["train"] for m, r in runs.items()}}
        result["members_test_f1"] = {m: r["test"]["overall"]["f1"] for m, r in runs.items()}
    else:
        e5 = system == "kabar-e5"
        _, seed, full = vote_members(e5_seeds, full_seeds)[0] if e5 else ("", 0, False)
        record = train_pipeline(train, dev, model, config=config, overrides=overrides, e5_layers=e5_layers if e5 else (),
                                seed=seed, full_tables=full)
    result.update({"train": record, "test": score(model, test)})
    cache.write_text(json.dumps(result, indent=1))
    return result


def speed(model: Path, sents: Sequence[TaggedSentence], repeat: int = 3) -> dict[str, float]:
    """Best of `repeat` passes over the sentences, one process on one core, each with the
    model's per-word cache empty at the start."""
    from kabar.nlp import ner_model

    nlp = ner_model.load_model(model.resolve())
    best = float("inf")
    for _ in range(repeat):
        ner_model._greedy.cache_clear()
        t0 = time.perf_counter()
        for i in range(0, len(sents), 256):
            ner_model.ents(nlp, [s.words for s in sents[i:i + 256]])
        best = min(best, time.perf_counter() - t0)
    words = sum(len(s.words) for s in sents)
    return {"sentences_per_s": len(sents) / best, "words_per_s": words / best}


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="NER data root (../shared/data/ner)")
    ap.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--systems", nargs="+", default=["baseline", "kabar"], choices=["baseline", "kabar", "kabar-all", "kabar-e5", "kabar-e5-silver"])
    ap.add_argument("--epochs", type=int, default=15, help="max epochs for every system (checkpoint by dev.0N)")
    ap.add_argument("--jobs", type=int, default=1, help="folds trained at once")
    ap.add_argument("--work", type=Path, default=Path("out/bench_ner"), help="cache of trained fold models")
    ap.add_argument("--models", nargs="+", default=list(MODELS), help="shipped models (names or folders), for speed and size")
    ap.add_argument("--e5-layers", type=int, nargs="+", default=list(SHIPPED_LAYERS), help="kabar-e5's e5 layers")
    ap.add_argument("--e5-seeds", type=int, nargs="*", default=list(SHIPPED_SEEDS), help="kabar-e5: several = a vote")
    ap.add_argument("--e5-full-seeds", type=int, nargs="*", default=list(SHIPPED_FULL_SEEDS),
                    help="kabar-e5: more members, with full-size hashed tables")
    ap.add_argument("--unlabelled", type=Path, nargs="+", default=[],
                    help="kabar-e5-silver: news to draw silver sentences from (../shared/data/summaries/indosum/*.jsonl)")
    ap.add_argument("--silver", type=int, default=SILVER_SENTENCES, help="kabar-e5-silver: sentences drawn")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="kabar config override")
    args = ap.parse_args(argv)
    if "kabar-e5-silver" in args.systems and not args.unlabelled:
        ap.error("kabar-e5-silver needs --unlabelled")
    if not args.e5_seeds + args.e5_full_seeds:
        ap.error("kabar-e5 needs --e5-seeds or --e5-full-seeds")
    args.work.mkdir(parents=True, exist_ok=True)
    overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}

    results: dict[tuple[str, int], dict[str, Any]] = {}
    # kabar-e5-silver's teachers are kabar-e5's fold models: train those first, never twice at once
    for phase in ([s for s in args.systems if s != "kabar-e5-silver"], [s for s in args.systems if s == "kabar-e5-silver"]):
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = {(s, f): pool.submit(run_fold, args.data, f, s, args.work, overrides, args.epochs, args.e5_layers,
                                           args.e5_seeds, args.unlabelled, args.silver, args.e5_full_seeds)
                       for f in args.folds for s in phase}
            results.update({j: fut.result() for j, fut in futures.items()})
    f1 = {s: [results[s, f]["test"]["overall"]["f1"] for f in args.folds] for s in args.systems}
    avg = {s: sum(v) / len(v) for s, v in f1.items()}

    other: dict[str, float] = {}
    probes = [s for s in ("kabar-e5-silver", "kabar-e5", "kabar-all", "kabar") if s in args.systems][:2]
    for probe in probes if 1 in args.folds else []:
        for name in ("nergrit-valid", "idner-dev"):
            model = args.work / run_name(probe, 1, args.epochs, args.e5_layers, args.e5_seeds, args.silver, args.e5_full_seeds)
            other[f"{probe} fold-1 on {name}"] = score(model, load_set(args.data, name))["overall"]["f1"]
    test1 = load_set(args.data, "nerui-test-1")
    shipped = {m: model_path(m) for m in args.models}
    spd = {m: speed(p, test1, repeat=3 if m == "fast" else 1) for m, p in shipped.items()}
    size = {m: dir_mb(p) for m, p in shipped.items()}

    print(f"NER UI, IndoLEM protocol (test.0N F1, exact span+type; folds {args.folds}; max {args.epochs} epochs)")
    print(f"{'system':<34}" + "".join(f"{'f' + str(f):>8}" for f in args.folds) + f"{'avg':>8}")
    for s in args.systems:
        print(f"{s:<34}" + "".join(f"{x * 100:>8.1f}" for x in f1[s]) + f"{avg[s] * 100:>8.1f}")
        members = [results[s, f].get("members_test_f1") or {} for f in args.folds]
        for m in members[0]:
            row = [fm[m] for fm in members]
            print(f"{'  one member, ' + m:<34}" + "".join(f"{x * 100:>8.1f}" for x in row) + f"{sum(row) / len(row) * 100:>8.1f}")
    for name, v in PUBLISHED.items():
        print(f"{name + ' (published)':<34}" + " " * 8 * len(args.folds) + f"{v * 100:>8.1f}")
    for name, v in other.items():
        print(f"{name:<40} F1 {v * 100:.1f}")
    for m in shipped:
        print(f"shipped model {m}: {spd[m]['sentences_per_s']:.0f} sentences/s, {spd[m]['words_per_s']:.0f} words/s on one core, {size[m]:.1f} MB")
    summary = {
        "folds": args.folds,
        "f1": f1,
        "avg_f1": avg,
        "per_type_avg_f1": {
            s: {
                t: sum(results[s, f]["test"]["per_type"][t]["f1"] for f in args.folds) / len(args.folds)
                for t in ("PER", "ORG", "LOC")
            }
            for s in args.systems
        },
        "published": PUBLISHED,
        "other_sets_f1": other,
        "speed": spd,
        "model_mb": size,
        "overrides": overrides,
        "epochs": args.epochs,
        "e5_layers": args.e5_layers,
        "e5_seeds": args.e5_seeds,
        "e5_full_seeds": args.e5_full_seeds,
        "silver": args.silver if "kabar-e5-silver" in args.systems else 0,
        "e5_members_test_f1": {s: {f: results[s, f].get("members_test_f1") for f in args.folds}
                               for s in args.systems if s.startswith("kabar-e5")},
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
