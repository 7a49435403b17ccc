"""The report's method text is written from the rules the code runs: change a rule's constant
and the text says the new value; the README states the values the code holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc.core.config import load_config
from voc.core.rundir import Run
from voc.core.store import read_json
from voc.outputs.markdown import Tables
from voc.outputs.method import method_section
from voc.pipeline.registry import STAGES
from voc.segments import consensus, criteria
from voc.themes import cluster, grain

ROOT = Path(__file__).resolve().parents[1]
DEMO, SHIPPED = ROOT / "corpora" / "demo", ROOT / "reports" / "demo"


def method_text() -> str:
    run = Run(SHIPPED, [DEMO], load_config([DEMO]), manifest=read_json(SHIPPED / "manifest.json"))
    run.plan = tuple((s.name, s.summary) for s in STAGES)
    return "\n".join(method_section(run, Tables(run)))


@pytest.mark.parametrize(
    ("module", "name", "value", "said"),
    [
        (consensus, "HOLDS", 0.8, "Jaccard overlap at least 0.8 with"),
        (consensus, "RESAMPLES", 40, "the groups of 40 resampled fits"),
        (cluster, "STRUCTURE", 0.9, "eigenvalue at least 0.9"),
        (cluster, "NEIGHBOURS", 20, "each unit's 20 nearest neighbours"),
        (grain, "SCORE_TOLERANCE", 0.05, "within 5% of the best size"),
        (criteria, "ACTION_LIFT", 2.0, "lift ≥ 2.0, at least"),
        (criteria, "IDENTIFIABLE", 0.8, "(pass at 0.8, weak at"),
    ],
)
def test_changing_a_rule_changes_the_method_text(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, value: float, said: str
) -> None:
    assert said not in method_text()
    monkeypatch.setattr(module, name, value)
    assert said in method_text()


def test_the_method_text_says_what_is_true_of_segments_and_seeds() -> None:
    text = method_text()
    assert "highest silhouette" not in text and "stability (ARI)" not in text
    assert "The silhouette below is recorded, not used." in text
    assert "themes do not depend on it" in text


def test_the_readme_states_the_values_the_code_holds() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for fact in (
        f"Jaccard overlap ≥ {consensus.HOLDS}",
        f"{cluster.NEIGHBOURS} nearest neighbours",
        f"eigenvalue is at least {cluster.STRUCTURE}",
        f"{cluster.MIN_DIMS} to {cluster.SPECTRAL_DIMS} of them",
        f"within {grain.SCORE_TOLERANCE:.0%} of the best",
        f"within {grain.PEAK_TOLERANCE:.0%}",
    ):
        assert fact in readme, fact
