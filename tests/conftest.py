"""Shared test set-up: no test reaches a real LLM, and caches live in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_llm_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OPENAI_API_KEY must never turn a test into a paid call."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One embedding/LLM cache for the whole session, never the user's own."""
    path = tmp_path_factory.mktemp("voc-cache")
    old = os.environ.get("VOC_CACHE_DIR")
    os.environ["VOC_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("VOC_CACHE_DIR", None)
    else:
        os.environ["VOC_CACHE_DIR"] = old
