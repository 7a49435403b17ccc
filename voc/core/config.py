"""Run configuration: one typed object filled from flags, `voc.toml` beside the corpus, and
environment variables, in that order of precedence."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from voc.core.errors import VocError

CONFIG_FILE = "voc.toml"


class ColumnMap(BaseModel):
    """Explicit column names for tabular inputs; unset ones are recognised by common names."""

    model_config = ConfigDict(extra="forbid")

    text: list[str] = Field(default_factory=list, description="columns holding customer words")
    respondent_id: str | None = None
    score: str | None = None
    date: str | None = None
    author_role: str | None = Field(None, description="who wrote a ticket message")
    kind: str | None = Field(None, description="force the kind of every unit in the file")


class Config(BaseModel):
    """Every option of a run. Defaults are what a first-time user should get."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 42
    # ingest
    redact: bool = True
    strict: bool = False
    interviewer: list[str] = Field(
        default_factory=lambda: ["interviewer", "moderator", "researcher", "q", "host"],
        description="speaker names (case-insensitive) whose turns are context, not customer voice",
    )
    columns: ColumnMap = Field(default_factory=ColumnMap)
    max_passage_tokens: int = 128
    # embed
    embed_model: str = "all-MiniLM-L6-v2"
    embed_backend: Literal["auto", "onnx", "torch"] = "auto"
    cache_dir: Path | None = None
    # where embedding and placement run: this machine, or an existing Ray cluster (same results)
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = Field(None, description="a Ray cluster's address; default: auto")
    # themes
    base_run: Path | None = Field(
        None, description="an earlier run whose taxonomy (themes, labels, segments) to use"
    )
    codebook: Path | None = Field(
        None, description="codes to start the themes from: a REFI-QDA .qdc/.qdpx or a CSV"
    )
    min_theme_size: int | None = None  # scales with corpus size when unset
    noise_reassign_similarity: float = 0.5
    merge_similarity: float = 0.92
    stability_resamples: int = 5
    # past this many units, themes are found on a seeded sample of this size and the other
    # units take the theme their nearest fitted units vote for (voc.themes.fit): themes' time and
    # memory stay flat as corpora grow
    fit_sample: int = 20_000
    # segments
    segments: int | None = None
    min_segments: int = 3
    max_segments: int = 6
    use_attributes: bool = False
    # criteria
    substantial_share: float = 0.10
    min_segment_respondents: int = 10
    # attributes a team can target people by (channel, plan, region...); empty = every
    # categorical attribute but answers and codings of them (sentiment, rating, reason...),
    # so data voc has never seen is judged on its own columns
    reach_attributes: list[str] = []
    # llm
    llm: Literal["auto", "offline", "openai"] = "auto"
    llm_model: str = "gpt-4o-mini"
    temperature: float = 0.2
    llm_concurrency: int = 4
    max_calls: int | None = None
    max_cost: float | None = None
    prompts_dir: Path | None = None

    def with_updates(self, **changes: object) -> Config:
        """A copy with the given fields replaced (None values are ignored), re-validated."""
        data = self.model_dump()
        data.update({k: v for k, v in changes.items() if v is not None})
        try:
            return Config.model_validate(data)
        except ValidationError as err:
            raise VocError(f"Bad configuration: {err}") from None

    def cache_path(self) -> Path:
        """Where caches shared across runs live (embeddings, LLM answers)."""
        return cache_root(self.cache_dir)


def cache_root(cache_dir: Path | None) -> Path:
    """The cache folder: the one given, else `VOC_CACHE_DIR`, else the user's cache folder."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get("VOC_CACHE_DIR"):
        return Path(os.environ["VOC_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "voc"


ENV_PREFIX = "VOC_"


def load_config(corpus: list[Path], **flags: object) -> Config:
    """Build the configuration: flags over `voc.toml` (beside the first corpus path) over
    `VOC_*` environment variables over defaults."""
    data: dict[str, object] = {}
    for name in Config.model_fields:
        value = os.environ.get(ENV_PREFIX + name.upper())
        if value is not None and name not in ("columns", "interviewer"):
            data[name] = value
    toml_file = find_config_file(corpus)
    if toml_file is not None:
        try:
            from_file = tomllib.loads(toml_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise VocError(f"Cannot read {toml_file}: {err}. Fix the file or remove it.") from None
        if isinstance(from_file.get("codebook"), str):  # relative to voc.toml, not to the shell
            from_file["codebook"] = toml_file.parent / from_file["codebook"]
        data.update(from_file)
    data.update({k: v for k, v in flags.items() if v is not None})
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        where = f" (from {toml_file}, flags or VOC_* variables)" if toml_file else ""
        raise VocError(f"Bad configuration{where}: {err}") from None


def find_config_file(corpus: list[Path]) -> Path | None:
    """`voc.toml` in the first corpus folder, or beside the first corpus file."""
    if not corpus:
        return None
    first = Path(corpus[0])
    folder = first if first.is_dir() else first.parent
    candidate = folder / CONFIG_FILE
    return candidate if candidate.is_file() else None
