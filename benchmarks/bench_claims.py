"""Claims benchmark: the lemmatiser against spaCy's lookup table, and claim frames on real news.

    python benchmarks/bench_claims.py [--indosum ../shared/data/summaries/indosum] [--limit 200]

(a) Lemmatiser, held out: a seeded 20% of spaCy's Indonesian lookup table (spacy-lookups-data) is
    hidden; the affix rules, with roots from the other 80% only, lemmatise the hidden words. Baselines
    in the same run: the word itself, and naive stripping (first matching prefix and suffix, no root
    check). Accuracy is exact match with the table's lemma.
(b) Coverage on IndoSum (Kurniawan and Louvan 2018, CC BY-SA 4.0) tokens that carry a verbal prefix:
    the share the table knows, and the share lookup + rules reduce to a known root; passives (di-)
    separately, since the table lacks most of them.
(c) Claim frames on IndoSum articles run through the per-article stages: frames per quantity
    sentence, share with a predicate, a subject, a named (non-outlet) source; seconds per article
    for ClaimExtractor against all the stages before it (the baseline cost).
Prints tables, then the figures as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

from kabar.lang import load_json
from kabar.model import Article
from kabar.nlp.claims import ClaimExtractor, Lemmatizer, _spacy_lookup

_VERBAL = re.compile(r"^(?:di|me|ber|ter)[a-z]{3,}$")


def naive(word: str, prefixes: list[str], suffixes: list[str]) -> str:
    """Strip the first matching prefix and suffix, no recoding, no root check."""
    for p in prefixes:
        if word.startswith(p) and len(word) - len(p) >= 3:
            word = word[len(p):]
            break
    for s in suffixes:
        if word.endswith(s) and len(word) - len(s) >= 3:
            return word[: -len(s)]
    return word


def held_out(seed: int = 13, share: float = 0.2) -> dict:
    table = _spacy_lookup("id")
    words = sorted(table)
    random.Random(seed).shuffle(words)
    cut = int(len(words) * share)
    test, train = words[:cut], words[cut:]
    rules = Lemmatizer(lookup={w: table[w] for w in train})
    rules.lookup = {}  # roots stay those of the 80%; the hidden words are never looked up
    data = load_json("id", "claims.json")["lemma"]
    prefixes = [p for p, _ in data["prefixes"]]
    systems = {
        "identity": lambda w: w,
        "naive strip": lambda w: naive(w, prefixes, data["suffixes"]),
        "rules (roots of 80%)": rules,
    }
    out = {}
    for name, fn in systems.items():
        all_ok = sum(fn(w) == table[w] for w in test)
        verbal = [w for w in test if _VERBAL.match(w)]
        verbal_ok = sum(fn(w) == table[w] for w in verbal)
        out[name] = {"accuracy": all_ok / len(test), "accuracy_verbal": verbal_ok / max(len(verbal), 1), "n": len(test), "n_verbal": len(verbal)}
    return out


def indosum_articles(folder: Path, limit: int) -> list[tuple[str, str]]:
    """(id, text) of IndoSum dev articles, paragraphs on their own lines, tokens re-spaced."""
    out = []
    for path in sorted(folder.glob("dev.*.jsonl")):
        for line in path.open(encoding="utf-8"):
            d = json.loads(line)
            paras = [" ".join(" ".join(s) for s in p) for p in d["paragraphs"]]
            text = "\n".join(re.sub(r" ([.,;:!?)])", r"\1", re.sub(r"\( ", "(", p)) for p in paras)
            out.append((d["id"], text))
            if len(out) >= limit:
                return out
    return out


def coverage(texts: list[str]) -> dict:
    table = _spacy_lookup("id")
    lem = Lemmatizer()
    tokens = Counter(w for t in texts for w in re.findall(r"[a-z]+", t) if _VERBAL.match(w))
    total = sum(tokens.values())
    known = sum(n for w, n in tokens.items() if w in table)
    reduced = sum(n for w, n in tokens.items() if lem(w) != w)
    passive = {w: n for w, n in tokens.items() if w.startswith("di")}
    p_total = sum(passive.values())
    return {
        "tokens": total,
        "lookup_only": known / max(total, 1),
        "lookup_plus_rules": reduced / max(total, 1),
        "passive_tokens": p_total,
        "passive_lookup_only": sum(n for w, n in passive.items() if w in table) / max(p_total, 1),
        "passive_lookup_plus_rules": sum(n for w, n in passive.items() if lem(w) != w) / max(p_total, 1),
    }


def frames(docs: list[tuple[str, str]]) -> dict:
    from kabar.nlp.entities import EntityRecognizer
    from kabar.nlp.quantities import QuantityExtractor
    from kabar.nlp.quotes import QuoteExtractor
    from kabar.nlp.sentences import SentenceSplitter
    from kabar.nlp.times import TimeTagger

    before = [SentenceSplitter(), EntityRecognizer(), QuantityExtractor(), TimeTagger(), QuoteExtractor()]
    claims = ClaimExtractor()
    t_before = t_claims = 0.0
    stats = Counter()
    for aid, text in docs:
        art = Article(id=aid, text=text, outlet="IndoSum", language="id")
        t0 = time.perf_counter()
        for stage in before:
            art = stage(art)
        t1 = time.perf_counter()
        art = claims(art)
        t_claims += time.perf_counter() - t1
        t_before += t1 - t0
        q_sents = {s.start for q in art.quantities if (s := art.sentence_at(q.cite.start))}
        stats["quantity_sentences"] += len(q_sents)
        stats["sentences"] += len(art.sentences)
        for c in art.claims:
            stats["claims"] += 1
            stats["with_quantity"] += c.quantity is not None
            stats["predicate"] += bool(c.predicate)
            stats["subject"] += bool(c.subject_text)
            stats["named_source"] += c.source_kind != "outlet"
            stats[f"stance:{c.stance}"] += 1
    n = max(stats["claims"], 1)
    return {
        "articles": len(docs),
        "claims_per_article": stats["claims"] / max(len(docs), 1),
        "quantity_claims_per_quantity_sentence": stats["with_quantity"] / max(stats["quantity_sentences"], 1),
        "share_with_predicate": stats["predicate"] / n,
        "share_with_subject": stats["subject"] / n,
        "share_named_source": stats["named_source"] / n,
        "stances": {k[7:]: v for k, v in stats.items() if k.startswith("stance:")},
        "s_per_article_claims": t_claims / max(len(docs), 1),
        "s_per_article_stages_before": t_before / max(len(docs), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--indosum", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/summaries/indosum")
    ap.add_argument("--limit", type=int, default=200)
    args = ap.parse_args()
    figures: dict = {"lemma_held_out": held_out()}
    print("(a) lemmatiser on a held-out 20% of spaCy's lookup table")
    print(f"{'system':<24}{'accuracy':>10}{'verbal':>10}")
    for name, r in figures["lemma_held_out"].items():
        print(f"{name:<24}{r['accuracy']:>10.3f}{r['accuracy_verbal']:>10.3f}")
    if args.indosum.is_dir():
        docs = indosum_articles(args.indosum, args.limit)
        figures["coverage"] = coverage([t for _, t in docs])
        cov = figures["coverage"]
        print(f"\n(b) verbal-prefix tokens in {len(docs)} IndoSum articles: {cov['tokens']}")
        print(f"{'':<24}{'all':>10}{'di- only':>10}")
        print(f"{'lookup only':<24}{cov['lookup_only']:>10.3f}{cov['passive_lookup_only']:>10.3f}")
        print(f"{'lookup + rules':<24}{cov['lookup_plus_rules']:>10.3f}{cov['passive_lookup_plus_rules']:>10.3f}")
        figures["frames"] = frames(docs)
        print("\n(c) claim frames")
        for k, v in figures["frames"].items():
            print(f"{k:<40}{v if isinstance(v, dict) else round(v, 4)}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
