"""Embeddings: nothing is embedded twice, and the fast path means what the plain model means."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voc.embed import onnx as embed_onnx
from voc.embed.cache import embed
from voc.embed.model import CHUNK, torch_encoder
from voc.embed.params import EmbedParams

TEXTS = [
    "I cannot log in with single sign-on since this morning",
    "SSO login is broken for our whole team today",
    "Please add a way to send invoices from my phone",
    "Invoicing from the mobile app would save me hours",
    "Month-end close still takes eight days",
    "Closing the books takes far too long every month",
]


def test_the_second_embedding_of_the_same_texts_computes_nothing(tmp_path: Path) -> None:
    config = EmbedParams(cache_dir=tmp_path, embed_backend="torch")
    first, computed = embed(TEXTS, config)
    again, recomputed = embed([*TEXTS, TEXTS[0]], config)
    assert computed == len(TEXTS) and recomputed == 0
    np.testing.assert_array_equal(first, again[: len(TEXTS)])
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)


@pytest.mark.skipif(not embed_onnx.available(), reason="onnxruntime is not installed")
def test_the_fast_path_agrees_with_the_plain_model(tmp_path: Path) -> None:
    fast = embed_onnx.OnnxEncoder(tmp_path / "onnx").encode(TEXTS)
    plain = torch_encoder()(TEXTS)
    assert fast.shape == plain.shape
    assert (fast * plain).sum(axis=1).min() >= 0.999
    # Same meaning, same neighbours: each text's closest other text is its paraphrase.
    for vectors in (fast, plain):
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -1)
        assert sims.argmax(axis=1).tolist() == [1, 0, 3, 2, 5, 4]


def test_handles_links_and_entities_do_not_change_what_a_post_means(tmp_path: Path) -> None:
    config = EmbedParams(cache_dir=tmp_path, embed_backend="torch")
    plain, _ = embed(["my bag is lost & nobody answers"], config)
    post, computed = embed(
        ["@united @AmericanAir my bag is lost &amp; nobody answers http://t.co/x1Yz"], config
    )
    assert computed == 0  # the same words as a text already embedded
    np.testing.assert_array_equal(plain, post)


def test_an_interrupted_embedding_keeps_the_chunks_it_finished(tmp_path: Path) -> None:
    config = EmbedParams(cache_dir=tmp_path, embed_backend="torch")
    texts = [f"Invoice number {i} was paid twice by the client" for i in range(300)]

    def stop_after_first_chunk(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        embed(texts, config, stop_after_first_chunk)
    _, computed = embed(texts, config)
    assert computed == len(texts) - CHUNK
