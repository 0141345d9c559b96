"""Near-duplicate candidate pairs in Spark: MinHashLSH over word shingles, never all pairs."""

from __future__ import annotations

import re
import zlib

SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> list[int]:
    """Stable hashes (crc32, not Python's salted hash) of k-word shingles, so every executor agrees."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        words = words or [""]
        return [zlib.crc32(" ".join(words).encode())]
    return sorted({zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1)})


def paragraphs(article_id: str, text: str) -> list[tuple[str, str]]:
    return [(article_id, p) for p in re.split(r"\n\s*\n", text) if len(_WORD.findall(p)) >= SHINGLE]


def candidate_pairs(spark, id_text_rdd, threshold: float = 0.7, num_hashes: int = 16) -> set[tuple[str, str]]:
    """Article pairs sharing a paragraph within Jaccard distance `threshold` (LSH, approximate).

    Paragraph level, because a wire copy is often one passage inside an otherwise own article.
    """
    from pyspark.ml.feature import MinHashLSH
    from pyspark.ml.linalg import SparseVector, VectorUDT
    from pyspark.sql.types import StringType, StructField, StructType

    dim = 1 << 20

    def vector(row: tuple[str, str]):
        idx = sorted({h % dim for h in shingles(row[1])})
        return row[0], SparseVector(dim, idx, [1.0] * len(idx))

    schema = StructType([StructField("id", StringType()), StructField("features", VectorUDT())])
    df = spark.createDataFrame(id_text_rdd.flatMap(lambda r: paragraphs(*r)).map(vector), schema)
    if df.rdd.isEmpty():
        return set()
    model = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=num_hashes, seed=13).fit(df)
    joined = model.approxSimilarityJoin(df, df, threshold, distCol="distance")
    rows = joined.select("datasetA.id", "datasetB.id").collect()
    return {(a, b) for a, b in rows if a < b}
