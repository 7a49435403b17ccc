"""The command line as a user meets it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.fake_openai import FakeOpenAI
from tests.planted import write_planted

VOC = [sys.executable, "-m", "voc.cli"]


def voc(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VOC, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ.copy(),
        timeout=600,
    )


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Good answers plus two files voc cannot use."""
    folder = tmp_path_factory.mktemp("messy")
    write_planted(folder, people=70, seed=3)
    (folder / "scan.csv").write_bytes(bytes(range(256)) * 40)
    (folder / "numbers.csv").write_text("id,score\n1,9\n2,4\n", encoding="utf-8")
    (folder / "fft.csv").write_text("id,comment\n1,N/A\n2,\n3,Nothing.\n", encoding="utf-8")
    return folder


def test_help_is_instant_because_nothing_heavy_is_imported() -> None:
    code = "import sys, voc.cli; print(sorted(m for m in ('torch', 'umap', 'pandas', "
    code += "'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
    shown = voc("--help")
    assert shown.returncode == 0
    for command in ("run", "ingest", "themes", "segments", "report", "review", "estimate"):
        assert command in shown.stdout


def test_unreadable_files_are_named_and_skipped_and_the_rest_is_processed(
    messy: Path, tmp_path: Path
) -> None:
    done = voc("run", messy, "--out", tmp_path / "run", "--segments", "3")
    assert done.returncode == 0, done.stderr
    assert "scan.csv" in done.stderr and "numbers.csv" in done.stderr
    assert "Traceback" not in done.stderr
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    voice = units[units["non_answer"] == ""]
    assert set(voice["source"]) == {"answers.csv"} and len(voice) > 250
    # fft.csv's three people answered "N/A", nothing and "Nothing.": kept, never clustered.
    kept = units[units["source"] == "fft.csv"]
    assert kept["non_answer"].tolist() == ["blank", "blank", "nothing"]
    assert (kept["theme_id"] == -1).all()
    people = pd.read_parquet(tmp_path / "run" / "respondents.parquet").set_index("respondent_id")
    assert people.loc[kept["respondent_id"], "segment_note"].tolist() == [
        "no answer", "no answer", "nothing to add",
    ]  # fmt: skip
    manifest = (tmp_path / "run" / "manifest.json").read_text()
    assert "scan.csv" in manifest and "numbers.csv" in manifest
    assert (tmp_path / "run" / "report.md").read_text().count("## Segment") == 3
    said = done.stdout + done.stderr
    assert "Not clustered: 1 blank answer(s) and 2 non-answer(s)" in " ".join(said.split())


def test_strict_turns_a_skipped_file_into_an_error(messy: Path, tmp_path: Path) -> None:
    done = voc("run", messy, "--out", tmp_path / "run", "--strict")
    assert done.returncode == 1
    assert "scan.csv" in done.stderr and "Traceback" not in done.stderr


def test_an_empty_corpus_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = voc("run", tmp_path / "empty", "--out", tmp_path / "run")
    assert done.returncode == 1
    assert "Error:" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_path_exits_1_and_names_it(tmp_path: Path) -> None:
    done = voc("run", tmp_path / "nowhere")
    assert done.returncode == 1
    assert "nowhere" in done.stderr and "Traceback" not in done.stderr


def test_bad_usage_exits_2() -> None:
    assert voc("run", "--no-such-flag").returncode == 2
    assert voc("frobnicate").returncode == 2


def test_an_interrupted_run_resumes_from_the_last_finished_stage(
    messy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    manifest = out / "manifest.json"
    proc = subprocess.Popen(
        [*VOC, "run", str(messy), "--out", str(out)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 300
    while time.time() < deadline and '"embed"' not in (
        manifest.read_text() if manifest.exists() else ""
    ):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "resume" in err
    before = json.loads(manifest.read_text())["stages"]
    assert "report" not in before
    done = voc("run", messy, "--out", out)
    assert done.returncode == 0, done.stderr
    after = json.loads(manifest.read_text())["stages"]
    assert after["ingest"] == before["ingest"] and after["embed"] == before["embed"]
    assert "reused" in done.stderr
    assert (out / "report.md").exists()


def test_estimate_counts_the_calls_and_sends_nothing(messy: Path, tmp_path: Path) -> None:
    server = FakeOpenAI()
    server.start()
    try:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url}
        done = subprocess.run(
            [*VOC, "estimate", str(messy), "--model", "gpt-4o-mini"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=600,
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    assert re.search(r"\d+ calls to gpt-4o-mini: ≈[\d,]+ prompt tokens", done.stdout)
    assert "Nothing was sent" in done.stdout
    assert server.requests == []
    assert not (tmp_path / "reports").exists()  # nothing written where a run could be
