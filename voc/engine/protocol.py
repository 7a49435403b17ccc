"""The engine seam: what an engine does, whichever runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from voc.embed.model import Progress, Save
    from voc.embed.params import EmbedParams

# A placement rule: one integer per vector (a theme id, a count of neighbours), from the
# vectors and the fitted arrays it is given.
Rule = Callable[..., np.ndarray]


class Engine(Protocol):
    """The seam between voc's algorithms and where they run."""

    name: str

    def encode(
        self,
        texts: list[str],
        params: EmbedParams,
        progress: Progress | None,
        save: Save | None,
    ) -> np.ndarray:
        """Vectors of texts, in order, encoded in the same chunks on any engine."""
        ...

    def place(self, rule: Rule, vectors: np.ndarray, **fitted: np.ndarray) -> np.ndarray:
        """`rule` applied to batches of `vectors` with the same `fitted` arrays, in order."""
        ...

    def summary(self) -> dict:
        """What the manifest records of the engine (name, nodes, work per node)."""
        ...
