"""Rebuild the shipped Indonesian NER pipeline (src/kabar/models/ner-id) from the NER datasets.

    python -m kabar.nlp.train_ner --data ../shared/data/ner --out src/kabar/models/ner-id

Trains a blank "id" spaCy pipeline with `ner_config.cfg` through spaCy's own
config system (fixed seed, no downloads). By default it trains on every NER UI
sentence plus NERGrit train and idner-news-2k train, and uses NERGrit valid +
idner-news-2k dev only to pick the best checkpoint; training sentences that
also occur in the selection sets are dropped. The benchmark reuses
`train_pipeline` per NER UI fold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kabar.nlp.ner_data import TaggedSentence, dedupe, read_ner
from kabar.nlp.ner_distil import SILVER_SENTENCES, distil_vote, pick_sentences, read_unlabelled
from kabar.nlp.ner_model import DEFAULT_MODEL as MODEL_DIR, store_half

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "ner_config.cfg"
KEEP_IN_OUT = ("README.md",)  # hand-written notes beside the pipeline survive a rebuild

# Named sets, relative to the NER data root. NER UI's folds re-split one pool of
# 2,126 sentences, so "nerui-all" is train.01 + dev.01 + test.01.
SETS: dict[str, tuple[str, ...]] = {
    **{f"nerui-train-{n}": (f"nerui/train.0{n}.tsv",) for n in range(1, 6)},
    **{f"nerui-dev-{n}": (f"nerui/dev.0{n}.tsv",) for n in range(1, 6)},
    **{f"nerui-test-{n}": (f"nerui/test.0{n}.tsv",) for n in range(1, 6)},
    "nerui-all": ("nerui/train.01.tsv", "nerui/dev.01.tsv", "nerui/test.01.tsv"),
    "nergrit-train": ("nergrit/train_preprocess.txt",),
    "nergrit-valid": ("nergrit/valid_preprocess.txt",),
    "idner-train": ("idner-news-2k/train.txt",),
    "idner-dev": ("idner-news-2k/dev.txt",),
}
SHIPPED_TRAIN = ("nerui-all", "nergrit-train", "idner-train")
SHIPPED_DEV = ("nergrit-valid", "idner-dev")


def load_set(root: str | Path, name: str) -> list[TaggedSentence]:
    """Sentences of a named set (see SETS), repeats within it removed."""
    if name not in SETS:
        raise KeyError(f"unknown NER set {name!r}; known: {', '.join(SETS)}")
    out: list[TaggedSentence] = []
    for rel in SETS[name]:
        out.extend(read_ner(Path(root) / rel))
    return dedupe(out)


def load_sets(root: str | Path, names: Iterable[str]) -> list[TaggedSentence]:
    return [s for n in names for s in load_set(root, n)]


def _docbin(sents: Sequence[TaggedSentence], path: Path) -> None:
    """Gold docs on the datasets' own tokens, written where spaCy's corpus reader finds them."""
    import spacy
    from spacy.tokens import Doc, DocBin, Span

    vocab = spacy.blank("id").vocab
    db = DocBin(store_user_data=False)
    for s in sents:
        doc = Doc(vocab, words=s.words)
        doc.ents = [Span(doc, a, b, label=lab) for a, b, lab in s.spans]
        db.add(doc)
    db.to_disk(path)


def train_pipeline(
    train: Sequence[TaggedSentence],
    dev: Sequence[TaggedSentence],
    out: str | Path,
    *,
    config: str | Path = CONFIG,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    e5_layers: Sequence[int] = (),
    full_tables: bool = False,
) -> dict[str, Any]:
    """Train with spaCy's config system; put the best checkpoint (by dev F1) at `out`.

    The copy leaves out what `ner_model.load_model` never reads: spaCy's tokenizer (Kabar's own
    tokens go in) and the string table of the training words (features are hashed from the text
    at hand; labels live with the NER), which were nearly half of a small model's bytes. The
    weights are then stored as float16 (`ner_model.store_half`), halving the rest.

    With `e5_layers`, the tok2vec also reads e5's hidden states at those layers (`ner_e5`), beside
    hash tables shrunk to `ner_e5.E5_ROWS` unless `full_tables`.
    Returns the training record (sizes, seed, overrides, spaCy's dev scores, seconds).
    """
    from spacy.cli.train import train as spacy_train
    from spacy.util import load_config

    from kabar.nlp.ner_e5 import cached_vectors, config_with_e5

    out = Path(out)
    config_name = Path(config).name
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="kabar-ner-") as tmp:
        tmpd = Path(tmp)
        _docbin(train, tmpd / "train.spacy")
        _docbin(dev, tmpd / "dev.spacy")
        ov = {
            "paths.train": str(tmpd / "train.spacy"),
            "paths.dev": str(tmpd / "dev.spacy"),
            "system.seed": seed,
            **(overrides or {}),
        }
        if e5_layers:
            config_with_e5(load_config(config), e5_layers, full_tables).to_disk(tmpd / "config.cfg")
            config = tmpd / "config.cfg"
        with cached_vectors():
            spacy_train(config, tmpd / "run", overrides=ov)
        best = tmpd / "run" / "model-best"
        kept = {name: (out / name).read_bytes() for name in KEEP_IN_OUT if (out / name).is_file()}
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(best, out, ignore=shutil.ignore_patterns("tokenizer"))
        (out / "vocab" / "strings.json").write_text("[]\n", encoding="utf-8")
        store_half(out)
        saved = load_config(out / "config.cfg")  # the temporary data paths would differ at every rebuild
        saved["paths"].update(train=None, dev=None)
        saved.to_disk(out / "config.cfg")
        for name, data in kept.items():
            (out / name).write_bytes(data)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    return {
        "train_sentences": len(train),
        "dev_sentences": len(dev),
        "seed": seed,
        "config": config_name,
        "e5_layers": list(e5_layers),
        "full_tables": full_tables,
        "overrides": dict(overrides or {}),
        "dev_scores": meta.get("performance", {}),
        "seconds": round(time.time() - t0, 1),
    }


def train_vote(
    train: Sequence[TaggedSentence],
    dev: Sequence[TaggedSentence],
    out: str | Path,
    *,
    seeds: Sequence[int],
    full_seeds: Sequence[int] = (),
    **options: Any,
) -> dict[str, Any]:
    """Members trained alike but for their seed (`out`/seedN), then as many with the config's
    full-size hash tables (`out`/fullN, one per `full_seeds`, e5 models only), and the
    members.json that makes `out` a `ner_model.Vote`. The members share one cache of e5 vectors."""
    from kabar.nlp.ner_e5 import cached_vectors, vote_members

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for child in out.iterdir():  # whatever an earlier pipeline left, but the notes
        if child.name not in KEEP_IN_OUT:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    with cached_vectors():
        members = {name: train_pipeline(train, dev, out / name, seed=seed, full_tables=full, **options)
                   for name, seed, full in vote_members(seeds, full_seeds)}
    (out / "members.json").write_text(json.dumps({"members": list(members)}) + "\n", encoding="utf-8")
    return {
        "train_sentences": len(train),
        "dev_sentences": len(dev),
        "seeds": list(seeds),
        "full_seeds": list(full_seeds),
        "members": members,
        "dev_scores": {name: m["dev_scores"].get("ents_f") for name, m in members.items()},
        "seconds": round(sum(m["seconds"] for m in members.values()), 1),
    }


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12]


def _parse_overrides(items: Iterable[str]) -> dict[str, Any]:
    """`section.key=value` pairs; values parsed as JSON when they are JSON (numbers, lists)."""
    out: dict[str, Any] = {}
    for item in items:
        key, _, raw = item.partition("=")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="NER data root (../shared/data/ner)")
    ap.add_argument("--out", default=str(MODEL_DIR))
    ap.add_argument("--config", default=str(CONFIG))
    ap.add_argument("--train", nargs="+", default=list(SHIPPED_TRAIN), help=f"sets to train on: {', '.join(SETS)}")
    ap.add_argument("--dev", nargs="+", default=list(SHIPPED_DEV), help="sets for checkpoint selection only")
    ap.add_argument("--seed", type=int, nargs="+", default=[0], help="several: a vote of one model per seed")
    ap.add_argument("--full-seed", type=int, nargs="*", default=[],
                    help="with --e5-layers: more members of the vote, with the config's full-size hash tables")
    ap.add_argument("--e5-layers", type=int, nargs="*", default=[],
                    help="also feed e5's hidden states at these layers to the tok2vec (the ner-id-e5 model: 8)")
    ap.add_argument("--unlabelled", nargs="+", default=[], metavar="FILE",
                    help="news text (IndoSum-style JSONL or plain text) for self-training (ner_distil)")
    ap.add_argument("--silver", type=int, default=SILVER_SENTENCES, help="sentences drawn from --unlabelled")
    ap.add_argument("--teacher", help="the model that labels them (default: a vote trained here first)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override")
    args = ap.parse_args(argv)
    if args.full_seed and not args.e5_layers:
        ap.error("--full-seed needs --e5-layers: without e5 every member has the full-size tables")

    dev = load_sets(args.data, args.dev)
    train = dedupe(load_sets(args.data, args.train), dev)
    options = {"config": args.config, "overrides": _parse_overrides(args.set), "e5_layers": args.e5_layers}
    if args.unlabelled:
        sentences = pick_sentences(read_unlabelled(args.unlabelled), args.silver, exclude=[*train, *dev])
        record = distil_vote(train, dev, args.out, seeds=args.seed, full_seeds=args.full_seed,
                             unlabelled=sentences, teacher=args.teacher, **options)
        record["unlabelled_files"] = {Path(p).name: _sha1(Path(p)) for p in args.unlabelled}
    elif len(args.seed) + len(args.full_seed) > 1:
        record = train_vote(train, dev, args.out, seeds=args.seed, full_seeds=args.full_seed, **options)
    else:
        record = train_pipeline(train, dev, args.out, seed=args.seed[0], **options)
    record["train_sets"] = args.train
    record["dev_sets"] = args.dev
    record["data_files"] = {
        rel: _sha1(Path(args.data) / rel) for n in [*args.train, *args.dev] for rel in SETS[n]
    }
    (Path(args.out) / "training.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: record[k] for k in ("train_sentences", "dev_sentences", "dev_scores", "seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
