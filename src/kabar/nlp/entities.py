"""Entity recogniser: a statistical model where one ships, rules and gazetteers where models are weak.

Output labels are PER, ORG and LOC. Countries, cities and regions are all LOC
(a model's GPE is mapped to LOC): the gazetteer knows which LOC entities are
countries, so the canonicaliser needs no separate label.

Order of evidence in one line of text (lines never share a mention):
1. gazetteer lookup (countries from CLDR/pycountry, lang/*/gazetteer.json, aliases);
2. composed organisations: a head plus its place ("Kementerian Luar Negeri
   Korea Selatan") or a national body named with its country;
3. a country name misspelt by one letter after a place preposition ("ke Eusia");
4. titles before names: [affiliation] title [affiliation] Name, the title phrase
   kept as `Mention.role` ("juru bicara Kremlin" on Dmitry Peskov). With a model
   loaded, the model must see a name there (of any type) for the title to make
   it a person, since capitals alone read "Menteri Perumahan Rakyat" as a name;
5. the model fills what the rules left. Rules win any overlap, except that a
   model span may replace gazetteer names it wholly contains ("Bursa Efek
   Indonesia", "Jakarta Pusat"); mentions never overlap;
6. names already found in the article are found again where they recur
   ("Rutte" after "Mark Rutte"), and a model span the model mistyped is
   relabelled PER when it is such a name: one article, one reading of a name.
Without a model (none shipped at the path, or `use_model=False`) steps 1-4 and 6
run alone; that is logged once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kabar.lang import DEFAULT, SUPPORTED, has, load_json, load_lines
from kabar.model import Article, Mention
from kabar.nlp.ner_model import ents, load_model, model_path as resolve_model
from kabar.nlp.tokens import PhraseTrie, Token, fold, joined, norm_key, tokenize

log = logging.getLogger(__name__)

ALIASES_ENV = "KABAR_ALIASES"
LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
          "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC", "PLACE": "LOC", "FAC": "LOC"}
MAX_NAME_TOKENS = 4
_INNER_PUNCT = frozenset("-'’.&()")  # what a name may hold between its words


# --- gazetteer ------------------------------------------------------------------


@dataclass
class GazEntry:
    """One known thing: a country, an organisation, a place, or a user-added name."""

    key: str
    name: str
    type: str | None  # None: an alias target of unknown type, used by the canonicaliser only
    names: dict[str, str] = field(default_factory=dict)  # language -> name (countries)
    country: str | None = None  # ISO code of the nation a generically named body belongs to
    capital_of: str | None = None

    def name_in(self, lang: str | None) -> str:
        return self.names.get(lang or DEFAULT, self.name)


class Gazetteer:
    """Surface forms -> entries, with a token trie for matching running text."""

    def __init__(self, data: dict, particles: Iterable[str]) -> None:
        self.entries: dict[str, GazEntry] = {}
        self._by_norm: dict[str, str] = {}
        self._forms: dict[str, set[str]] = {}  # norm -> surfaces as written (case rules need them)
        self.capital_role: str = data.get("capital_role", "{country}")
        self.particles = frozenset(fold(p) for p in particles)
        self.place_preps = frozenset(fold(p) for p in data.get("place_prepositions", []))
        self.heads: PhraseTrie[bool] = PhraseTrie()
        for h in data.get("org_heads", []):
            self.heads.add(h, True)
        self.trie: PhraseTrie[tuple[GazEntry, bool]] = PhraseTrie()
        self._typo: dict[tuple[str, str], set[str]] = {}  # (language, name with one letter blanked) -> countries

    # building
    def add(self, entry: GazEntry) -> GazEntry:
        self.entries.setdefault(entry.key, entry)
        return self.entries[entry.key]

    def add_surface(self, surface: str, entry: GazEntry, override: bool = False) -> None:
        k = norm_key(surface)
        if not k:
            return
        if override or k not in self._by_norm:
            self._by_norm[k] = entry.key
        self._forms.setdefault(k, set()).add(surface.strip())

    def finish(self) -> None:
        """Build the matching structures once every surface is known."""
        for k, forms in self._forms.items():
            entry = self.entries[self._by_norm[k]]
            if entry.type is None:
                continue
            for form in forms:
                exact = not any(c.islower() for c in form) or form[0].islower()
                self.trie.add(form, (entry, exact))
        for entry in self.entries.values():  # typos are judged against a language's own country names
            for lang, name in entry.names.items():
                if entry.key[4:].isalpha() and " " not in name and len(name) >= 5:
                    f = fold(name)
                    for i in range(len(f)):
                        self._typo.setdefault((lang, f[:i] + "?" + f[i + 1:]), set()).add(entry.key)

    # querying
    def lookup(self, text: str) -> GazEntry | None:
        key = self._by_norm.get(norm_key(text))
        return self.entries[key] if key else None

    def country(self, code: str | None) -> GazEntry | None:
        return self.entries.get(f"LOC:{code}") if code else None

    def match(self, tokens: Sequence[Token], i: int) -> tuple[int, GazEntry] | None:
        """Longest entry at token i: acronyms match in their own case, names need a capital first letter."""
        if tokens[i].key not in self.trie.starts:
            return None
        hit = self.trie.longest(tokens, i, _gaz_case_ok)
        return (hit[0], hit[1][0]) if hit else None

    def typo_country(self, word: str, lang: str = DEFAULT) -> GazEntry | None:
        """The one country whose single-word name in `lang` differs from `word` by one substituted letter."""
        w = fold(word.strip())
        if len(w) < 5 or not w.isalpha() or w in self._by_norm:
            return None
        keys: set[str] = set()
        for i in range(len(w)):
            keys |= self._typo.get((lang, w[:i] + "?" + w[i + 1:]), set())
        return self.entries[next(iter(keys))] if len(keys) == 1 else None

    def org_identity(self, text: str) -> str | None:
        """Identity of a composed organisation: its head (or national body) plus its country.

        "Kantor Kepresidenan Republik Korea" and "kantor kepresidenan Korea Selatan"
        share one key; "Badan Intelijen Nasional Korea Selatan" is the national body itself.
        """
        toks = tokenize(text)
        nat = self.match(toks, 0)
        national = nat[1] if nat and nat[1].type == "ORG" and nat[1].country else None
        head = self.heads.longest(toks, 0)
        k = nat[0] if national else head[0] if head else 0
        if not k:
            return None
        loc, mid_end = None, len(toks)
        for j in range(k, len(toks)):
            hit = self.match(toks, j)
            if hit and hit[0] == len(toks) and hit[1].type == "LOC":
                loc, mid_end = hit[1], j
                break
        if loc is None:
            return None
        if national and mid_end == k and loc.key == f"LOC:{national.country}":
            return national.key
        return f"ORG:{norm_key(text[:toks[mid_end - 1].end])}@{loc.key}"


def _gaz_case_ok(phrase: tuple[str, ...], toks: Sequence[Token], value: tuple[GazEntry, bool]) -> bool:
    if value[1]:
        return all(p == t.text for p, t in zip(phrase, toks))
    return toks[0].is_cap


def _alias_lines(lines: Iterable[str]) -> Iterable[tuple[str, str, str | None]]:
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) >= 2 and parts[0] and parts[1]:
            yield parts[0], parts[1], (parts[2].upper() if len(parts) > 2 and parts[2] else None)


@lru_cache(maxsize=8)
def _build_gazetteer(paths: tuple[str, ...], env: str) -> Gazetteer:
    import pycountry
    from babel import Locale

    base = load_json(DEFAULT, "gazetteer.json")
    extra = [load_json(lang, "gazetteer.json") for lang in SUPPORTED if lang != DEFAULT and has(lang, "gazetteer.json")]
    gaz = Gazetteer(base, [p for d in (base, *extra) for p in d.get("name_particles", [])])
    skip_codes = {c for d in (base, *extra) for c in d.get("exclude_territories", [])}
    skip_names = {fold(n) for d in (base, *extra) for n in d.get("exclude_names", [])}

    def surface(name: str, entry: GazEntry, override: bool = False) -> None:
        if fold(name) not in skip_names and "," not in name:
            gaz.add_surface(name, entry, override)

    # Countries and world regions: CLDR names in every supported language, then pycountry's English forms.
    for lang in (DEFAULT, *[x for x in SUPPORTED if x != DEFAULT]):
        for code, name in Locale.parse(lang).territories.items():
            if code in skip_codes:
                continue
            e = gaz.add(GazEntry(f"LOC:{code}", name, "LOC"))
            e.names.setdefault(lang, name)
            surface(name, e)
    for c in pycountry.countries:
        e = gaz.entries.get(f"LOC:{c.alpha_2}")
        if e:
            for attr in ("name", "common_name", "official_name"):
                if getattr(c, attr, None):
                    surface(getattr(c, attr), e)
    for d in (base, *extra):
        for typ in ("ORG", "LOC", "PER"):
            for item in d.get(typ, []):
                e = gaz.add(GazEntry(f"{typ}:{item['name']}", item["name"], typ, country=item.get("country"),
                                     capital_of=item.get("capital_of")))
                for s in (item["name"], *item.get("aliases", [])):
                    surface(s, e)
    # Aliases last, so a user's line overrides what ships.
    lines: list[str] = []
    for lang in SUPPORTED:
        if has(lang, "aliases.tsv"):
            lines.extend(load_lines(lang, "aliases.tsv"))
    for p in (Path(x) for x in (*paths, *env.split(os.pathsep)) if x):
        try:
            lines.extend(p.read_text(encoding="utf-8").splitlines())
        except OSError as exc:
            log.warning("alias file %s unreadable: %s", p, exc)
    for alias, canonical, typ in _alias_lines(lines):
        e = gaz.lookup(canonical)
        if e is None or (typ and e.type and e.type != typ):
            e = gaz.add(GazEntry(f"{typ or 'ANY'}:{canonical}", canonical, typ))
            gaz.add_surface(canonical, e, override=True)
        gaz.add_surface(alias, e, override=True)
    gaz.finish()
    return gaz


def load_gazetteer(alias_paths: Iterable[str | Path] = ()) -> Gazetteer:
    """The shared gazetteer plus the user's alias files (`alias_paths`, then $KABAR_ALIASES); cached."""
    return _build_gazetteer(tuple(str(p) for p in alias_paths), os.environ.get(ALIASES_ENV, ""))


# --- titles ---------------------------------------------------------------------


class Titles:
    """Titles and honorifics of one language, matched as [prefix]* role [suffix]?."""

    def __init__(self, data: dict) -> None:
        self.affiliation_before: bool = bool(data.get("affiliation_before"))
        strict = set(data.get("case_sensitive", []))
        full = data.get("abbreviations", {})
        roles = [*data.get("roles", []), *full]
        roles += [f"{h} {p}" for h in data.get("portfolio_heads", []) for p in data.get("portfolios", [])]
        self.roles: PhraseTrie[tuple[str, bool]] = PhraseTrie()
        for r in roles:
            self.roles.add(r, (full.get(r, r), r in strict))
        self.honorifics: PhraseTrie[tuple[str, bool]] = PhraseTrie()
        for h in data.get("honorifics", []):
            self.honorifics.add(h, (h, h in strict))
        self.prefixes: PhraseTrie[tuple[str, bool]] = PhraseTrie()
        for p in data.get("prefixes", []):
            self.prefixes.add(p, (p, p in strict))
        self.suffixes: PhraseTrie[tuple[str, bool]] = PhraseTrie()
        for s in data.get("suffixes", []):
            self.suffixes.add(s, (s, s in strict))
        self._firsts = {t.key for p in (*roles, *data.get("honorifics", []), *data.get("prefixes", [])) for t in tokenize(p)[:1]}

    @classmethod
    @lru_cache(maxsize=None)
    def load(cls, lang: str) -> "Titles":
        return cls(load_json(lang, "titles.json"))

    def match(self, tokens: Sequence[Token], i: int) -> tuple[int, bool] | None:
        """(end, is_role) of the title starting at token i; honorifics are not roles."""
        if tokens[i].key not in self._firsts:
            return None
        h = self.honorifics.longest(tokens, i, _title_case_ok)
        if h:
            return h[0], False
        j = i
        while (p := self.prefixes.longest(tokens, j, _title_case_ok)) is not None:
            j = p[0]
        r = self.roles.longest(tokens, j, _title_case_ok)
        if r is None:
            return None
        s = self.suffixes.longest(tokens, r[0], _title_case_ok)
        return (s[0] if s else r[0]), True

    def normalise(self, role: str, gaz: Gazetteer, lang: str | None = None) -> str:
        """One spelling per role across articles: abbreviations expanded, affiliations canonical.

        "Sekjen NATO" -> "Sekretaris Jenderal NATO"; "presiden Korsel" -> "Presiden Korea Selatan".
        """
        toks = tokenize(role)
        parts: list[str] = []
        j = 0
        if self.affiliation_before and (aff := gaz.match(toks, 0)) is not None and aff[0] < len(toks):
            parts.append(aff[1].name_in(lang))
            j = aff[0]
        while (p := self.prefixes.longest(toks, j)) is not None:
            parts.append(role[toks[j].start:toks[p[0] - 1].end])
            j = p[0]
        r = self.roles.longest(toks, j)
        if r is None:
            return role.strip()
        parts.append(r[1][0])
        j = r[0]
        if (s := self.suffixes.longest(toks, j)) is not None:
            parts.append(role[toks[j].start:toks[s[0] - 1].end])
            j = s[0]
        if j < len(toks):
            rest = role[toks[j].start:]
            e = gaz.lookup(rest)
            parts.append(e.name_in(lang) if e and e.type else rest)
        return " ".join(parts)

    def strip(self, text: str, gaz: Gazetteer) -> str:
        """`text` without a leading title and its affiliation: "Sekjen NATO Rutte" -> "Rutte"."""
        toks = tokenize(text)
        m = self.match(toks, 0) if toks else None
        if m is None:
            return text
        j = m[0]
        if j < len(toks) and (aff := gaz.match(toks, j)) is not None and aff[0] < len(toks):
            j = aff[0]
        return text[toks[j].start:] if j < len(toks) else text


def _title_case_ok(phrase: tuple[str, ...], toks: Sequence[Token], value: tuple[str, bool]) -> bool:
    return not value[1] or all(p == t.text for p, t in zip(phrase, toks))


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (folded); they end name runs and are never names."""
    from spacy.util import get_lang_class

    try:
        return frozenset(fold(w) for w in get_lang_class(lang).Defaults.stop_words)
    except Exception:  # a language spaCy lacks: no stop words rather than no recogniser
        return frozenset()


# --- the recogniser -------------------------------------------------------------


@dataclass
class _Span:
    a: int  # token indices in the line, end exclusive
    b: int
    label: str
    source: str
    role: str | None = None
    entry: GazEntry | None = None  # what a gazetteer span matched


class _Line:
    """One line of the article: its tokens and the spans found so far, never overlapping."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.tokens = tokenize(text[start:end], start)
        self.spans: list[_Span] = []
        self.covered = [False] * len(self.tokens)
        self.titlecase = False  # judged once the known names are marked

    def free(self, a: int, b: int) -> bool:
        return not any(self.covered[a:b])

    def add(self, span: _Span) -> None:
        """Add a span, dropping any span it contains (a composed ORG swallows its parts)."""
        self.spans = [s for s in self.spans if not (span.a <= s.a and s.b <= span.b)]
        self.spans.append(span)
        for k in range(span.a, span.b):
            self.covered[k] = True

    def fits(self, span: _Span) -> bool:
        """Whether a model span may go in: it overlaps nothing, or it is a longer name around
        gazetteer names only ("Bursa Efek Indonesia", "Jakarta Pusat"). A person's name may
        end in a place ("Badrodin Haiti") but not start with one ("Ukraina Zelensky" is
        affiliation + name) nor hold an organisation ("Mengutip Yonhap"), and a place does not run on
        from a country's name."""
        inside = [s for s in self.spans if s.a < span.b and s.b > span.a]
        if not inside:
            return True
        if self.titlecase or not all(t.is_cap for t in self.tokens[span.a:span.b] if t.is_word):
            return False  # "provinsi Kursk", or a headline's capitals: the known name stands
        if not all(s.source == "gazetteer" and span.a <= s.a and s.b <= span.b for s in inside):
            return False
        if span.label == "PER" and not all(s.label == "LOC" and span.a < s.a and s.b == span.b for s in inside):
            return False
        if span.label == "LOC" and any(s.a == span.a and s.entry is not None and s.entry.names for s in inside):
            return False  # a country's name is whole: "(mitranya dari) Ukraina Zelensky" is country + name
        return span.b - span.a > sum(s.b - s.a for s in inside)

    def slice(self, a: int, b: int) -> str:
        """Text of tokens a..b-1 as written."""
        return self.text[self.tokens[a].start:self.tokens[b - 1].end]

    def starting(self) -> dict[int, _Span]:
        return {s.a: s for s in self.spans}


def _is_titlecase(line: _Line, stops: frozenset[str], titles: Titles) -> bool:
    """A headline written In Title Case: capitals there say nothing about names.

    Judged on the words that are neither known names nor titles, so a sentence
    dense with titles and names ("Wakil Menteri Luar Negeri Pertama ...") is not one.
    """
    toks, covered, firsts = line.tokens, line.covered, titles._firsts
    words: list[Token] = []
    lower, n = 0, len(toks)
    j = 1
    while j < n:
        if not covered[j]:
            t = toks[j]
            if t.key in firsts and (m := titles.match(toks, j)):  # asked of every word: the cheap test first
                j = m[0]
                continue
            if t.text.isalpha() and len(t.text) >= 4:
                words.append(t)
                if not t.is_cap:
                    lower += 1
                    if lower * 4 > len(words) + n - j - 1:  # too many lower-case words, whatever follows: prose
                        return False
        j += 1
    if len(words) < 3:
        return False
    cap_stops = sum(1 for t in words if t.is_cap and t.key in stops)
    return lower == 0 or (cap_stops > 1 and lower * 4 <= len(words))


class EntityRecognizer:
    """Per-article stage: fills `article.mentions` (ids `<article>:m<n>`, in text order)."""

    name = "entities"

    def __init__(self, model_path: str | Path | None = None, alias_paths: Iterable[str | Path] = (),
                 use_model: bool = True) -> None:
        """`model_path`: a shipped model's name ("fast", the default, or "e5") or a pipeline folder."""
        self.gaz = load_gazetteer(alias_paths)
        self.titles = {lang: Titles.load(lang) for lang in SUPPORTED}
        self.stops = {lang: stop_words(lang) for lang in SUPPORTED}
        self.any_stop = frozenset().union(*self.stops.values())  # "Poppy The Untold" is no longer name
        self.nlp = load_model(resolve_model(model_path)) if use_model else None

    def __call__(self, article: Article) -> Article:
        return self.pipe([article])[0]

    def pipe(self, articles: list[Article]) -> list[Article]:
        """Several articles at once: the model runs once over all their lines (its cost per call is
        a fixed part, BLAS packing its weights and the layers' dispatch, plus a part per word)."""
        lines = [[_Line(a.text, start, end) for start, end in _line_bounds(a.text)] for a in articles]
        found = iter(self._model_spans([line for article_lines in lines for line in article_lines]))
        for article, article_lines in zip(articles, lines):
            self._resolve(article, article_lines, [next(found) for _ in article_lines])
        return articles

    def _resolve(self, article: Article, lines: list[_Line], model: list[list[_Span]]) -> None:
        """The rules over one article's lines and the model's spans for them; fills `article.mentions`."""
        lang = article.language if article.language in self.titles else DEFAULT
        text = article.text
        for line, cands in zip(lines, model):
            self._rules(line, lang, cands)
        names = _known_names(lines)
        for line in lines:
            self._propagate(line, lang, names)
        spans = sorted(((ln.tokens[s.a].start, ln.tokens[s.b - 1].end, s) for ln in lines for s in ln.spans),
                       key=lambda x: x[0])
        article.mentions = [
            Mention(id=f"{article.id}:m{n}", start=a, end=b, text=text[a:b], label=s.label, source=s.source, role=s.role)
            for n, (a, b, s) in enumerate(spans, 1)
        ]

    # --- rules within one line ---

    def _rules(self, line: _Line, lang: str, model: list[_Span]) -> None:
        toks, gaz = line.tokens, self.gaz
        i = 0
        while i < len(toks):
            hit = gaz.match(toks, i) if toks[i].is_word and toks[i].key in gaz.trie.starts else None
            if hit:
                line.add(_Span(i, hit[0], hit[1].type, "gazetteer", entry=hit[1]))
                i = hit[0]
            else:
                i += 1
        self._compose_orgs(line, lang)
        line.titlecase = _is_titlecase(line, self.stops[lang], self.titles[lang])
        for i, t in enumerate(toks):  # "ke Eusia": a lone capitalised word after a place preposition
            if (i and not line.covered[i] and t.is_cap and toks[i - 1].key in self.gaz.place_preps
                    and not (i + 1 < len(toks) and toks[i + 1].is_cap) and self.gaz.typo_country(t.text, lang)):
                line.add(_Span(i, i + 1, "LOC", "rule"))
        model = [t for s in model if (t := self._untitled(line, s, lang))]
        if not line.titlecase:
            self._titled(line, lang, model)
        for s in model:
            if line.fits(s):
                line.add(s)

    def _untitled(self, line: _Line, span: _Span, lang: str) -> _Span | None:
        """A model person span without the title and affiliation it may start with ("Presiden Yoon" -> "Yoon",
        "Sekjen NATO Mark Rutte" -> "Mark Rutte"): titles are roles, affiliations are entities of their own."""
        toks = line.tokens
        titled = any((m := self.titles[lang].match(toks, j)) is not None and m[0] == span.a
                     for j in range(max(0, span.a - 4), span.a))
        if span.label != "PER" and not titled:
            return span
        a = span.a
        if (m := self.titles[lang].match(line.tokens, a)) is not None:
            a = m[0]
        aff = self.gaz.match(toks, a) if a < span.b else None
        if aff is not None and aff[1].type in ("ORG", "LOC"):
            a = aff[0]
        if a == span.a:
            return span
        if a >= span.b:
            return None
        # After a title, what follows the affiliation is the titled person, whatever the model called it;
        # a span relabelled or cut at its affiliation is the rule's finding, not the model's.
        cut = span.label != "PER" or (aff is not None and aff[0] == a)
        return _Span(a, span.b, "PER", "rule" if cut else span.source)

    def _compose_orgs(self, line: _Line, lang: str) -> None:
        """Head [+ words] + place ("Kementerian Luar Negeri Korea Selatan"), head + organisation
        ("Kantor Berita Yonhap"), or a national body + its country."""
        toks, heads = line.tokens, self.gaz.heads
        starts = line.starting()
        i = 0
        while i < len(toks):
            gz = starts.get(i)
            national = gz is not None and gz.entry is not None and gz.entry.type == "ORG" and gz.entry.country
            if gz and not national:
                i = gz.b
                continue
            head = None if national or not toks[i].is_cap or toks[i].key not in heads.starts else heads.longest(toks, i)
            if not national and (head is None or not line.free(i, head[0])):
                i += 1
                continue
            k = gz.b if national else head[0]
            nxt = starts.get(k)
            if head and nxt and nxt.label == "ORG":
                end = nxt.b
            else:
                m = k
                while head and m < len(toks) and m - k < MAX_NAME_TOKENS and self._name_word(line, m, lang, False):
                    m += 1
                loc = starts.get(m)
                if loc is None or loc.label != "LOC":  # no country, no composition: the model knows more names
                    i = k if national else i + 1
                    continue
                end = loc.b
            line.add(_Span(i, end, "ORG", "rule"))
            starts = line.starting()
            i = end

    def _name_word(self, line: _Line, j: int, lang: str, first: bool = True) -> bool:
        """A free capitalised word that is no title; a name's first word is no stop word either
        ("Menurut Rutte"), later ones may be ("Jawa Tengah", "Kementerian Dalam Negeri")."""
        t = line.tokens[j]
        return (not line.covered[j] and t.is_word and t.is_cap and not (first and t.key in self.stops[lang])
                and self.titles[lang].match(line.tokens, j) is None)

    def _next_name_word(self, line: _Line, j: int, k: int, lang: str) -> bool:
        """Token k, next to token j with at most one space between, is a name word and no stop word."""
        a, b = sorted((j, k))
        return (line.tokens[a].end + 1 >= line.tokens[b].start and line.tokens[k].key not in self.any_stop
                and self._name_word(line, k, lang))

    def _name_end(self, line: _Line, k: int, lang: str) -> int:
        """End of the capitalised name run at k ("Hong Jang-won", "Osama bin Laden"), k when none."""
        toks = line.tokens
        j = k
        while j < len(toks) and j - k < 2 * MAX_NAME_TOKENS:
            if self._name_word(line, j, lang, j == k):
                j += 1
            elif j > k and joined(toks, j) and toks[j].text in "-'’" and toks[j + 1].is_word:
                j += 2
            elif (j > k and j + 1 < len(toks) and toks[j].key in self.gaz.particles
                  and self._name_word(line, j + 1, lang)):
                j += 1
            elif j > k and toks[j].text == "." and len(toks[j - 1].text) == 1 and j + 1 < len(toks) and toks[j + 1].is_cap:
                j += 1  # an initial: "George W. Bush"
            else:
                break
        return j

    def _titled(self, line: _Line, lang: str, model: list[_Span]) -> None:
        """PER after a title, the title phrase with its affiliations as the role.

        Affiliations are ORG/LOC mentions or acronyms ("Gubernur DKI Jakarta"). With a
        model loaded, the model must see a name in the name run (capitals alone
        would make "Menteri Perumahan Rakyat" a person); the title makes it a person
        and sets the role.
        """
        titles = self.titles[lang]
        toks = line.tokens
        ends = {s.b: s for s in line.spans}
        mstarts = {s.a: s for s in model if s.label != "PER"}
        mspans = {(s.a, s.b) for s in model}
        persons = [s for s in model if s.label == "PER"]
        i = 0
        while i < len(toks):
            m = titles.match(toks, i) if toks[i].key in titles._firsts and toks[i].is_word and not line.covered[i] else None
            if m is None:
                i += 1
                continue
            t_end, is_role = m
            role_start = i
            before = ends.get(i)
            if titles.affiliation_before and before and before.label in ("ORG", "LOC"):
                role_start = before.a
            k = t_end
            while k < len(toks):
                aff = line.starting().get(k)
                if aff is None and k in mstarts and line.free(mstarts[k].a, mstarts[k].b):
                    # a model span is an affiliation only with a name after it; else it is the name, mistyped
                    after = _after_affiliation(toks, mstarts[k].b)
                    aff = mstarts[k] if self._name_end(line, after, lang) > after else None
                if aff is not None and aff.label in ("ORG", "LOC"):
                    if aff.source == "model":
                        line.add(aff)
                    k = aff.b
                elif not line.covered[k] and _is_acronym(toks[k].text):
                    k += 1
                else:
                    break
            role_end = k
            if k > t_end:
                k = _after_affiliation(toks, k)
            end = self._name_end(line, k, lang)
            words = [j for j in range(k, end) if toks[j].is_word and not (j > k and joined(toks, j - 1))]
            if role_end == t_end and len(words) > 3:  # "Gubernur Jawa Tengah Ganjar Pranowo": the name is the tail
                role_end = k = words[-2]
            seen = [p for p in persons if p.a < max(end, k + 1) and p.b > k]
            if seen and seen[0].a == k and line.fits(seen[0]):  # the model's boundaries where it agrees on the start
                end = seen[0].b
            # the model saw a name here (if of another type), or title + known affiliation + a two-word name
            # ("juru bicara Kremlin Dmitry Peskov"): that frame is evidence enough without the model
            named = seen or (k, end) in mspans or (role_end > t_end and len(words) >= 2)
            if end == k or (self.nlp is not None and not named):
                i = t_end
                continue
            role = line.slice(role_start, role_end) if is_role else None
            line.add(_Span(k, end, "PER", seen[0].source if seen and seen[0].a == k else "rule", role))
            i = end

    def _propagate(self, line: _Line, lang: str, names: "_Names") -> None:
        """Tag recurrences of names this article already names: full names, then first/last names.

        A model span the model called a place or an organisation that starts or ends
        with a name this article gives a person ("Volodymyr Zelensky" beside
        "Presiden Zelensky") is that person: one article, one reading of a name.
        """
        toks = line.tokens
        for s in line.spans:
            words = [t.text for t in toks[s.a:s.b] if t.is_word]
            if s.source == "model" and s.label != "PER" and all(w[0].isupper() for w in words) and (
                    words[0] in names.first or words[-1] in names.last):
                s.label = "PER"
        i = 0
        while i < len(toks):
            t = toks[i]
            if line.covered[i] or not t.is_word or not t.is_cap or t.key in self.stops[lang]:
                i += 1
                continue
            full = next((e for n in names.full.get(t.text, ()) if (e := _words_end(toks, i, n)) and line.free(i, e)), 0)
            if full:
                line.add(_Span(i, full, "PER", "rule"))
                i = full
                continue
            if t.text not in names.parts:
                i += 1
                continue
            a, b = i, i + 1
            if not line.titlecase:  # "Volodymyr [Zelensky]" when Zelensky is known; "[Kim] Jong Un" when Kim is
                while t.text in names.last and a > 0 and i - a < 2 and self._next_name_word(line, a, a - 1, lang):
                    a -= 1
                while t.text in names.first and b < len(toks) and b - i < 3 and self._next_name_word(line, b - 1, b, lang):
                    b += 1
            line.add(_Span(a, b, "PER", "rule"))
            i = b

    # --- model ---

    def _model_spans(self, lines: list[_Line]) -> list[list[_Span]]:
        if self.nlp is None:
            return [[] for _ in lines]
        out: list[list[_Span]] = []
        found = ents(self.nlp, [[t.text for t in ln.tokens] for ln in lines])
        for line, line_ents in zip(lines, found):
            toks = line.tokens
            spans = []
            for start, end, model_label in line_ents:
                label = LABELS.get(model_label)
                span = _align(toks, start, end) if label else None
                if span:
                    spans.append(_Span(span[0], span[1], label, "model"))
            out.append(spans)
        return out


@dataclass
class _Names:
    full: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # first word -> full names (2+ words)
    first: set[str] = field(default_factory=set)
    last: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)


def _known_names(lines: list[_Line]) -> _Names:
    names = _Names()
    for line in lines:
        for s in line.spans:
            if s.label != "PER":
                continue
            words = tuple(t.text for t in line.tokens[s.a:s.b] if t.is_word)
            if len(words) > 1:
                names.full.setdefault(words[0], []).append(words)
            for w, bucket in ((words[0], names.first), (words[-1], names.last)):
                if len(w) >= 3 and w[0].isupper():
                    bucket.add(w)
    for v in names.full.values():
        v.sort(key=len, reverse=True)
    names.parts = names.first | names.last
    return names


def _words_end(toks: Sequence[Token], i: int, words: tuple[str, ...]) -> int:
    """End token index when `words` are written at i (inner hyphens allowed: "Hong Jang-won"), else 0."""
    n, j = 0, i
    while j < len(toks) and n < len(words):
        if toks[j].is_word:
            if toks[j].text != words[n]:
                return 0
            n += 1
        elif not joined(toks, j):
            return 0
        j += 1
    return j if n == len(words) else 0


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _after_affiliation(toks: Sequence[Token], k: int, limit: int = 12) -> int:
    """Where the name starts after an affiliation: past "(Pakta Pertahanan Atlantik Utara)" and a comma."""
    if k < len(toks) and toks[k].text == "(":
        k = next((j + 1 for j in range(k + 1, min(len(toks), k + limit)) if toks[j].text == ")"), k)
    return k + 1 if k < len(toks) and toks[k].text == "," else k


def _align(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """The model's span of tokens [start, end) cut before an unclosed "(", at separators
    inside ("TAG#Mark Rutte" keeps its longest piece), and trimmed of punctuation."""
    idx = list(range(start, end))
    texts = [tokens[n].text for n in idx]
    if "(" in texts and ")" not in texts[texts.index("("):]:
        idx = idx[:texts.index("(")]
    pieces: list[list[int]] = [[]]
    for n in idx:
        if tokens[n].is_word or tokens[n].text in _INNER_PUNCT:
            pieces[-1].append(n)
        else:
            pieces.append([])
    idx = max(pieces, key=lambda p: sum(tokens[n].is_word for n in p))
    while idx and not tokens[idx[0]].is_word:
        idx.pop(0)
    while idx and not tokens[idx[-1]].is_word:
        idx.pop()
    return (idx[0], idx[-1] + 1) if idx else None


def _line_bounds(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if any(c.isalnum() for c in line):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out
