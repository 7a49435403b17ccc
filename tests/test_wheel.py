"""voc as users install it: built into a wheel and run from that wheel, not from this checkout,
against an OpenAI-compatible server on 127.0.0.1 (the prompts must travel in the wheel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.fake_openai import FakeOpenAI
from tests.planted import write_planted

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(tmp_path: Path) -> Path:
    """A wheel built from a copy of the sources (building in place would litter the tree)."""
    src = tmp_path / "src"
    for folder in ("voc", "prompts"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(dist), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return next(dist.glob("voc-*.whl"))


def test_the_installed_wheel_runs_with_an_llm(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    write_planted(tmp_path / "corpus", people=40, seed=5)
    server = FakeOpenAI().start()
    # The wheel's voc comes first on the path, and the checkout is not the working directory.
    env = {**os.environ, "PYTHONPATH": str(site), "OPENAI_BASE_URL": server.base_url}
    env.update({"VOC_LLM_BACKOFF_BASE": "0.01", "VOC_LLM_TIMEOUT": "20"})
    try:
        where = subprocess.run(
            [sys.executable, "-c", "import voc; print(voc.__file__)"],
            capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
        )  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "voc.cli", "run", "corpus", "--out", "run", "--llm", "openai"],
            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
        )  # fmt: skip
    finally:
        server.stop()
    assert Path(where.stdout.strip()).is_relative_to(site)
    assert done.returncode == 0, done.stderr
    themes = pd.read_parquet(tmp_path / "run" / "themes.parquet")
    assert len(server.requests) >= len(themes) > 0  # every theme was labelled by the server
    prompt = server.requests[0]["messages"][-1]["content"]
    assert "<data>" in prompt  # a shipped template, rendered
