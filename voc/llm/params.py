"""The LLM's options: which backend and model, how it samples, the prompts, the budget."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voc.core.config import cache_root
from voc.core.params import Params, default


@dataclass(frozen=True)
class LLMParams(Params):
    """The backend (`auto` = an OpenAI-compatible server when one is configured), model,
    temperature, prompt templates and budget; how many calls run at once and where answers
    are cached change nothing in them."""

    llm: str = default("llm")
    llm_model: str = default("llm_model")
    temperature: float = default("temperature")
    prompts_dir: Path | None = default("prompts_dir")
    max_calls: int | None = default("max_calls")
    max_cost: float | None = default("max_cost")
    llm_concurrency: int = default("llm_concurrency", runtime=True)
    cache_dir: Path | None = default("cache_dir", runtime=True)

    def cache_path(self) -> Path:
        return cache_root(self.cache_dir)
