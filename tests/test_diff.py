"""`voc diff`: two months of answers, one job surging and one new: the diff says so, and
calls the steady jobs stable."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.planted import JOBS, answer
from voc.cli import app
from voc.core.config import Config
from voc.pipeline.runner import run


def month(folder: Path, counts: dict[str, int], seed: int) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    with (folder / "answers.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["respondent_id", "score", "answer"])
        people = 0
        for job, n in counts.items():
            for _ in range(n):
                writer.writerow([f"{folder.name}-{people}", rng.randint(0, 10), answer(rng, job)])
                people += 1
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    january = month(root / "jan", {"close": 60, "paid": 60, "sso": 60}, seed=1)
    february = month(root / "feb", {"close": 60, "paid": 150, "sso": 60, "approve": 50}, seed=2)
    config = Config(segments=2, stability_resamples=2)
    run([january], root / "run-jan", config)
    run([february], root / "run-feb", config)
    return root / "run-jan", root / "run-feb"


def job_of(text: str) -> str:
    return next(job for job, sentences in JOBS.items() if any(x in text for x in sentences))


def theme_jobs(run_dir: Path) -> dict[int, str]:
    """Each theme's planted job (the job most of its answers were drawn from)."""
    units = pd.read_parquet(run_dir / "units.parquet")
    units = units[units["theme_id"] >= 0]
    jobs = units["text"].map(job_of)
    return jobs.groupby(units["theme_id"]).agg(lambda j: j.mode()[0]).to_dict()


def test_a_new_job_is_new_the_surge_grows_and_steady_jobs_do_not_move(runs: tuple) -> None:
    done = CliRunner().invoke(app, ["diff", str(runs[0]), str(runs[1]), "--json"])
    assert done.exit_code == 0, done.output
    found = json.loads(done.output)
    assert found["matched_by"] == "centre similarity"  # different answers: matched by meaning
    themes = pd.DataFrame(found["themes"])
    assert set(themes.columns) == {"theme_id", "label", "share_a", "share_b", "change",
                                   "p_value", "status"}  # fmt: skip
    new = themes[themes["status"] == "new"]
    jobs = theme_jobs(runs[1])
    assert len(new) >= 1 and "approve" in {jobs[t] for t in new["theme_id"]}
    old = themes[themes["status"] != "new"].assign(
        job=lambda t: t["theme_id"].map(theme_jobs(runs[0]))
    )
    moved = old[old["status"].isin(["grown", "shrunk"])]
    assert set(moved["job"]) <= {"paid"}  # steady jobs are never reported as changed
    assert old.groupby("job")["change"].sum()["paid"] > 0.05  # the surge shows in B's shares
    assert {"segment_id", "size_a", "size_b", "nps_a", "nps_b"} <= set(found["segments"][0])


def test_without_json_it_writes_diff_md(runs: tuple) -> None:
    done = CliRunner().invoke(app, ["diff", str(runs[0]), str(runs[1])])
    assert done.exit_code == 0, done.output
    text = (runs[1] / "diff.md").read_text(encoding="utf-8")
    assert "| Theme | Share A | Share B | Change | p | Status |" in text
    assert (runs[1] / "figures" / "diff.png").exists()
