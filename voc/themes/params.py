"""The themes stage's options."""

from __future__ import annotations

from dataclasses import dataclass

from voc.core.params import Params, default


@dataclass(frozen=True)
class ThemeParams(Params):
    """How themes are found: the seed, the grain (`min_theme_size`, else chosen from the data),
    the noise and near-duplicate rules, stability resamples, and the size past which themes
    are fitted on a sample."""

    seed: int = default("seed")
    min_theme_size: int | None = default("min_theme_size")
    noise_reassign_similarity: float = default("noise_reassign_similarity")
    merge_similarity: float = default("merge_similarity")
    stability_resamples: int = default("stability_resamples")
    fit_sample: int = default("fit_sample")
