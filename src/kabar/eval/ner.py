"""`kabar eval ner FILE`: entity-level precision/recall/F1 of our recogniser on a token-per-line NER file.

Gold comes as BIO or BILOU tags in TSV (`token<TAB>tag`) or CoNLL (`token ... tag`)
form; labels go through a label map to PER/ORG/LOC. The recogniser runs on the
file's own tokens (a spaCy Doc built from `words=`), so tokenisation never
costs a match. A hit is an exact span with the exact type, as in conlleval.
With `with_rules=True` the full `kabar.nlp.entities.EntityRecognizer`
(gazetteer and rules on top of the model) is scored instead, on text rebuilt
from the tokens.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kabar.nlp.ner_data import LABELS, Span, TaggedSentence, read_ner


def _prf(correct: int, gold: int, pred: int) -> dict[str, float | int]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": gold, "pred": pred, "correct": correct}


def score_spans(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]]) -> dict[str, Any]:
    """Exact-match entity scores over parallel per-sentence span lists.

    Each span is (start, end, label) in any consistent unit (tokens or chars).
    Returns {"overall": {...}, "per_type": {label: {...}}} with precision,
    recall, f1 (0-1) and the gold/pred/correct counts they come from.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_ok: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        n_gold.update(s[2] for s in gs)
        n_pred.update(s[2] for s in ps)
        n_ok.update(s[2] for s in gs & ps)
    types = sorted(set(n_gold) | set(n_pred))
    return {
        "overall": _prf(sum(n_ok.values()), sum(n_gold.values()), sum(n_pred.values())),
        "per_type": {t: _prf(n_ok[t], n_gold[t], n_pred[t]) for t in types},
    }


def predict_model(sents: Sequence[TaggedSentence], model_path: str | Path | None = None) -> list[list[Span]]:
    """Token spans the statistical model finds on each sentence's own tokens."""
    from kabar.nlp.ner_model import ents, load_model, model_path as resolve

    nlp = load_model(resolve(model_path))
    return [span for i in range(0, len(sents), 256) for span in ents(nlp, [s.words for s in sents[i:i + 256]])]


def _token_offsets(words: Sequence[str]) -> list[tuple[int, int]]:
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    return offsets


def chars_to_tokens(offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The token span covering chars [start, end); None when it covers no token."""
    toks = [i for i, (a, b) in enumerate(offsets) if a < end and b > start]
    return (toks[0], toks[-1] + 1) if toks else None


def predict_rules(sents: Sequence[TaggedSentence], model_path: str | Path | None = None) -> list[list[Span]]:
    """Token spans of the full EntityRecognizer, one single-sentence article per sentence."""
    from kabar.model import Article
    from kabar.model import Sentence as CharSentence
    from kabar.nlp.entities import EntityRecognizer

    rec = EntityRecognizer(model_path=model_path)
    out: list[list[Span]] = []
    for i, s in enumerate(sents):
        text = " ".join(s.words)
        art = Article(id=f"ner{i}", text=text, language="id")
        art.sentences = [CharSentence(0, len(text))]
        art.paragraphs = [CharSentence(0, len(text))]
        art = rec(art)
        offsets = _token_offsets(s.words)
        spans = []
        for m in art.mentions:
            tok = chars_to_tokens(offsets, m.start, m.end)
            if tok:
                spans.append((tok[0], tok[1], m.label))
        out.append(spans)
    return out


def evaluate(
    path: str | Path,
    fmt: str | None = None,
    label_map: Mapping[str, str] | None = None,
    model_path: str | Path | None = None,
    with_rules: bool = False,
    labels: Sequence[str] = LABELS,
) -> dict[str, Any]:
    """Score the recogniser on `path`; gold types outside `labels` (after mapping) are left out of the score."""
    sents = read_ner(path, fmt, label_map)
    keep = set(labels)
    dropped = Counter(lab for s in sents for _, _, lab in s.spans if lab not in keep)
    gold = [[sp for sp in s.spans if sp[2] in keep] for s in sents]
    t0 = time.perf_counter()
    predict = predict_rules if with_rules else predict_model
    pred = [[sp for sp in ps if sp[2] in keep] for ps in predict(sents, model_path)]
    seconds = time.perf_counter() - t0
    result = score_spans(gold, pred)
    result.update(
        {
            "file": str(path),
            "sentences": len(sents),
            "tokens": sum(len(s.words) for s in sents),
            "recogniser": "EntityRecognizer" if with_rules else "model",
            "model": str(model_path) if model_path else "ner-id (shipped)",
            "ignored_gold_types": dict(dropped),
            "seconds": round(seconds, 2),
        }
    )
    return result


def render(result: Mapping[str, Any]) -> str:
    """A per-type table, then the figures as one JSON object on the last line."""
    lines = [
        f"NER on {result['file']} ({result['sentences']} sentences, {result['tokens']} tokens, "
        f"{result['recogniser']}, {result['model']})",
        f"{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}",
    ]
    rows = [*result["per_type"].items(), ("overall", result["overall"])]
    for name, r in rows:
        lines.append(
            f"{name:<8}{r['precision'] * 100:>8.1f}{r['recall'] * 100:>8.1f}{r['f1'] * 100:>8.1f}"
            f"{r['gold']:>7}{r['pred']:>7}"
        )
    if result.get("ignored_gold_types"):
        lines.append(f"gold types not scored: {result['ignored_gold_types']}")
    lines.append(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines)


def _main(argv: Sequence[str] | None = None) -> int:
    """`python -m kabar.eval.ner FILE [--fmt tsv|conll] [--map A=B ...] [--model DIR] [--with-rules]`."""
    import argparse

    ap = argparse.ArgumentParser(description="Entity-level P/R/F1 of Kabar's NER on a token-per-line file")
    ap.add_argument("path")
    ap.add_argument("--fmt", choices=("tsv", "conll"), default=None)
    ap.add_argument("--map", nargs="*", default=None, metavar="FROM=TO", help="label map (replaces the default)")
    ap.add_argument("--model", default=None, help="fast (default), e5, or a pipeline folder")
    ap.add_argument("--with-rules", action="store_true")
    args = ap.parse_args(argv)
    label_map = dict(m.split("=", 1) for m in args.map) if args.map is not None else None
    print(render(evaluate(args.path, args.fmt, label_map, args.model, args.with_rules)))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
