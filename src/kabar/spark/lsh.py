"""Near-duplicate candidate pairs in Spark: the copy detector's own MinHash banding, never all pairs.

Every article's passages are shingled and MinHashed on the executors with `CopyDetector`'s code
(same shingles, same hash functions, same bands), and Spark joins articles on shared band keys.
The pairs are therefore exactly the article pairs the one-process detector compares, so a
cluster-sized run can partition copy verification by them.
"""

from __future__ import annotations

from typing import Any

from kabar.model import Article, Sentence


def _article(doc: dict[str, Any]) -> Article:
    """The parts of an annotated article (as JSON) that passages and shingles need."""
    return Article(id=doc["id"], text=doc["text"], sentences=[Sentence(s["start"], s["end"]) for s in doc["sentences"]])


def candidate_pairs(spark, docs_rdd):
    """A DataFrame of (a, b) article ids, a < b, that share a MinHash band key of some passage.
    It stays in Spark: at archive scale the pairs outnumber what a driver should hold."""
    from kabar.crossdoc.copies import CopyDetector

    detector = CopyDetector()
    keyed = docs_rdd.flatMap(lambda d: [(key.hex(), d["id"]) for key in detector.band_keys(_article(d))])
    df = spark.createDataFrame(keyed, "key string, article string", verifySchema=False)
    x, y = df.alias("x"), df.alias("y")
    return (x.join(y, "key").where("x.article < y.article")
            .select("x.article", "y.article").toDF("a", "b").distinct())
