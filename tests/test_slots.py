"""Claim slots: ranges, time, verdict rules, grouping and independence, then the seeds' troop slot."""

from __future__ import annotations

import math
import re

import pytest

from kabar.crossdoc.slots import Range, SlotReconciler, as_of, same_time, slot_status, value_range
from kabar.model import Article, Cite, Claim, Copy, Corpus, Entity, Quantity, Story, TimeExpr, Variant

# --- ranges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b,ok",
    [
        ((10000, None, ">"), (12000, 12000, "="), True),  # "lebih dari 10.000" allows 12.000
        ((None, 100000, "<="), (12000, 12000, "="), True),  # "hingga 100.000" allows it too
        ((1500, 1500, "="), (12000, 12000, "="), False),
        ((10000, 10000, "="), (12000, 12000, "="), False),
        ((12000, 12000, "="), (12100, 12100, "="), True),  # rounding slack
        ((1000, 9999, "~"), (12000, 12000, "="), False),  # "ribuan"
        ((1000, 9999, "~"), (10000, None, ">"), True),
        ((10000, None, ">"), (10000, 10000, "="), True),  # 10.000 rounded: within slack above the bound
        ((10000, None, ">"), (9000, 9000, "="), False),
        ((None, 5000, "<"), (5000, 5000, "="), True),
        ((None, 5000, "<"), (6000, 6000, "="), False),
        ((10000, 12000, "="), (11000, 11000, "="), True),  # a range
    ],
)
def test_ranges(a, b, ok):
    ra, rb = value_range(*a), value_range(*b)
    assert ra.meets(rb) is ok and rb.meets(ra) is ok


def test_range_shapes():
    assert value_range(None, None, "=") is None
    assert value_range(10, None, ">=") == Range(10, math.inf)
    assert value_range(None, 10, "<=") == Range(0.0, 10)


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("2024-10", "2024-10-18", True),
        ("2024-10-18", "2024-10-20", True),  # within 3 days
        ("2024-10-01", "2024-11-15", False),
        ("2024-10", "2024-11-20", False),
        (None, "2024-10-01", True),  # unknown time cannot show change
        ("--10-25", "2024-12-01", True),  # unparseable counts as unknown
        ("2024", "2024-06-01", True),
    ],
)
def test_same_time(a, b, same):
    assert same_time(a, b, 3) is same


# --- verdict rules ------------------------------------------------------------------------------


def V(claim, low, high=None, qual="=", stance="asserted", as_of="2024-10-21", group="g1", source="X") -> Variant:
    high = low if high is None and qual in ("=", "~") else high
    return Variant(claim, low, high, qual, None, source, stance, as_of, Cite("a", 0, 0, ""), group)


def test_agreeing_when_ranges_meet():
    status, notes = slot_status([V("c1", 12000), V("c2", 10000, qual=">", group="g2")])
    assert status == "agreeing" and notes == []


def test_conflicting_same_time_independent_sources():
    assert slot_status([V("c1", 1500), V("c2", 12000, group="g2", as_of="2024-10-22")])[0] == "conflicting"


def test_evolving_when_the_later_figure_differs():
    assert slot_status([V("c1", 1500, as_of="2024-10-01"), V("c2", 12000, group="g2", as_of="2024-11-15")])[0] == "evolving"


def test_one_group_disagreeing_with_itself_is_only_noted():
    status, notes = slot_status([V("c1", 1500), V("c2", 12000)])
    assert status == "agreeing" and "g1" in notes[0] and "c1" in notes[0] and "c2" in notes[0]


def test_contested_by_a_refusal_to_confirm():
    status, notes = slot_status([V("c1", 12000), V("c2", None, qual="", stance="unconfirmed", group="g2", source="Peskov")])
    assert status == "contested" and any("unconfirmed by Peskov" in n for n in notes)


def test_disagreement_outranks_contested_but_the_denial_is_noted():
    status, notes = slot_status([V("c1", 1500), V("c2", 12000, group="g2"), V("c3", None, qual="", stance="denied", group="g3", source="Moskow")])
    assert status == "conflicting" and any("denied by Moskow" in n for n in notes)


def test_projection_never_conflicts():
    status, notes = slot_status([V("c1", 12000), V("c2", None, 100000, "<=", stance="projected", group="g2")])
    assert status == "agreeing" and any("projection" in n and "100000" in n for n in notes)
    # even a projection far from the count
    assert slot_status([V("c1", 12000), V("c2", 500000, stance="projected", group="g2")])[0] == "agreeing"


def test_hedged_estimates_still_count():
    assert slot_status([V("c1", 1500), V("c2", 12000, stance="hedged", group="g2")])[0] == "conflicting"


# --- as of --------------------------------------------------------------------------------------


def _article_with_time(value, relation=None, end=None, published="2024-11-01") -> tuple[Article, Claim]:
    a = Article(id="a", text="sejak Oktober 2024", published=published)
    a.times = [TimeExpr("a:t1", a.text, value, "month", True, a.cite(0, len(a.text)), end=end, relation=relation)]
    return a, Claim("a:c1", "kirim", "asserted", a.cite(0, 5), time="a:t1")


def test_as_of():
    assert as_of(*_article_with_time("2024-10")) == "2024-10"
    assert as_of(*_article_with_time("2024-10", "since")) == "2024-11-01"  # a running total holds at publication
    assert as_of(*_article_with_time("2024-10", "since", end="2024-10-20")) == "2024-10-20"
    assert as_of(*_article_with_time(None)) == "2024-11-01"


# --- grouping on a hand-built corpus ------------------------------------------------------------

ENTITIES = [
    Entity("e1", "Korea Utara", "LOC", aliases=["Korut"]),
    Entity("e2", "Rusia", "LOC"),
    Entity("e3", "Pyongyang", "LOC", roles=["ibu kota Korea Utara"]),
    Entity("e4", "Korea Selatan", "LOC"),
]


def article(aid: str, text: str, claims: list[tuple], wires=(), published="2024-10-21", outlet=None, related=()) -> Article:
    """Claims from (sentence, predicate, subject, quantity or None, stance, object); a quantity is
    (span, low, high, qualifier, concept)."""
    a = Article(id=aid, text=text, outlet=outlet or aid.upper(), published=published, language="id", wire_credits=list(wires))
    a.meta["related_headlines"] = list(related)
    for k, (sentence, pred, subj, q, stance, obj) in enumerate(claims, start=1):
        s = text.index(sentence)
        qid = None
        if q:
            qs = text.index(q[0], s)
            qid = f"{aid}:n{k}"
            a.quantities.append(Quantity(qid, q[1], q[2], q[3], a.cite(qs, qs + len(q[0])), concept=q[4]))
        a.claims.append(Claim(f"{aid}:c{k}", pred, stance, a.cite(s, s + len(sentence)), subject=subj, subject_text="Korea Utara",
                              object=obj, quantity=qid, source_text="sumber"))
    return a


S1 = "Korea Utara telah mengirim 1.500 pasukan ke Rusia."
S2 = "Korea Utara mengerahkan 12.000 tentara ke Rusia."
S3 = "Peskov menolak untuk mengkonfirmasi pengerahan pasukan Korea Utara ke Rusia."
S4 = "Pyongyang mengirim lebih dari 10.000 prajurit ke Rusia."
S5 = "Korea Selatan mengirim 40 pesawat ke Polandia."
S6 = "Korea Utara mengirim empat brigade ke Rusia."


def corpus(extra_copies=()) -> Corpus:
    a = article("a1", f"{S1} {S3}", [(S1, "kirim", "e1", ("1.500 pasukan", 1500, 1500, "=", "troops"), "asserted", "1.500 pasukan ke Rusia"),
                                     (S3, "kerah", "e1", None, "unconfirmed", "pasukan Korea Utara ke Rusia")], wires=["Yonhap"],
                related=["AS Yakin Ada 3.000 Tentara Korea Utara yang Sedang Berlatih di Rusia", "Harga Minyak Naik 3 Persen"])
    b = article("a2", f"{S2} {S6}", [(S2, "kerah", "e1", ("12.000 tentara", 12000, 12000, "=", "troops"), "asserted", "12.000 tentara ke Rusia"),
                                     (S6, "kirim", "e1", ("empat brigade", 4, 4, "=", "brigade"), "asserted", "empat brigade ke Rusia")],
                wires=["Yonhap"], published="2024-10-22")
    c = article("a3", f"{S4} {S5}", [(S4, "kirim", "e3", ("lebih dari 10.000 prajurit", 10000, None, ">", "troops"), "asserted", "ke Rusia"),
                                     (S5, "kirim", "e4", ("40 pesawat", 40, 40, "=", "aircraft"), "asserted", "40 pesawat ke Polandia")],
                wires=["AFP"], published="2024-11-20")
    return Corpus(articles=[a, b, c], entities=list(ENTITIES), copies=list(extra_copies),
                  stories=[Story("st1", "Pasukan Korea Utara", articles=["a1", "a2", "a3"])])


def slot_with(c: Corpus, claim_id: str):
    return next(s for s in c.slots if claim_id in s.claims)


def test_claims_about_one_thing_share_a_slot():
    c = SlotReconciler()(corpus())
    troops = slot_with(c, "a1:c1")
    assert troops.claims == ["a1:c1", "a1:c2", "a2:c1", "a3:c1"]  # Pyongyang stands for Korea Utara
    assert (troops.concept, troops.subject) == ("troops", "e1")
    assert troops.label == "Korea Utara — troops (kirim) → Rusia"
    assert slot_with(c, "a2:c2") is not troops and slot_with(c, "a3:c2") is not troops  # brigades; another subject
    assert [s.id for s in c.slots] == [f"s{i}" for i in range(1, len(c.slots) + 1)]


def test_wire_credit_makes_one_group_and_the_verdict_follows():
    c = SlotReconciler()(corpus())
    troops = slot_with(c, "a1:c1")
    groups = {v.claim: v.independent_group for v in troops.variants}
    assert groups["a1:c1"] == groups["a2:c1"] != groups["a3:c1"]
    assert troops.independent_sources == 2
    # 1.500 vs 12.000 come from one Yonhap group: noted only; AFP's later ">10.000" differs from 1.500: evolving
    assert troops.status == "evolving"
    assert any("unconfirmed" in n for n in troops.notes)
    assert c.stories[0].disagreements == [troops.id]
    v = next(v for v in troops.variants if v.claim == "a1:c2")
    assert (v.stance, v.low, v.qualifier) == ("unconfirmed", None, "")


def test_without_the_shared_wire_the_same_figures_conflict():
    base = corpus()
    base.articles[1].wire_credits = []
    troops = slot_with(SlotReconciler()(base), "a1:c1")
    assert troops.independent_sources == 3 and troops.status == "conflicting"


def test_copied_text_joins_groups():
    base = corpus()
    base.articles[1].wire_credits = []
    base.articles[2].wire_credits = []
    a1, a3 = base.articles[0], base.articles[2]
    copy = Copy(a1.cite(0, len(a1.text)), a3.cite(0, len(a3.text)), 0.9, origin=None)
    base.copies.append(copy)
    troops = slot_with(SlotReconciler()(base), "a1:c1")
    groups = {v.claim: v.independent_group for v in troops.variants}
    assert groups["a1:c1"] == groups["a3:c1"] != groups["a2:c1"]


def test_related_headline_is_a_side_note_only():
    c = SlotReconciler()(corpus())
    troops = slot_with(c, "a1:c1")
    notes = [n for n in troops.notes if "related-article headline" in n]
    assert len(notes) == 1 and "3.000" in notes[0] and "A1" in notes[0]  # outlet named; the oil headline is not about troops
    assert all(v.low != 3000 for v in troops.variants)


def test_claims_without_numbers_slot_only_when_they_disagree():
    a = article("b1", S3, [(S3, "kerah", "e1", None, "unconfirmed", "pasukan Korea Utara ke Rusia")])
    b = article("b2", "Korea Utara mengerahkan pasukan ke Rusia.", [("Korea Utara mengerahkan pasukan ke Rusia.", "kerah", "e1", None, "asserted", "pasukan ke Rusia")])
    c = SlotReconciler()(Corpus(articles=[a, b], entities=list(ENTITIES), stories=[Story("st1", "x", ["b1", "b2"])]))
    assert len(c.slots) == 1 and c.slots[0].status == "contested" and c.stories[0].disagreements == ["s1"]
    alone = SlotReconciler()(Corpus(articles=[b], entities=list(ENTITIES)))
    assert alone.slots == []


def test_stories_keep_their_slots_apart():
    base = corpus()
    base.stories = [Story("st1", "x", ["a1", "a2"]), Story("st2", "y", ["a3"])]
    c = SlotReconciler()(base)
    assert "a3:c1" not in slot_with(c, "a1:c1").claims
    assert c.stories[1].disagreements == []


def test_rerun_gives_the_same_slots():
    c = SlotReconciler()(corpus())
    first = [(s.id, s.claims, s.status) for s in c.slots], [s.disagreements for s in c.stories]
    c = SlotReconciler()(c)
    assert ([(s.id, s.claims, s.status) for s in c.slots], [s.disagreements for s in c.stories]) == first


def test_empty_corpus():
    assert SlotReconciler()(Corpus()).slots == []


# --- the seeds ----------------------------------------------------------------------------------


def test_seed_troop_slot(seed_corpus):
    ids = {c.id: c for a in seed_corpus.articles for c in a.claims}
    slots = [s for s in seed_corpus.slots if s.concept == "troops" and any(ids[c].predicate == "kirim" for c in s.claims)]
    troops = max(slots, key=lambda s: len(s.claims))
    values = {v.low or v.high for v in troops.variants}
    assert {1500, 12000, 10000, 100000} <= values
    assert troops.status in ("evolving", "conflicting")
    assert re.match(r"Korea Utara — troops \((kirim|kerah)\) → Rusia", troops.label)
    peskov = [v for v in troops.variants if v.stance == "unconfirmed" and "Peskov" in (v.source_text or "")]
    assert peskov and any("Peskov" in n for n in troops.notes)
    assert any(v.stance == "projected" and v.high == 100000 for v in troops.variants)
    assert any("3.000" in n and "related-article headline" in n for n in troops.notes)
    assert 3000 not in values
    story = next(s for s in seed_corpus.stories if troops.id in s.disagreements)
    assert {ids[c].cite.article for c in troops.claims} <= set(story.articles)
    assert troops.independent_sources >= 2
