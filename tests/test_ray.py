"""`--engine ray`: the demo on a local two-node Ray cluster (one CPU each) gives the themes the
local engine gives, both nodes embed, and the cache the workers filled serves the next run.
The sample is forced small so that placing the units outside it runs on the cluster too."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from tests.periods import demo_next_month
from voc.cli import app

ray = pytest.importorskip("ray", reason="needs the ray extra: pip install -e '.[ray]'")

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """Two nodes on this machine, with Ray's usage reporting off: nothing leaves it."""
    from ray.cluster_utils import Cluster

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["RAY_DATA_USAGE_DISABLED"] = "1"
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    try:
        yield cluster.address
    finally:
        ray.shutdown()
        cluster.shutdown()


def run(out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> dict:
    monkeypatch.setenv("VOC_CACHE_DIR", str(cache))
    monkeypatch.setenv("VOC_FIT_SAMPLE", "600")
    done = CliRunner().invoke(app, ["run", str(DEMO), "--out", str(out), *flags])
    assert done.exit_code == 0, done.output
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def themes(out: Path) -> pd.Series:
    units = pd.read_parquet(out / "units.parquet").set_index("unit_id")
    return units["theme_id"]


def test_ray_gives_the_local_themes_with_both_nodes_working(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_ray = run(
        tmp_path / "ray", tmp_path / "c1", monkeypatch, "--engine", "ray", "--address", address
    )
    local = run(tmp_path / "local", tmp_path / "c2", monkeypatch)
    engine = on_ray["engine"]
    assert engine["name"] == "ray" and engine["nodes"] == 2
    assert len(engine["units_per_node"]) == 2 and min(engine["units_per_node"].values()) > 0
    assert sum(engine["units_per_node"].values()) == on_ray["embedding"]["computed"] > 0
    assert on_ray["theme_params"]["fitted_on"] == 600  # placement of the rest ran on the cluster
    assert local["engine"] == {"name": "local"}
    a, b = themes(tmp_path / "ray"), themes(tmp_path / "local")
    assert adjusted_rand_score(a, b[a.index]) >= 0.95
    vectors = np.load(tmp_path / "ray" / "embeddings.npy")
    assert np.allclose(vectors, np.load(tmp_path / "local" / "embeddings.npy"), atol=1e-4)

    again = run(tmp_path / "again", tmp_path / "c1", monkeypatch)  # the cache Ray filled
    assert again["embedding"]["computed"] == 0


def test_an_update_on_ray_places_the_new_answers_as_the_local_engine_does(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    march = demo_next_month(tmp_path / "march")
    run(tmp_path / "base", tmp_path / "cache", monkeypatch)
    placed = {}
    for engine in ("local", "ray"):
        monkeypatch.setenv("VOC_ENGINE", engine)
        monkeypatch.setenv("VOC_RAY_ADDRESS", address)
        out = tmp_path / f"march-{engine}"
        done = CliRunner().invoke(
            app, ["update", str(tmp_path / "base"), str(march), "--out", str(out)]
        )
        assert done.exit_code == 0, done.output
        placed[engine] = themes(out)
    assert (
        json.loads((tmp_path / "march-ray" / "manifest.json").read_text())["engine"]["name"]
        == "ray"
    )
    assert placed["ray"].equals(placed["local"])
