"""Shared fixtures. Data under ../shared is required in CI (CI=true) and skipped only on a bare checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`; its absence fails CI loudly instead of skipping."""
    data = SHARED / "data"
    if not data.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{data} missing: CI must run with ../shared beside the clone")
        pytest.skip("../shared/data not present on this checkout")
    return data


@pytest.fixture(scope="session")
def seed_articles():
    """The five seeds ingested and cleaned (no NLP stages), in file order."""
    from kabar.ingest import read_paths

    out = [a for a in read_paths([SEEDS]) if not hasattr(a, "reason")]
    assert len(out) == 5
    return out


@pytest.fixture(scope="session")
def seed_corpus(seed_articles):
    """The seeds through the whole default pipeline (embeddings on), shared by end-to-end tests."""
    import copy

    from kabar.pipeline import Pipeline

    return Pipeline.default().run(copy.deepcopy(seed_articles))
