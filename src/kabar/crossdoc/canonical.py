"""Cross-article canonical entities: every mention resolves to one `Entity`.

Identity comes, in order, from: the gazetteer and alias files (countries by ISO
code whatever the spelling, organisations, user aliases: "Korut" = Korea Utara);
composed organisation names (head + country: "kantor kepresidenan Korea Selatan"
= "Kantor Kepresidenan Republik Korea"); a country misspelt by one letter; and,
for people, a spelling key that forgives vowels and doubled letters ("Yoon Seok
Yeol" ~ "Yoon Suk Yeol", "Zelenskyy" ~ "Zelensky"); a short form defined in
parentheses ("Partai Persatuan Pembangunan (PPP)"). A short reference ("Rutte",
"Presiden Yoon", "Kim") resolves to the full name it starts or ends in the same
article, else to the only such full name in the corpus.

Capitals stay their own LOC entity: "Seoul" standing for the South Korean
government is still a place name, and merging it into Korea Selatan would also
merge the times it is just a city. The capital's entity carries the role
"ibu kota Korea Selatan" (template in gazetteer.json) so later stages can follow
the link. Entity ids are "e1", "e2", ... in order of first appearance (article
order, then text order), so a re-run over the same corpus gives the same ids.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kabar.lang import DEFAULT, SUPPORTED
from kabar.model import Article, Corpus, Entity, Mention
from kabar.nlp.entities import GazEntry, Gazetteer, Titles, load_gazetteer
from kabar.nlp.tokens import fold, levenshtein, norm_key

_VOWELS = re.compile(r"[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")


@dataclass(eq=False)
class _Ref:
    article: Article
    mention: Mention
    key: str
    words: tuple[str, ...]  # folded words of the mention text


@lru_cache(maxsize=65536)
def _squash(word: str) -> str:
    return _DOUBLES.sub(r"\1", word)


@lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    """First letter + consonants, doubles collapsed: the part of a romanised name spellings agree on."""
    w = _squash(word)
    return w[:1] + _VOWELS.sub("", w[1:]).replace("w", "v")


@lru_cache(maxsize=65536)
def same_word(a: str, b: str) -> bool:
    """Two folded name words that are one name spelt two ways ("suk"/"seok", "zelensky"/"zelenskyy")."""
    if a == b or _squash(a) == _squash(b):
        return True
    return min(len(a), len(b)) >= 3 and _skeleton(a) == _skeleton(b) and levenshtein(a, b) <= 2


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Canonicalizer:
    """Corpus stage: builds `corpus.entities`, sets `mention.entity` and the entity ids of quotes and claims."""

    name = "canonicalize"

    def __init__(self, alias_paths: Iterable[str | Path] = ()) -> None:
        self.gaz: Gazetteer = load_gazetteer(alias_paths)
        self.titles = {lang: Titles.load(lang) for lang in SUPPORTED}

    def __call__(self, corpus: Corpus) -> Corpus:
        refs = [
            _Ref(a, m, self._key(m, _lang(a)), tuple(norm_key(m.text).split()))
            for a in corpus.articles
            for m in a.mentions
        ]
        uf = _UnionFind()
        self._merge_spellings(refs, uf)
        self._merge_parentheticals(refs, uf)
        short = _ShortRefs(refs, uf)
        groups: dict[str, list[_Ref]] = {}
        for r in refs:
            groups.setdefault(short.resolve(r) or uf.find(r.key), []).append(r)
        corpus.entities = [self._entity(f"e{n}", rs) for n, rs in enumerate(groups.values(), 1)]
        self._link_findings(corpus, refs)
        return corpus

    # --- identity ---

    def _key(self, m: Mention, lang: str) -> str:
        if (e := self.gaz.lookup(m.text)) is not None:
            return e.key
        if m.label == "ORG" and (k := self.gaz.org_identity(m.text)):
            return k
        if m.label == "LOC" and (e := self.gaz.typo_country(m.text, lang)) is not None:
            return e.key
        return f"NAME:{norm_key(m.text)}"  # label-blind: one name the model typed two ways is still one thing

    def _merge_spellings(self, refs: list[_Ref], uf: _UnionFind) -> None:
        """People whose names differ only in romanisation share one key."""
        blocks: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        for r in refs:
            uf.find(r.key)
            if r.mention.label == "PER" and len(r.words) > 1:
                blocks.setdefault(tuple(_skeleton(w) for w in r.words), {})[r.key] = r.words
        for block in blocks.values():
            items = list(block.items())
            for n, (ka, wa) in enumerate(items):
                for kb, wb in items[n + 1:]:
                    if all(same_word(x, y) for x, y in zip(wa, wb)):
                        uf.union(ka, kb)

    def _merge_parentheticals(self, refs: list[_Ref], uf: _UnionFind) -> None:
        """A name and the short form it defines are one thing: "Partai Persatuan Pembangunan (PPP)",
        "BICES (Sistem ...)" when the parentheses hold exactly the other mention."""
        for r1, r2 in zip(refs, refs[1:]):
            m1, m2, text = r1.mention, r2.mention, r1.article.text
            if (r1.article is r2.article and m1.label == m2.label and 1 in (len(r1.words), len(r2.words))
                    and text[m1.end:m2.start].strip() == "(" and text[m2.end:m2.end + 1] == ")"
                    and not (r1.key in self.gaz.entries and r2.key in self.gaz.entries)):
                uf.union(r1.key, r2.key)

    # --- entities ---

    def _entity(self, eid: str, refs: list[_Ref]) -> Entity:
        """The entity of one group of mentions; the mentions learn their entity id."""
        entries = Counter(r.key for r in refs if r.key in self.gaz.entries)
        entry: GazEntry | None = self.gaz.entries[entries.most_common(1)[0][0]] if entries else None
        lang = Counter(_lang(r.article) for r in refs).most_common(1)[0][0]
        labels = Counter(r.mention.label for r in refs)
        typ = entry.type if entry and entry.type else labels.most_common(1)[0][0]
        surfaces = Counter(r.mention.text for r in refs)
        order = {s: n for n, s in enumerate(dict.fromkeys(r.mention.text for r in refs))}
        if entry:  # the gazetteer's or the user's name, in the corpus's language where known
            name = entry.name_in(lang)
        else:  # the most frequent capitalised full form (several words beat one), then the longest
            words = {s: len(norm_key(s).split()) for s in surfaces}
            name = max(surfaces, key=lambda s: (s[:1].isupper(), words[s] > 1, surfaces[s], words[s], -order[s]))
        aliases = [s for s in order if s != name]
        name_len = len(norm_key(name).split())
        for r in refs:  # a titled short form is how articles refer to the person: "Sekjen Rutte"
            m, text = r.mention, r.article.text
            if m.role and len(r.words) < name_len and text[max(0, m.start - len(m.role) - 1):m.start] == m.role + " ":
                titled = f"{m.role} {m.text}"
                if titled not in aliases:
                    aliases.append(titled)
        for r in refs:
            r.mention.entity = eid
        counts: Counter[str] = Counter(r.article.id for r in refs)
        return Entity(
            id=eid,
            name=name,
            type=typ,
            aliases=aliases,
            roles=self._roles(refs, entry, lang),
            mentions=[r.article.cite(r.mention.start, r.mention.end) for r in refs],
            counts=dict(counts),
        )

    def _roles(self, refs: list[_Ref], entry: GazEntry | None, lang: str) -> list[str]:
        seen: Counter[str] = Counter()
        spelled: dict[str, str] = {}
        for r in refs:
            if r.mention.role:
                role = self.titles[_lang(r.article)].normalise(r.mention.role, self.gaz, lang)
                seen[fold(role)] += 1
                spelled.setdefault(fold(role), role)
        if entry and (country := self.gaz.country(entry.capital_of)):
            role = self.gaz.capital_role.format(country=country.name_in(lang))
            seen[fold(role)] += 1
            spelled.setdefault(fold(role), role)
        # a bare title says less than the same title with its affiliation: "Presiden" < "Presiden Korea Selatan"
        keep = [k for k in seen if not any(o != k and (o.startswith(k + " ") or o.endswith(" " + k)) for o in seen)]
        keep.sort(key=lambda k: -seen[k])  # stable: ties stay in order of first sight
        return [spelled[k] for k in keep]

    # --- quotes and claims ---

    def _link_findings(self, corpus: Corpus, refs: list[_Ref]) -> None:
        """Quotes and claims name their people by mention id; failing that, by an exact alias."""
        by_mention = {r.mention.id: r.mention.entity for r in refs}
        by_text: dict[str, set[str]] = {}
        by_key: dict[str, set[str | None]] = {}
        for e in corpus.entities:
            for s in (e.name, *e.aliases):
                by_text.setdefault(norm_key(s), set()).add(e.id)
        for r in refs:
            by_key.setdefault(r.key, set()).add(r.mention.entity)

        def resolve(mention_id: str | None, text: str | None, lang: str) -> str | None:
            if mention_id and by_mention.get(mention_id):
                return by_mention[mention_id]
            if not text:
                return None
            for cand in dict.fromkeys((text, self.titles[lang].strip(text, self.gaz))):
                ids = by_text.get(norm_key(cand), set())
                if len(ids) == 1:
                    return next(iter(ids))
                if (e := self.gaz.lookup(cand)) is not None and len(by_key.get(e.key, ())) == 1:
                    return next(iter(by_key[e.key]))
            return None

        for a in corpus.articles:
            lang = _lang(a)
            for q in a.quotes:
                q.speaker = resolve(q.speaker_mention, q.speaker_text, lang)
            for c in a.claims:
                c.subject = resolve(c.subject_mention, c.subject_text, lang)
                c.source = resolve(c.source_mention, c.source_text, lang)


class _ShortRefs:
    """A person's short reference -> the full name it abbreviates (same article first, else corpus-wide)."""

    def __init__(self, refs: list[_Ref], uf: _UnionFind) -> None:
        self.uf = uf
        self.by_article: dict[str, list[_Ref]] = {}
        self.by_edge: dict[str, list[_Ref]] = {}  # skeleton of a first or last word -> full names
        for r in refs:
            if r.mention.label == "PER" and len(r.words) > 1:
                self.by_article.setdefault(r.article.id, []).append(r)
                for w in {_skeleton(r.words[0]), _skeleton(r.words[-1])}:
                    self.by_edge.setdefault(w, []).append(r)

    def resolve(self, r: _Ref) -> str | None:
        if r.mention.label != "PER" or not r.words or not r.key.startswith("NAME:"):
            return None
        local = [f for f in self.by_article.get(r.article.id, ()) if _abbreviates(r.words, f.words)]
        if local:
            before = [f for f in local if f.mention.start < r.mention.start]
            pick = before[-1] if before else local[0]
            return self.uf.find(pick.key)
        cands = {*self.by_edge.get(_skeleton(r.words[0]), ()), *self.by_edge.get(_skeleton(r.words[-1]), ())}
        roots = {self.uf.find(f.key) for f in cands if _abbreviates(r.words, f.words)}
        return roots.pop() if len(roots) == 1 else None


def _abbreviates(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """`short` is the first or last words of the longer `full` ("rutte" of "mark rutte", "yoon" of "yoon suk yeol")."""
    k = len(short)
    if k >= len(full):
        return False
    return all(map(same_word, short, full[:k])) or all(map(same_word, short, full[-k:]))


def _lang(article: Article) -> str:
    return article.language if article.language in SUPPORTED else DEFAULT
