"""The embed stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voc.embed.params import EmbedParams
from voc.pipeline.stage import declare

if TYPE_CHECKING:
    from voc.core.rundir import Run
    from voc.llm.core import LLM


@declare(
    name="embed",
    summary="embed each unit's meaningful words (cached across runs)",
    needs=("ingest",),
    reads=("units.parquet",),
    writes=("embeddings.npy",),
    params=(EmbedParams,),
    version=2,
)
def stage(run: Run, llm: LLM) -> None:
    """Units → one vector each, through the cache shared by all runs. Non-answers hold no words
    to embed: their rows stay zero and no stage reads them."""
    import numpy as np

    from voc.core.store import load_table
    from voc.core.tables import is_voice
    from voc.embed.cache import embed
    from voc.embed.model import encoder_name
    from voc.embed.packaged import DIMENSIONS
    from voc.engine import engine_for

    params = EmbedParams.from_config(run.config)
    engine = engine_for(run.config.engine, run.config.ray_address)
    units = load_table(run.path("units.parquet"))
    voice = is_voice(units).to_numpy()
    vectors = np.zeros((len(units), DIMENSIONS), dtype=np.float32)
    texts = units.loc[voice, "text"].tolist()
    vectors[voice], computed = embed(texts, params, run.reporter.bar, engine.encode)
    np.save(run.path("embeddings.npy"), vectors)
    run.manifest["embedding"] = {
        "model": encoder_name(params),
        "units": len(texts),
        "computed": computed,
        "from_cache": len(texts) - computed,
    }
    run.manifest["engine"] = engine.summary()
