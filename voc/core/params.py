"""Each algorithm's options as a small frozen dataclass, scikit-learn's way: the parameters are
the signature. `Config` is the flat, persisted boundary they are read from; a stage's options,
and so its fingerprint, are its parameter objects' fields, so the value hashed is the value
used. A field marked `RUNTIME` changes where or how a step runs (a cache folder, a thread
count), never its result, and is not hashed."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, Self

from voc.core.config import Config

RUNTIME = {"runtime": True}


def default(name: str, runtime: bool = False) -> Any:
    """A dataclass field with the default of `Config.<name>`, so defaults live in one place."""
    info = Config.model_fields[name]
    metadata = RUNTIME if runtime else {}
    if info.default_factory is not None:
        return dataclasses.field(default_factory=info.default_factory, metadata=metadata)
    if isinstance(info.default, list | dict | set):  # each object its own copy
        value = info.default
        return dataclasses.field(default_factory=lambda: copy.deepcopy(value), metadata=metadata)
    return dataclasses.field(default=info.default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class Params:
    """Base of the parameter objects; subclasses are frozen dataclasses of `Config` fields."""

    @classmethod
    def from_config(cls, config: Config) -> Self:
        return cls(**{f.name: getattr(config, f.name) for f in dataclasses.fields(cls)})

    @classmethod
    def options(cls) -> tuple[str, ...]:
        """The fields that shape the result: what a stage using these parameters hashes."""
        return tuple(f.name for f in dataclasses.fields(cls) if not f.metadata.get("runtime"))
