"""Where the heavy, independent work runs: this machine (the default) or an existing Ray
cluster (`--engine ray`, `pip install voc[ray]`). Two jobs scale with the corpus: embedding
the texts not yet in the cache, and placing units by a rule over fitted vectors (past a fitted
sample, and in an update). Both engines compute the same function, so a corpus gives the same
themes on either; Ray spreads the work over the cluster's nodes, and the driver keeps the
cache and the tables."""

from __future__ import annotations

from voc.engine.protocol import Engine, Rule

__all__ = ["Engine", "Rule", "engine_for"]

_ENGINES: dict[tuple[str, str | None], Engine] = {}


def engine_for(name: str = "local", address: str | None = None) -> Engine:
    """The engine asked for, one per process (Ray connects once)."""
    key = (name, address)
    if key not in _ENGINES:
        if name == "ray":
            from voc.engine.ray import RayEngine

            _ENGINES[key] = RayEngine(address)
        else:
            from voc.engine.local import LocalEngine

            _ENGINES[key] = LocalEngine()
    return _ENGINES[key]
