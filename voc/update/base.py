"""What an update needs of its base run: the run's tables, its vectors and its themes'
centres."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from voc.core.errors import VocError
from voc.core.geometry import centroids
from voc.core.rundir import Results


@dataclass
class Base:
    """What an update needs of the base run: its tables, vectors and theme centres."""

    results: Results
    vectors: np.ndarray
    centres: pd.DataFrame  # theme id → normalised mean embedding, a row per theme

    @classmethod
    def load(cls, run_dir: Path) -> Base:
        results = Results.load(run_dir)
        path = run_dir / "embeddings.npy"
        if results.themes.empty or not path.exists():
            raise VocError(
                f"{run_dir} is not a finished voc run (no themes or embeddings). Give the run "
                "directory of an earlier `voc run` as the base."
            )
        vectors = np.load(path)
        ids, centres = centroids(vectors, results.units["theme_id"].to_numpy())
        return cls(results, vectors, pd.DataFrame(centres, index=ids))

    def theme_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """The base themes' ids and centres, for `nearest_centre`."""
        return self.centres.index.to_numpy(), self.centres.to_numpy()
