"""The default engine: everything in this process."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voc.embed.model import Progress, Save, encode
from voc.embed.params import EmbedParams
from voc.engine.protocol import Rule

PLACE_BATCH = 1024  # vectors per placement batch: bounds the memory of a vote's similarities


@dataclass
class LocalEngine:
    """Everything in this process."""

    name: str = "local"

    def encode(
        self, texts: list[str], params: EmbedParams, progress: Progress | None, save: Save | None
    ) -> np.ndarray:
        return encode(texts, params, progress, save)

    def place(self, rule: Rule, vectors: np.ndarray, **fitted: np.ndarray) -> np.ndarray:
        parts = [
            rule(vectors[start : start + PLACE_BATCH], **fitted)
            for start in range(0, len(vectors), PLACE_BATCH)
        ]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=int)

    def summary(self) -> dict:
        return {"name": self.name}
