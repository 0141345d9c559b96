"""`kabar eval quotes FILE`: statement detection and speaker attribution on a PFSA-ID-format file.

The format (PFSA-ID, Purnomo et al. 2022) is one token per line with a BILOU
tag (`token<TAB>tag`), a blank line between sentences, labels PERSON,
PERSONCOREF, ROLE, AFFILIATION, CUE, CUECOREF, STATEMENT, DATETIME, LOCATION,
EVENT, ISSUE. It has no document markers: an article starts at a dateline
sentence (`KOTA , KOMPAS —`) or, for articles without one, at the sentence
holding the article's ISSUE span when no dateline came in the two sentences
before (ISSUE marks each article's lead; it is used for segmentation only).

Each article's text is rebuilt from its tokens (a double quote attaches to the
word after it when it opens, to the word before when it closes; see
`detokenize`), then our SentenceSplitter,
EntityRecognizer and QuoteExtractor run on it. Where a stage is not importable
the file's own sentence breaks stand in, and no mentions are given.

Scoring (PFSA-ID's STATEMENT spans are direct quotes, marks included; our
indirect quotes are reported but not scored):
- statements are compared on word tokens (punctuation and quotation marks
  dropped). exact: the same word tokens; overlap: shared words >= 50% of the
  longer of the two. Pairs are matched one-to-one, largest overlap first.
- a gold statement's speaker is linked by this rule: the nearest PERSON,
  PERSONCOREF or CUECOREF span after the statement in the sentence where it
  ends (`"...," kata X`, `"...," ujarnya`); failing that a ROLE or AFFILIATION
  span there (the annotation sometimes labels the speaker so); failing that the
  nearest speaker span before it in the sentence where its words start
  (`X mengatakan, "..."`); else the statement has no speaker.
- attribution is correct when our speaker phrase (`Quote.speaker_cite`)
  shares a token with the linked gold span. Statement-speaker P/R/F1: a true
  positive is an overlap-matched statement with a correct speaker; precision
  over our direct quotes that name a speaker, recall over gold statements that
  have one. Accuracy: correct / overlap-matched pairs whose gold has a speaker.

The paper's baseline F-score of 82.0 is a sequence-labelling F over all labels,
so it is shown beside our figures for orientation, not as the same measure.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from kabar.model import Article, Sentence

BASELINE_F = 82.0  # Purnomo et al. (2022), PFSA-ID baseline model F-score
_SPEAKER = ("PERSON", "PERSONCOREF", "CUECOREF")
_SPEAKER_WEAK = ("ROLE", "AFFILIATION")
_PRONOUNS = frozenset({"ia", "dia", "beliau"})
_COUNTS = ("gold", "gold_with_speaker", "pred", "pred_with_speaker", "indirect", "exact", "overlap",
           "matched_with_gold_speaker", "speaker_ok", "pronouns", "pronoun_ok")
_DOUBLE_QUOTES = frozenset('"“”')
_NO_SPACE_BEFORE = frozenset(".,;:!?%)]}’/-")
_NO_SPACE_AFTER = frozenset("([{/-")
_DATELINE_OUTLET = re.compile(r"^KOMPAS", re.IGNORECASE)


@dataclass
class GoldDoc:
    """One article of the file: tokens, tags, sentence token ranges."""

    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)


def read_sentences(path: str | Path) -> list[list[tuple[str, str]]]:
    """(token, tag) lists, one per blank-line-separated sentence; tag is the last column."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split()
            if not parts:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def _is_dateline(sent: Sequence[tuple[str, str]]) -> bool:
    toks = [t for t, _ in sent[:8]]
    if "," not in toks:
        return False
    k = toks.index(",")
    return 0 < k < len(toks) - 1 and all(t.isupper() for t in toks[:k]) and bool(_DATELINE_OUTLET.match(toks[k + 1]))


def read_docs(path: str | Path) -> list[GoldDoc]:
    """The file split into articles (dateline, else ISSUE lead; see the module doc)."""
    docs: list[GoldDoc] = []
    last_break = -10
    for i, sent in enumerate(read_sentences(path)):
        has_issue = any(tag.endswith("ISSUE") for _, tag in sent)
        if not docs or _is_dateline(sent) or (has_issue and i - last_break > 2):
            docs.append(GoldDoc())
            last_break = i
        doc = docs[-1]
        start = len(doc.tokens)
        doc.tokens.extend(t for t, _ in sent)
        doc.tags.extend(tag for _, tag in sent)
        doc.sentences.append((start, len(doc.tokens)))
    return docs


def detokenize(tokens: Sequence[str], sentences: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]], list[Sentence]]:
    """Running text from tokens with each token's char span and the sentences' char spans.

    “ always opens; ” and " close a quote that is open or follow a comma, and
    open one otherwise, so an opening mark sticks to the word after it and a
    closing one to the word before.
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    open_quote = False
    glue_next = True
    for i, tok in enumerate(tokens):
        attach_left = glue_next
        glue_next = False
        if tok in _DOUBLE_QUOTES:
            # “ always opens; after a comma a mark closes; otherwise ” and " close an open quote, else open
            closing = tok != "“" and (open_quote or (i > 0 and tokens[i - 1] == ","))
            attach_left = attach_left or closing
            glue_next = not closing
            open_quote = not closing
        elif tok in _NO_SPACE_BEFORE or tok == "-nya":
            attach_left = True
        if tok in _NO_SPACE_AFTER:
            glue_next = True
        if not attach_left:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    text = "".join(parts)
    sents = [Sentence(offsets[a][0], offsets[b - 1][1]) for a, b in sentences if b > a]
    return text, offsets, sents


def spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(label, start, end) token spans from BILOU (or BIO) tags."""
    out: list[tuple[str, int, int]] = []
    cur: list[Any] | None = None
    for i, tag in enumerate(tags):
        if tag == "O" or "-" not in tag:
            if cur:
                out.append((cur[0], cur[1], i))
                cur = None
            continue
        prefix, label = tag.split("-", 1)
        if prefix in ("B", "U") or cur is None or cur[0] != label:
            if cur:
                out.append((cur[0], cur[1], i))
            cur = [label, i]
        if prefix in ("L", "U"):
            out.append((label, cur[1], i + 1))
            cur = None
    if cur:
        out.append((cur[0], cur[1], len(tags)))
    return out


def _sentence_of(doc: GoldDoc, tok: int) -> int:
    return next(n for n, (a, b) in enumerate(doc.sentences) if a <= tok < b)


class GoldStatement(NamedTuple):
    span: tuple[int, int]  # token span of the STATEMENT
    speaker: tuple[int, int] | None  # token span of its linked speaker
    label: str | None  # the speaker span's label


def gold_statements(doc: GoldDoc) -> list[GoldStatement]:
    """Each STATEMENT token span with its linked speaker span (rule in the module doc)."""
    all_spans = spans(doc.tags)
    out = []
    for label, a, b in all_spans:
        if label != "STATEMENT":
            continue
        first = next((i for i in range(a, b) if _is_word(doc.tokens[i])), a)
        s_first, s_last = _sentence_of(doc, first), _sentence_of(doc, b - 1)
        hi = doc.sentences[s_last][1]
        lo = doc.sentences[s_first][0]
        after = [(x, y, lab) for lab, x, y in all_spans if lab in _SPEAKER and x >= b and y <= hi]
        after = after or [(x, y, lab) for lab, x, y in all_spans if lab in _SPEAKER_WEAK and x >= b and y <= hi]
        before = [(x, y, lab) for lab, x, y in all_spans if lab in _SPEAKER and x >= lo and y <= first]
        best = min(after) if after else (max(before) if before else None)
        out.append(GoldStatement((a, b), best[:2] if best else None, best[2] if best else None))
    return out


def _antecedent(doc: GoldDoc, before: int) -> set[str]:
    """Words of the last PERSON span ending before token `before`: the expected referent of a pronoun."""
    persons = [(a, b) for lab, a, b in spans(doc.tags) if lab == "PERSON" and b <= before]
    return {t.casefold() for t in doc.tokens[slice(*persons[-1])]} if persons else set()


def _is_word(tok: str) -> bool:
    return any(c.isalnum() for c in tok)


def _tokens_in(offsets: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    return [i for i, (a, b) in enumerate(offsets) if a < end and b > start]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(200 * p * r / (p + r), 2) if p + r else 0.0}


@lru_cache(maxsize=2)
def _stages(entities: bool = True) -> tuple[list[Any], list[str]]:
    """The stages run before quote extraction (built once), with the names of those that were available."""
    stages: list[Any] = []
    names: list[str] = []
    try:
        from kabar.nlp.sentences import SentenceSplitter

        stages.append(SentenceSplitter())
        names.append("SentenceSplitter")
    except ImportError:
        names.append("gold sentence breaks")
    try:
        if not entities:
            raise ImportError("entities off")
        from kabar.nlp.entities import EntityRecognizer

        stages.append(EntityRecognizer())
        names.append("EntityRecognizer")
    except ImportError:
        names.append("no mentions")
    return stages, names


def _match(pred: list[set[int]], gold: list[set[int]], exact: bool) -> list[tuple[int, int]]:
    """One-to-one (pred, gold) pairs, largest shared word count first."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            shared = len(p & g)
            if not shared:
                continue
            ok = p == g if exact else shared >= 0.5 * max(len(p), len(g))
            if ok:
                cands.append((shared, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(cands, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def evaluate(path: str | Path, limit: int | None = None, entities: bool = True, extractor: Any = None) -> dict[str, Any]:
    """Score quote extraction on `path` (figures in percent). `entities=False` skips the entity
    recogniser: speaker phrases are scored the same, only pronoun resolution needs mentions.
    `extractor` replaces our QuoteExtractor (a benchmark's baseline)."""
    from kabar.nlp.quotes import QuoteExtractor

    docs = read_docs(path)[:limit]
    before, names = _stages(entities)
    extractor = extractor or QuoteExtractor()
    names = [*names, getattr(extractor, "name", type(extractor).__name__)]
    counts: Counter[str] = Counter(dict.fromkeys(_COUNTS, 0))
    seconds = {"pipeline": 0.0, "quotes": 0.0}
    for d, doc in enumerate(docs):
        text, offsets, sents = detokenize(doc.tokens, doc.sentences)
        art = Article(id=f"pfsa{d}", text=text, language="id")
        art.sentences = sents
        art.paragraphs = [Sentence(0, len(text))]
        t0 = time.perf_counter()
        for stage in before:
            art = stage(art)
        t1 = time.perf_counter()
        art = extractor(art)
        seconds["quotes"] += time.perf_counter() - t1
        seconds["pipeline"] += time.perf_counter() - t0
        _score(doc, art, offsets, counts)
    c = counts
    matched = c["matched_with_gold_speaker"]
    per = max(1, len(docs))
    return {
        "file": str(path),
        "articles": len(docs),
        "stages": names,
        "counts": dict(sorted(c.items())),
        "statement_exact": _prf(c["exact"], c["pred"], c["gold"]),
        "statement_overlap": _prf(c["overlap"], c["pred"], c["gold"]),
        "attribution_accuracy": round(100 * c["speaker_ok"] / matched, 2) if matched else 0.0,
        "statement_speaker": _prf(c["speaker_ok"], c["pred_with_speaker"], c["gold_with_speaker"]),
        "pronoun_resolution": round(100 * c["pronoun_ok"] / c["pronouns"], 2) if c["pronouns"] else None,
        "baseline_f": BASELINE_F,
        "ms_per_article": {k: round(1000 * v / per, 2) for k, v in seconds.items()},
    }


def _score(doc: GoldDoc, art: Article, offsets: list[tuple[int, int]], c: Counter[str]) -> None:
    """Add one article's counts: statements, speakers, pronoun antecedents."""
    word_set = {i for i, t in enumerate(doc.tokens) if _is_word(t)}
    gold = gold_statements(doc)
    gold_words = [set(range(*g.span)) & word_set for g in gold]
    direct = [q for q in art.quotes if q.kind == "direct"]
    pred_words = [set(_tokens_in(offsets, q.cite.start, q.cite.end)) & word_set for q in direct]
    mentions = {m.id: m for m in art.mentions}
    c["gold"] += len(gold)
    c["gold_with_speaker"] += sum(g.speaker is not None for g in gold)
    c["pred"] += len(direct)
    c["pred_with_speaker"] += sum(q.speaker_cite is not None for q in direct)
    c["indirect"] += len(art.quotes) - len(direct)
    c["exact"] += len(_match(pred_words, gold_words, exact=True))
    for i, j in _match(pred_words, gold_words, exact=False):
        c["overlap"] += 1
        g, q = gold[j], direct[i]
        if g.speaker is None:
            continue
        c["matched_with_gold_speaker"] += 1
        cite = q.speaker_cite
        if cite is not None and set(_tokens_in(offsets, cite.start, cite.end)) & set(range(*g.speaker)):
            c["speaker_ok"] += 1
        pronoun = g.label == "CUECOREF" or " ".join(doc.tokens[slice(*g.speaker)]).casefold() in _PRONOUNS
        expected = _antecedent(doc, g.span[0]) if pronoun else set()
        if expected:
            c["pronouns"] += 1
            ours = mentions.get(q.speaker_mention or "")
            if ours is not None and {w.casefold() for w in ours.text.split()} & expected:
                c["pronoun_ok"] += 1


def render(result: dict[str, Any]) -> str:
    """A table, then the figures as one JSON object on the last line."""
    ms = result["ms_per_article"]
    lines = [
        f"Quotes on {result['file']} ({result['articles']} articles; {', '.join(result['stages'])}; "
        f"{ms['quotes']} ms/article in QuoteExtractor, {ms['pipeline']} in all stages)",
        f"{'measure':<30}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for key in ("statement_exact", "statement_overlap", "statement_speaker"):
        r = result[key]
        lines.append(f"{key:<30}{r['precision']:>8.1f}{r['recall']:>8.1f}{r['f1']:>8.1f}")
    lines.append(f"{'attribution accuracy':<30}{result['attribution_accuracy']:>24.1f}")
    if result["pronoun_resolution"] is not None:
        lines.append(f"{'pronoun -> last gold PERSON':<30}{result['pronoun_resolution']:>24.1f}")
    lines.append(f"{'paper baseline F (all labels)':<30}{result['baseline_f']:>24.1f}")
    c = result["counts"]
    lines.append(
        f"gold statements {c['gold']} ({c['gold_with_speaker']} with a speaker); our direct quotes "
        f"{c['pred']} ({c['pred_with_speaker']} with a speaker); indirect quotes, not scored: {c['indirect']}"
    )
    lines.append(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines)


def _main(argv: Sequence[str] | None = None) -> int:
    """`python -m kabar.eval.quotes FILE [--limit N] [--no-entities]`."""
    import argparse

    ap = argparse.ArgumentParser(description="Statement detection and speaker attribution on a PFSA-ID-format file")
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    ap.add_argument("--no-entities", action="store_true", help="skip the entity recogniser (no pronoun resolution)")
    args = ap.parse_args(argv)
    print(render(evaluate(args.path, args.limit, entities=not args.no_entities)))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
