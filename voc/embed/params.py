"""The embedding step's options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voc.core.config import cache_root
from voc.core.params import Params, default


@dataclass(frozen=True)
class EmbedParams(Params):
    """Which model embeds, by which backend, and where its caches live."""

    embed_model: str = default("embed_model")
    embed_backend: str = default("embed_backend")
    cache_dir: Path | None = default("cache_dir", runtime=True)

    def cache_path(self) -> Path:
        return cache_root(self.cache_dir)
