"""The embed stage's algorithm: each text's meaningful words as a unit vector, through the
content-addressed cache shared by all runs, so no text is embedded twice with one model. The
texts the cache lacks are encoded by the function given (an engine's `encode`; by default in
this process)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from voc.core.text import meaningful
from voc.embed.model import Progress, Save, encode, encoder_name
from voc.embed.packaged import DIMENSIONS
from voc.embed.params import EmbedParams


class EmbeddingCache:
    """Vectors keyed by sha256(model, text) in one SQLite file shared by every run."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk)
            found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        rows = [(k, v.astype(np.float32).tobytes()) for k, v in items.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()


Encode = Callable[[list[str], EmbedParams, Progress | None, Save | None], np.ndarray]


class Embedder(Protocol):
    """The seam the theme steps embed through (key phrases, codebook seeds): texts in, one
    unit vector per text out."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


def embed(
    texts: Sequence[str],
    params: EmbedParams,
    progress: Progress | None = None,
    encode: Encode = encode,
) -> tuple[np.ndarray, int]:
    """Vectors for the meaningful part of texts (see `voc.core.text.meaningful`;
    L2-normalised, float32) and how many had to be computed."""
    texts = [meaningful(t) for t in texts]
    model = encoder_name(params)
    cache = EmbeddingCache(params.cache_path() / "embeddings.sqlite")
    try:
        keys = [EmbeddingCache.key(model, t) for t in texts]
        known = cache.get_many(sorted(set(keys)))
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            # Each chunk is stored as it is done, so an interrupted run keeps its work.
            def save(rows: np.ndarray, vecs: np.ndarray) -> None:
                cache.put_many({missing[i][0]: v for i, v in zip(rows, vecs, strict=True)})

            fresh = encode([t for _, t in missing], params, progress, save)
            known.update({k: fresh[i] for i, (k, _) in enumerate(missing)})
        if progress and not missing:
            progress(len(texts), len(texts))
        vectors = np.stack([known[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS))
        return vectors.astype(np.float32), len(missing)
    finally:
        cache.close()


def cached_embedder(params: EmbedParams, encode: Encode = encode) -> Embedder:
    """`embed` as an `Embedder`: the vectors only."""
    return lambda texts: embed(texts, params, encode=encode)[0]
