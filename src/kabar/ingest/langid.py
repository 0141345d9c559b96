"""Offline language identification for news: py3langid, restricted, plus a Malay/Indonesian referee.

Character n-grams tell English from Indonesian easily but rank Malay and Indonesian close
together. When those two lead, distinctive words (lang/id/langid_cues.json: "kerana",
"selepas", "peratus" against "karena", "setelah", "persen") add their log-odds to the
identifier's, so a Bernama story and a Kompas story come apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from kabar import lang

UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_PAIR = ("id", "ms")
_SAMPLE_CHARS = 1200  # two or three paragraphs decide a language; more only costs time (langid is linear in it)
_CHUNK = re.compile(rb"[^ ]* ?")  # a word and the space after it: the unit the byte walk is memoised in
_MEMO_ENTRIES = 100_000  # about 20 MB; emptied when full, so a long run's memory stays flat


class _ChunkedIdentifier(LanguageIdentifier):
    """py3langid's model, with its byte walk memoised a word at a time.

    py3langid feeds every byte through an n-gram automaton in a Python loop, the largest
    cost of reading an article. The automaton's state after a word depends only on the
    state before it and the word's bytes, and news repeats its words, so (state, word)
    -> (state after, features seen) is kept. The counts, and so the scores, are py3langid's own.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memo: dict[tuple[int, bytes], tuple[int, list[int]]] = {}

    def visits(self, data: bytes) -> Counter[int] | None:
        """`visit_counts` over `data`, walking each chunk once per state it is met in."""
        memo, moves, rows, output = self.memo, self.tk_nextmove, self._rowbase, self.tk_output
        if len(memo) > _MEMO_ENTRIES:
            memo.clear()
        state, features = 0, []
        for chunk in _CHUNK.findall(data):
            hit = memo.get((state, chunk))
            if hit is None:
                end, seen = state, []
                for byte in chunk:
                    end = moves[rows[end] + byte]
                    if output[end] >= 0:
                        seen.append(output[end])
                hit = memo[state, chunk] = (end, seen)
            state = hit[0]
            features += hit[1]
        return Counter(features) if features else None

    def _raw_score(self, text: bytes):  # py3langid 0.4's hook between its encoding and its scoring
        visits = self.visits(text)
        return self._sparse_score(visits, self.nb_ptc) if visits else super()._raw_score(text)


class Identifier:
    """Loads the model once; `identify(text)` -> (code, scores of the leading languages)."""

    def __init__(self) -> None:
        cues = lang.load_json("id", "langid_cues.json")
        self.model = _ChunkedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.model.set_languages([c for c in cues["languages"] if c in self.model.labels])
        self.weight = float(cues["weight"])
        self.min_chars = int(cues["min_chars"])
        # word -> (language, weight) for single words; first word -> [(phrase, language, weight)] for phrases
        self.words: dict[str, list[tuple[str, float]]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for code in _PAIR:
            for cue, weight in cues[code].items():
                parts = tuple(cue.split())
                if len(parts) == 1:
                    self.words.setdefault(cue, []).append((code, float(weight)))
                else:
                    self.phrases.setdefault(parts[0], []).append((parts, code, float(weight)))

    def lexical(self, text: str) -> dict[str, float]:
        """Summed cue weights per language of the pair, over the words and phrases of `text`."""
        words = [w.lower() for w in _WORD.findall(text)]
        score = dict.fromkeys(_PAIR, 0.0)
        for word, count in Counter(words).items():
            for code, weight in self.words.get(word, ()):
                score[code] += weight * count
        for i, word in enumerate(words):
            for parts, code, weight in self.phrases.get(word, ()):
                if tuple(words[i : i + len(parts)]) == parts:
                    score[code] += weight
        return score

    def identify(self, text: str) -> tuple[str, dict[str, float]]:
        sample = text[:_SAMPLE_CHARS]
        if len(_WORD.findall(sample[:400])) < 2 or len(sample.strip()) < self.min_chars:
            return UNDETERMINED, {}
        ranked = self.model.rank(sample)
        probs = {code: p for code, p in ranked[:5]}
        if ranked[0][0] in _PAIR:
            p_id, p_ms = probs.get("id", 1e-9), probs.get("ms", 1e-9)
            lex = self.lexical(sample)
            logit = math.log(max(p_ms, 1e-12) / max(p_id, 1e-12)) + self.weight * (lex["ms"] - lex["id"])
            logit = max(-50.0, min(50.0, logit))
            total = p_id + p_ms
            probs["ms"] = total / (1.0 + math.exp(-logit))
            probs["id"] = total - probs["ms"]
        best = max(probs, key=probs.__getitem__)
        return best, {k: round(v, 4) for k, v in sorted(probs.items(), key=lambda kv: -kv[1]) if v >= 1e-4}


@lru_cache(maxsize=1)
def identifier() -> Identifier:
    return Identifier()


def identify(text: str) -> tuple[str, dict[str, float]]:
    """(ISO 639-1 code or 'und', {code: probability}) for `text`."""
    return identifier().identify(text)
