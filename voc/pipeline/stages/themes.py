"""The themes stage: a run's own themes, or a codebook's, or (in an update) the base run's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voc.pipeline.stage import declare
from voc.review.ops import THEME_STRUCTURE
from voc.themes.params import ThemeParams

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from voc.core.rundir import Run
    from voc.embed.cache import Embedder
    from voc.llm.core import LLM
    from voc.themes.fit import ThemeResult


@declare(
    name="themes",
    summary="cluster units into themes (neighbour graph → spectral layout → HDBSCAN), re-apply "
    "theme edits",
    needs=("ingest", "embed"),
    reads=("units.parquet", "embeddings.npy"),
    writes=("units.parquet", "themes.parquet"),
    params=(ThemeParams,),
    options=("base_run", "codebook"),
    version=4,
    edits=THEME_STRUCTURE,
)
def stage(run: Run, llm: LLM) -> None:
    """Vectors → themes, then the reviewer's theme edits re-applied. Only customer voice is
    clustered; non-answers keep theme −1 and no map position."""
    import numpy as np

    from voc.core.store import load_table, save_table
    from voc.core.tables import carry_columns, is_voice
    from voc.embed.cache import cached_embedder
    from voc.embed.params import EmbedParams
    from voc.engine import engine_for
    from voc.review.apply import apply_theme_edits
    from voc.review.edits import load_edits
    from voc.themes.fit import find_themes
    from voc.themes.groups import add_levels
    from voc.update.base import Base
    from voc.update.themes import carry_base, update_themes

    config = run.config
    params = ThemeParams.from_config(config)
    engine = engine_for(config.engine, config.ray_address)
    embedder = cached_embedder(EmbedParams.from_config(config), engine.encode)
    units = load_table(run.path("units.parquet"))
    vectors = np.load(run.path("embeddings.npy"))
    voice = is_voice(units).to_numpy()
    spoken = units[voice]
    if config.base_run:  # an update: the base run's themes first, new ones for the rest
        base = Base.load(config.base_run)
        result = update_themes(base, units, vectors, params, engine)
    else:
        texts, people = spoken["text"].tolist(), spoken["respondent_id"].tolist()
        result = find_themes(vectors[voice], texts, people, params, run.reporter.step, engine)
        if config.codebook:
            result = start_from_codebook(run, result, vectors[voice], spoken, embedder)
    units["theme_id"] = -1
    units["x"] = units["y"] = units["theme_similarity"] = np.nan
    units.loc[voice, "theme_id"] = result.assignment
    units.loc[voice, "x"], units.loc[voice, "y"] = result.coords[:, 0], result.coords[:, 1]
    units.loc[voice, "theme_similarity"] = result.similarity
    table = result.themes
    ids = spoken["unit_id"].to_numpy()
    table["quote_ids"] = [[ids[i] for i in idx] for idx in table["quote_idx"]]
    table = table.drop(columns="quote_idx")
    edits = load_edits(run.dir)
    units, table, report = apply_theme_edits(edits, units, table, vectors, params.seed)
    spoken = units[voice]
    if config.base_run:
        table = carry_base(table, result.themes, base)
    else:
        if config.codebook:
            table = carry_columns(table, result.themes, {"code": "", "status": "new"})
        texts, labels = spoken["text"].tolist(), spoken["theme_id"].to_numpy()
        table = add_levels(table, vectors[voice], texts, labels, embedder)
    run.manifest["theme_params"] = result.settings
    run.manifest["edits"] = report
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "themes": len(table),
        "theme_groups": int(table["parent_id"].nunique()),
        "unclustered_units": int(((units["theme_id"] == -1) & voice).sum()),
    }
    save_table(units, run.path("units.parquet"))
    save_table(table, run.path("themes.parquet"))


def start_from_codebook(
    run: Run, found: ThemeResult, vectors: np.ndarray, spoken: pd.DataFrame, embedder: Embedder
) -> ThemeResult:
    """The discovered themes recast around the run's codebook (see voc.themes.codebook); the
    codes no answer joined go to the manifest for the report."""
    from voc.ingest.codebook import read_codebook
    from voc.themes.codebook import codebook_themes, seeds

    codes = read_codebook(Path(run.config.codebook))
    run.reporter.step(f"starting from the codebook's {len(codes)} codes")
    coded = codebook_themes(
        found,
        vectors,
        spoken["text"].tolist(),
        spoken["respondent_id"].tolist(),
        codes,
        seeds(codes, embedder),
        ThemeParams.from_config(run.config),
    )
    run.manifest["codebook"] = {
        "file": Path(run.config.codebook).name,
        "codes": [c.name for c in codes],
        "without_evidence": coded.without_evidence,
    }
    return coded.result
