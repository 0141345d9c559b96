import copy

from kabar.crossdoc.brief import Briefer, summarize_article
from kabar.crossdoc.copies import jaccard, shingles
from kabar.crossdoc.stories import StoryClusterer
from kabar.model import Article, Corpus, Story
from kabar.nlp.sentences import SentenceSplitter

STORY_A = (
    "Gempa bermagnitudo 5,6 mengguncang Kabupaten Cianjur pada Senin siang dan merusak ribuan rumah warga.\n\n"
    "Badan Nasional Penanggulangan Bencana mencatat sedikitnya 162 orang meninggal dunia akibat gempa tersebut.\n\n"
    "Presiden meninjau lokasi bencana keesokan harinya dan menjanjikan bantuan perbaikan rumah warga yang rusak.\n\n"
    "Cuaca di Cianjur cerah berawan sepanjang hari menurut prakiraan setempat untuk pekan ini."
)
STORY_B = (
    "Tim SAR gabungan terus mencari korban yang tertimbun longsor di Desa Cijedil, Cianjur, akibat gempa.\n\n"
    "Badan Nasional Penanggulangan Bencana mencatat sedikitnya 162 orang meninggal dunia akibat gempa tersebut.\n\n"
    "Ribuan warga masih bertahan di tenda pengungsian karena khawatir gempa susulan kembali terjadi."
)


def _split(articles):
    splitter = SentenceSplitter()
    return [splitter(a) for a in articles]


def _assert_verbatim_and_cited(corpus: Corpus, brief):
    texts = {a.id: a.text for a in corpus.articles}
    for b in brief:
        assert b.cite.article in texts
        assert texts[b.cite.article][b.cite.start:b.cite.end] == b.cite.text == b.text


def test_summarize_article_picks_verbatim_sentences_in_article_order():
    (art,) = _split([Article(id="s1", text=STORY_A)])
    summary = summarize_article(art, n=2)
    assert len(summary) == 2
    _assert_verbatim_and_cited(Corpus(articles=[art]), summary)
    assert summary[0].cite.start < summary[1].cite.start
    assert summary[0].text.startswith("Gempa bermagnitudo")  # the lead carries the gist


def test_short_article_summary_is_the_whole_article():
    (art,) = _split([Article(id="s2", text="Harga cabai naik tajam di pasar tradisional menjelang akhir tahun ini.")])
    assert [b.text for b in summarize_article(art, n=3)] == [art.text]


def test_a_sentence_shared_by_two_outlets_appears_once():
    arts = _split([Article(id="a", text=STORY_A, published="2022-11-21"), Article(id="b", text=STORY_B, published="2022-11-22")])
    corpus = Corpus(articles=arts, stories=[Story(id="st1", title="Gempa Cianjur", articles=["a", "b"])])
    brief = Briefer()(corpus).stories[0].brief
    _assert_verbatim_and_cited(corpus, brief)
    assert sum("162 orang" in b.text for b in brief) == 1
    grams = [shingles(b.text) for b in brief]
    assert all(jaccard(grams[i], grams[j]) < 0.5 for i in range(len(grams)) for j in range(i))
    assert {b.cite.article for b in brief} == {"a", "b"}


def test_empty_story_has_an_empty_brief():
    corpus = Corpus(stories=[Story(id="st1", title="", articles=[])])
    assert Briefer()(corpus).stories[0].brief == []


def test_seed_brief_quotes_the_articles(seed_articles):
    corpus = Corpus(articles=_split(copy.deepcopy(seed_articles)))
    corpus = Briefer()(StoryClusterer(embed=False)(corpus))
    (story,) = corpus.stories
    assert 5 <= len(story.brief) <= 8
    _assert_verbatim_and_cited(corpus, story.brief)
    assert len({b.cite.article for b in story.brief}) >= 3  # a story brief draws on several outlets


def test_full_pipeline_seed_story(seed_corpus):
    """End to end: one story of the five seeds, a cited brief, every citation exact."""
    from kabar.model import check_cites

    assert len(seed_corpus.stories) == 1
    assert sorted(seed_corpus.stories[0].articles) == sorted(a.id for a in seed_corpus.articles)
    assert 5 <= len(seed_corpus.stories[0].brief) <= 8
    _assert_verbatim_and_cited(seed_corpus, seed_corpus.stories[0].brief)
    assert check_cites(seed_corpus) == []


def test_a_huge_story_is_read_through_a_sample():
    arts = _split([Article(id=f"r{i}", text=f"Laporan nomor {i} tentang banjir besar yang melanda kota pesisir itu pekan ini.") for i in range(120)])
    corpus = Corpus(articles=arts, stories=[Story(id="st1", title="", articles=[a.id for a in arts])])
    brief = Briefer(max_articles=10)(corpus).stories[0].brief
    assert 1 <= len(brief) <= 8
    sampled = {f"r{round(i * 119 / 9)}" for i in range(10)}
    assert {b.cite.article for b in brief} <= sampled
    _assert_verbatim_and_cited(corpus, brief)
