"""The Ray engine (`--engine ray`): embedding through Ray Data actors, one per CPU of the
cluster, and placement as Ray Data tasks; the driver keeps the cache and the tables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from voc.core.errors import VocError
from voc.embed.model import Progress, Save, chunks, encoder
from voc.embed.packaged import DIMENSIONS
from voc.embed.params import EmbedParams
from voc.engine.local import PLACE_BATCH
from voc.engine.protocol import Rule


class RayEncoder:
    """A Ray Data actor: loads the encoder once, then embeds batch after batch, saying on which
    node it ran."""

    def __init__(self, params: EmbedParams) -> None:
        import ray

        self.encode = encoder(params)
        self.node = ray.get_runtime_context().get_node_id()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Each input row is one chunk of texts, exactly as the local engine would encode it
        (same texts, same padding, so the same vectors); output rows are the chunk's texts."""
        rows = np.concatenate([np.asarray(r, dtype=int) for r in batch["rows"]])
        vectors = np.concatenate([self.encode([str(t) for t in texts]) for texts in batch["texts"]])
        return {"row": rows, "vector": vectors, "node": np.full(len(rows), self.node)}


def place_batch(batch: dict[str, np.ndarray], rule: Rule, fitted: dict[str, np.ndarray]) -> dict:
    return {"row": batch["row"], "value": rule(np.stack(batch["vector"]), **fitted)}


@dataclass
class RayEngine:
    """Embedding through Ray Data `map_batches` with a pool of encoder actors (one per CPU of
    the cluster), placement as stateless Ray Data tasks. Rows carry their index, so results
    come back in input order whatever node finished first."""

    address: str | None = None
    name: str = "ray"
    units_per_node: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Customer text stays put: no usage statistics sent home, no metrics server queried.
        for name in ("RAY_USAGE_STATS_ENABLED", "RAY_DATA_USAGE_DISABLED"):
            os.environ.setdefault(name, "0" if name == "RAY_USAGE_STATS_ENABLED" else "1")
        try:
            import ray
        except ImportError:
            raise VocError(
                "--engine ray needs Ray: `pip install 'voc[ray]'` (or `pip install 'ray[data]'`)."
            ) from None
        if not ray.is_initialized():
            host = (self.address or "").rsplit(":", 1)[0]
            # A cluster on this machine's loopback: the driver joins it there too.
            local = {"_node_ip_address": host} if host in ("127.0.0.1", "localhost") else {}
            try:
                ray.init(
                    address=self.address, log_to_driver=False, include_dashboard=False, **local
                )
            except ConnectionError as err:
                raise VocError(
                    f"Cannot reach the Ray cluster at {self.address or 'auto'} ({err}). Start "
                    "it with `ray start --head`, or give its address with --address."
                ) from None
        ray.data.DataContext.get_current().enable_progress_bars = False

    def workers(self) -> int:
        import ray

        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def encode(
        self, texts: list[str], params: EmbedParams, progress: Progress | None, save: Save | None
    ) -> np.ndarray:
        import ray

        items = [{"rows": rows, "texts": [texts[i] for i in rows]} for rows in chunks(texts)]
        done = ray.data.from_items(items).map_batches(
            RayEncoder,
            fn_constructor_args=(params,),
            batch_size=1,
            concurrency=self.workers(),
            num_cpus=1,
            udf_modifying_row_count=True,
        )
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        finished = 0
        for batch in done.iter_batches(batch_size=None, batch_format="numpy"):
            index = batch["row"].astype(int)
            vectors[index] = np.stack(batch["vector"])
            for node, count in zip(*np.unique(batch["node"], return_counts=True), strict=True):
                self.units_per_node[str(node)] = self.units_per_node.get(str(node), 0) + int(count)
            if save:
                save(index, vectors[index])  # the driver's cache fills as workers finish
            finished += len(index)
            if progress:
                progress(finished, len(texts))
        return vectors

    def place(self, rule: Rule, vectors: np.ndarray, **fitted: np.ndarray) -> np.ndarray:
        import ray

        rows = ray.data.from_items(
            [{"row": i, "vector": v} for i, v in enumerate(vectors.astype(np.float32))]
        )
        done = rows.map_batches(
            place_batch, fn_kwargs={"rule": rule, "fitted": fitted}, batch_size=PLACE_BATCH
        )
        out = np.full(len(vectors), -1)
        for batch in done.iter_batches(batch_size=None, batch_format="numpy"):
            out[batch["row"].astype(int)] = batch["value"]
        return out

    def summary(self) -> dict:
        import ray

        nodes = [n for n in ray.nodes() if n.get("Alive")]
        return {
            "name": self.name,
            "address": self.address or "auto",
            "nodes": len(nodes),
            "units_per_node": dict(self.units_per_node),
        }
