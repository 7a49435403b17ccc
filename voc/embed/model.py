"""The packaged model (`voc.embed.packaged`) as a function of a batch of texts: the ONNX
export when onnxruntime is there, else sentence-transformers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from voc.embed.packaged import DIMENSIONS, model_dir
from voc.embed.params import EmbedParams

CHUNK = 256  # texts per encoder call and progress step
Progress = Callable[[int, int], None]
Save = Callable[[np.ndarray, np.ndarray], None]


def torch_encoder() -> Callable[[list[str]], np.ndarray]:
    """Plain sentence-transformers path: always available, the reference for quality."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # voc shows its own progress bar
    model = SentenceTransformer(str(model_dir()), device="cpu")
    return lambda texts: model.encode(
        texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )


def encoder_name(params: EmbedParams) -> str:
    """The model id used in cache keys: vectors from different paths never mix."""
    backend = choose_backend(params)
    return f"{params.embed_model}/{'onnx-fp32' if backend == 'onnx' else backend}"


def choose_backend(params: EmbedParams) -> str:
    """'onnx' when asked for or when it is available under 'auto', else 'torch'."""
    if params.embed_backend == "torch":
        return "torch"
    try:
        from voc.embed import onnx
    except ImportError:
        return "torch"
    return "onnx" if onnx.available() else "torch"


def encoder(params: EmbedParams) -> Callable[[list[str]], np.ndarray]:
    """The configured model as a function of a batch of texts (loaded once per call of this)."""
    if choose_backend(params) == "onnx":
        from voc.embed.onnx import OnnxEncoder

        return OnnxEncoder(params.cache_path() / "onnx").encode
    return torch_encoder()


def encode(
    texts: list[str],
    params: EmbedParams,
    progress: Progress | None = None,
    save: Save | None = None,
) -> np.ndarray:
    """Embed texts in this process, without the cache, in the encoder calls of `chunks` and in
    input order; `save(rows, vectors)` gets each chunk as soon as it is done."""
    model = encoder(params)
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
