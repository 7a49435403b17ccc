"""Fast CPU embedding path: all-MiniLM-L6-v2 exported to ONNX and run by onnxruntime.

Nothing large is shipped or downloaded. On first use the packaged safetensors weights are
exported to ONNX with ``torch.onnx.export`` (mean pooling and L2 normalisation are part of the
graph) and cached under ``cache_dir``; later runs load the cached file in well under a second.
Texts are tokenised with the ``tokenizers`` library, sorted by length so that each batch pads
to its own longest text, and run through one onnxruntime session from several Python threads
at once (``run`` releases the GIL), each call single-threaded: on small batches of short texts
batch-level parallelism beats onnxruntime's intra-op threads, and it degrades far less when
other processes share the cores. Results come back in the caller's order.

Vectors agree with sentence-transformers' output to a cosine of 1.0000 (float rounding only).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from voc.embed.packaged import DIMENSIONS, model_dir

EXPORT_VERSION = "1"  # bump when the exported graph or quantisation settings change
OPSET = 17


def available() -> bool:
    """True when onnxruntime (with its CPU provider), onnx and tokenizers can be imported."""
    try:
        import onnx  # noqa: F401  (needed by the quantiser on first use)
        import onnxruntime as ort
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return "CPUExecutionProvider" in ort.get_available_providers()


def _fingerprint(model_path: Path) -> str:
    """Content hash of the weights plus the versions that shape the exported file."""
    import onnxruntime as ort
    import torch

    digest = hashlib.sha256()
    with open(model_path / "model.safetensors", "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"{EXPORT_VERSION}|{OPSET}|{torch.__version__}|{ort.__version__}".encode())
    return digest.hexdigest()[:16]


def _export_fp32(model_path: Path, target: Path) -> None:
    """Export transformer + mean pooling + L2 normalisation to one fp32 ONNX graph."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        str(model_path), attn_implementation="eager", local_files_only=True
    ).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    sample = torch.ones((2, 8), dtype=torch.long)
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(model),
            (sample, sample),
            str(target),
            dynamo=False,
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
        )


def build_model(model_path: Path, cache_dir: Path) -> Path:
    """Path of the cached float32 ONNX model for these weights, exporting it first if needed.

    Float32, not int8: on CPUs without VNNI int8 was no faster here, and its per-batch
    activation scales made a text's vector depend on the batch it came in, so a fresh cache
    and a warm one could cluster differently. The file is written under a temporary name and
    renamed into place, so concurrent first runs cannot leave a half-written model behind.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{model_path.name}-{_fingerprint(model_path)}-fp32.onnx"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".build-") as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        _export_fp32(model_path, fp32)
        os.replace(fp32, target)
    return target


class OnnxEncoder:
    """Sentence embeddings from the ONNX export: float32, L2-normalised, input order kept.

    ``cache_dir`` holds the exported model (built on first use, ~10-20 s). ``threads`` is the
    number of batches run in parallel, each on one core; it defaults to the usable CPU count.
    """

    def __init__(
        self,
        cache_dir: Path,
        max_seq_length: int = 256,
        threads: int | None = None,
        model_path: Path | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = Path(model_path) if model_path else model_dir()
        self.onnx_path = build_model(self.model_path, Path(cache_dir).expanduser())
        self.max_seq_length = max_seq_length
        self.tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        self.threads = max(1, threads or len(os.sched_getaffinity(0)))
        self.session = ort.InferenceSession(
            str(self.onnx_path), options, providers=["CPUExecutionProvider"]
        )

    def _batches(
        self, texts: list[str], batch_size: int
    ) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
        """Length-sorted batches, each padded only to its own longest text."""
        encodings = self.tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for k, row in enumerate(rows):
                tokens = encodings[row].ids
                ids[k, : len(tokens)] = tokens
                mask[k, : len(tokens)] = 1
            yield rows, {"input_ids": ids, "attention_mask": mask}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts; returns an (n, 384) float32 array of unit vectors in input order."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out

        def run(batch: tuple[np.ndarray, dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
            rows, feeds = batch
            return rows, self.session.run(None, feeds)[0]

        batches = self._batches(list(texts), batch_size)
        if self.threads == 1:
            results = map(run, batches)
            for rows, vecs in results:
                out[rows] = vecs
        else:
            with ThreadPoolExecutor(self.threads) as pool:
                for rows, vecs in pool.map(run, batches):
                    out[rows] = vecs
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
