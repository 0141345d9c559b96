import copy
import math

import pytest

from kabar.crossdoc.stories import StoryClusterer, _centroids, batch_cluster, tfidf_matrix
from kabar.model import Article, Corpus, Mention

FLOOD = [
    "Banjir merendam ribuan rumah di Kabupaten Bandung setelah hujan deras sejak Senin malam; warga mengungsi ke balai desa.",
    "Ketinggian banjir di Kabupaten Bandung mencapai dua meter, BPBD mengevakuasi warga dengan perahu karet.",
    "Pemerintah Kabupaten Bandung menetapkan status tanggap darurat banjir dan membuka dapur umum bagi warga mengungsi.",
]
BADMINTON = [
    "Pasangan ganda putra Indonesia menjuarai turnamen bulu tangkis Jepang Terbuka setelah menang dua gim langsung.",
    "Ganda putra Indonesia mempertahankan gelar Jepang Terbuka; pelatih bulu tangkis memuji konsistensi pasangan itu.",
    "Gelar Jepang Terbuka menjadi modal ganda putra Indonesia menuju kejuaraan dunia bulu tangkis bulan depan.",
]


def _stream() -> list[Article]:
    """The two stories interleaved, as a feed would deliver them."""
    arts = []
    for i, (f, b) in enumerate(zip(FLOOD, BADMINTON)):
        arts.append(Article(id=f"f{i}", text=f, published="2024-11-0" + str(i + 1)))
        arts.append(Article(id=f"b{i}", text=b, published="2024-11-0" + str(i + 1)))
    return arts


def _partition(corpus: Corpus) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in corpus.stories}


def test_two_unrelated_stories_are_separated():
    corpus = StoryClusterer(embed=False)(Corpus(articles=_stream()))
    assert _partition(corpus) == {frozenset({"f0", "f1", "f2"}), frozenset({"b0", "b1", "b2"})}
    assert [s.id for s in corpus.stories] == ["st1", "st2"]
    assert corpus.stories[0].articles[0] == "f0"  # stories numbered by their first article
    assert all(s.title for s in corpus.stories)


def test_clustering_is_deterministic():
    one = StoryClusterer(embed=False)(Corpus(articles=_stream()))
    two = StoryClusterer(embed=False)(Corpus(articles=_stream()))
    assert [(s.id, s.title, s.articles) for s in one.stories] == [(s.id, s.title, s.articles) for s in two.stories]


def test_embeddings_separate_the_stories_too():
    corpus = StoryClusterer(embed=True)(Corpus(articles=_stream()))
    assert _partition(corpus) == {frozenset({"f0", "f1", "f2"}), frozenset({"b0", "b1", "b2"})}


def _pair(gap_days: int) -> list[Article]:
    return [
        Article(id="p1", text=FLOOD[0], published="2024-01-01"),
        Article(id="p2", text=FLOOD[1], published=f"2024-{1 + gap_days // 30:02d}-{1 + gap_days % 30:02d}"),
    ]


def test_distance_in_time_weighs_against_joining():
    sim = float((lambda X: (X @ X.T)[0, 1])(tfidf_matrix([FLOOD[0], FLOOD[1]])))
    clusterer = StoryClusterer(embed=False, threshold=sim - 0.05, merge_threshold=math.inf)  # the stream alone
    assert len(clusterer(Corpus(articles=_pair(0))).stories) == 1
    assert len(clusterer(Corpus(articles=_pair(90))).stories) == 2


def test_shared_entities_pull_articles_together():
    arts = [Article(id="e1", text="Menteri itu meresmikan jembatan baru kemarin."), Article(id="e2", text="Jembatan ambruk diterjang arus sungai.")]
    for k, a in enumerate(arts):
        a.mentions = [Mention(id=f"{a.id}:m1", start=0, end=7, text="Menteri", label="PER", entity="ent9")]
    sim = float((lambda X: (X @ X.T)[0, 1])(tfidf_matrix([a.text for a in arts])))
    clusterer = StoryClusterer(embed=False, threshold=sim + 0.05, merge_threshold=math.inf)  # the stream alone
    corpus = clusterer(Corpus(articles=arts))
    assert len(corpus.stories) == 1
    assert corpus.stories[0].entities == ["ent9"]
    for a in arts:
        a.mentions = []
    assert len(clusterer(Corpus(articles=arts)).stories) == 2


def test_batch_reference_separates_the_stories():
    labels = batch_cluster(_stream())
    assert len(set(labels[0::2])) == 1 and len(set(labels[1::2])) == 1 and labels[0] != labels[1]


def test_empty_corpus():
    assert StoryClusterer(embed=False)(Corpus()).stories == []


def test_merge_pass_rejoins_a_split_story():
    X = tfidf_matrix([FLOOD[0], FLOOD[0] + " " + FLOOD[1], BADMINTON[0], BADMINTON[1]])
    clusterer = StoryClusterer(embed=False, merge_threshold=0.5)
    assert clusterer._merge([0, 1, 2, 3], X, None) == [0, 0, 2, 2]
    assert StoryClusterer(embed=False, merge_threshold=0.99)._merge([0, 1, 2, 3], X, None) == [0, 1, 2, 3]


ENGLISH = [
    "Shares rallied in Tokyo after the central bank held rates, traders said on Monday.",
    "Tokyo shares closed higher as traders bet the central bank would keep rates low.",
    "The striker scored twice as the visitors won the league match in the rain.",
    "Rain delayed the league match before the striker scored the winner late on.",
]


def test_each_language_weighs_its_words_by_its_own_texts():
    """Beside many English texts, the Indonesian texts' common words ("di", "dan") must not look
    rare: with languages, their rows are exactly what the Indonesian texts alone would give."""
    indonesian = [
        "Warga yang mengungsi di balai desa akan menerima bantuan banjir dan selimut.",
        "Banjir yang merendam desa itu akan surut, dan warga di pengungsian menunggu bantuan.",
        "Pasangan ganda yang menang di final akan membawa pulang piala dan hadiah bulu tangkis.",
        "Final bulu tangkis itu dimenangi pasangan ganda yang akan bertanding lagi di Jepang dan Korea.",
    ]
    texts = ENGLISH * 5 + indonesian
    langs = ["en"] * 20 + ["id"] * 4
    alone = tfidf_matrix(indonesian)
    mixed, pooled = tfidf_matrix(texts, langs)[20:], tfidf_matrix(texts)[20:]
    assert abs((mixed @ mixed.T).toarray() - (alone @ alone.T).toarray()).max() < 1e-5
    assert (pooled @ pooled.T)[0, 2] > (mixed @ mixed.T)[0, 2] + 0.05  # flood and badminton look alike when pooled


def test_an_article_left_alone_joins_the_story_it_fits_once_stories_are_formed():
    texts = FLOOD[:2] + BADMINTON[:2] + [FLOOD[2], "Harga cabai rawit naik menjelang akhir tahun di pasar tradisional."]
    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    X = tfidf_matrix(texts)
    labels = [0, 0, 2, 2, 4, 5]  # the late flood report and the chilli report each left alone
    L, _ = _centroids(labels, X, None)
    sim = float((X[4] @ L[0].T).toarray()[0, 0])
    assert StoryClusterer(embed=False, threshold=sim - 0.01)._absorb(labels, arts, X, None) == [0, 0, 2, 2, 0, 5]
    assert StoryClusterer(embed=False, threshold=sim + 0.01)._absorb(labels, arts, X, None) == labels
    assert StoryClusterer(embed=False, threshold=-1.0)._absorb([0, 0, 2, 2, 2, 5], arts, X, None)[:5] == [0, 0, 2, 2, 2]  # stories never move


@pytest.mark.parametrize("embed", [False, True], ids=["tfidf", "e5"])
def test_the_five_seeds_are_one_story(seed_articles, embed):
    corpus = StoryClusterer(embed=embed)(Corpus(articles=copy.deepcopy(seed_articles)))
    assert len(corpus.stories) == 1
    assert corpus.stories[0].articles == [a.id for a in seed_articles]
    title = corpus.stories[0].title
    assert title and any(title == a.title or title in a.text for a in seed_articles)


def test_wire_copies_lean_on_the_first_text_and_share_its_vector():
    import numpy as np

    from kabar.crossdoc.embed import DIM
    from kabar.crossdoc.stories import features, lexical_twins

    copy_of = FLOOD[0].replace("ribuan", "ratusan")  # a reworded reprint
    texts = [FLOOD[0], BADMINTON[0], copy_of, FLOOD[1], copy_of]
    X = tfidf_matrix(texts)
    assert lexical_twins(X, 0.8).tolist() == [0, 1, 0, 3, 0]  # a copy of a copy leans on the original
    assert lexical_twins(X, 2.0).tolist() == [0, 1, 2, 3, 4]  # above 1: every text its own

    class Fake:
        def __init__(self):
            self.seen: list[str] = []

        def embed(self, batch):
            self.seen += batch
            return np.random.default_rng(len(self.seen)).normal(size=(len(batch), DIM)).astype(np.float32)

    fake = Fake()
    _, E = features([Article(id=str(i), text=t) for i, t in enumerate(texts)], fake, 0.8)
    assert fake.seen == [FLOOD[0], BADMINTON[0], FLOOD[1]]  # only texts without a twin are embedded
    assert np.allclose(E[2], E[0]) and np.allclose(E[4], E[0]) and not np.allclose(E[1], E[0])
