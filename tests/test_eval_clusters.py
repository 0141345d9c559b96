import json

import pytest

from kabar.eval.clusters import accuracy, bcubed_f1, evaluate, render, scores


def test_identical_partitions_score_one_whatever_the_names():
    gold = [0, 0, 1, 1, 2]
    pred = ["x", "x", "y", "y", "z"]
    s = scores(gold, pred)
    assert s["nmi"] == pytest.approx(1.0)
    assert s["ari"] == pytest.approx(1.0)
    assert s["bcubed_f1"] == pytest.approx(1.0)
    assert s["accuracy"] == pytest.approx(1.0)
    assert s["clusters"] == s["gold_clusters"] == 3


def test_hand_computed_figures():
    # contingency [[2, 0], [1, 1]]: worked out by hand
    gold, pred = [0, 0, 1, 1], [0, 0, 0, 1]
    assert bcubed_f1(gold, pred) == pytest.approx(12 / 17)  # P = 2/3, R = 3/4
    assert accuracy(gold, pred) == pytest.approx(3 / 4)
    s = scores(gold, pred)
    assert s["ari"] == pytest.approx(0.0)
    assert s["nmi"] == pytest.approx(0.34371, abs=1e-4)


def test_accuracy_pairs_clusters_one_to_one():
    # one found cluster holding two gold stories can be credited for one of them only
    assert accuracy([0, 0, 1, 1], [5, 5, 5, 5]) == pytest.approx(0.5)
    # more found clusters than gold stories: the extra ones count as misses
    assert accuracy([0, 0, 0, 0], [1, 1, 2, 3]) == pytest.approx(0.5)


def _items(tmp_path):
    flood = ["banjir rendam rumah warga bandung", "banjir bandung warga mengungsi", "warga bandung korban banjir"]
    sport = ["ganda putra juara jepang terbuka", "juara jepang terbuka ganda putra", "ganda putra raih gelar jepang"]
    path = tmp_path / "items.jsonl"
    rows = [{"text": t, "cluster": "flood"} for t in flood] + [{"title": t, "text": "", "cluster": "sport"} for t in sport]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["stream", "batch"])
def test_evaluate_small_file(tmp_path, method):
    result = evaluate(_items(tmp_path), method=method)
    assert result["items"] == 6 and result["method"] == method
    assert result["nmi"] == pytest.approx(1.0)
    last = render(result).splitlines()[-1]
    assert json.loads(last)["nmi"] == pytest.approx(1.0)


def test_unknown_method(tmp_path):
    with pytest.raises(ValueError):
        evaluate(_items(tmp_path), method="kmeans")


def test_googlenews_sample_beats_chance(shared_data):
    result = evaluate(shared_data / "clustering" / "googlenews" / "TS.jsonl", limit=400)
    assert result["nmi"] > 0.7
