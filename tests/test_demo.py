"""The demo a newcomer runs first: the sample corpus gives a complete, truthful report in which
the planted customer groups are the segments found."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import voc
from tests.fake_openai import FakeOpenAI
from tests.periods import demo_next_month
from tests.test_llm_pipeline import ScriptedModel, headings, llm_env
from voc.core.config import Config, load_config
from voc.core.rundir import Results, Run
from voc.pipeline.runner import fingerprints

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
QUOTE = re.compile(r'^> <a id="(?P<id>[0-9a-f]+)"></a>“(?P<text>.*)”  $', re.MULTILINE)
PLACEHOLDER = re.compile(r"\\\[(EMAIL|PHONE|CARD|IBAN|SECRET|NAME)\\\]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return voc.run([DEMO], tmp_path_factory.mktemp("demo") / "run")


def plain(text: str) -> str:
    """Text without markup and with single spaces, as a reader sees it."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return " ".join(text.split())


def corpus_text() -> str:
    """Every string in the demo corpus files, as plain text."""
    parts = []
    for path in sorted(DEMO.rglob("*")):
        if path.suffix == ".json":
            parts.extend(strings(json.loads(path.read_text(encoding="utf-8"))))
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return plain("\n".join(parts))


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_the_run_directory_holds_every_contract_file(demo: Results) -> None:
    for name in (
        "units.parquet",
        "themes.parquet",
        "respondents.parquet",
        "segments.parquet",
        "report.md",
        "map.html",
        "manifest.json",
        "units.csv",
        "themes.csv",
        "respondents.csv",
        "segments.csv",
        "figures/segment_sizes.png",
        "figures/theme_segment_heatmap.png",
        "figures/nps_by_segment.png",
    ):
        assert (demo.run_dir / name).stat().st_size > 0, name
    for column in ("unit_id", "respondent_id", "kind", "source", "locator", "text", "theme_id"):
        assert column in demo.units.columns
    manifest = demo.manifest
    assert {"inputs", "config", "seed", "versions", "stages", "llm", "problems"} <= set(manifest)
    assert any("ten" in p["cause"] for p in manifest["problems"])


def test_list_fields_are_lists_in_parquet_and_one_readable_cell_in_csv(demo: Results) -> None:
    """A pandas, DuckDB or Arrow user gets lists, a spreadsheet user '; '-joined words."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(demo.run_dir / "themes.parquet")
    for column in ("keywords", "phrases", "quote_ids", "pains", "outcomes"):
        assert str(schema.field(column).type) == "list<element: string>", column
    themes = pd.read_parquet(demo.run_dir / "themes.parquet")
    with (demo.run_dir / "themes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row, keywords in zip(rows, themes["keywords"], strict=True):
        assert row["keywords"] == "; ".join(keywords)
        assert not row["pains"].startswith("[")


def test_the_terminal_summary_keeps_segment_names_whole_at_80_columns(
    demo: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from voc.cli import show

    monkeypatch.setattr(show, "console", Console(width=80, record=True, force_terminal=False))
    show.segment_table(demo)
    lines = show.console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    for name in demo.segments["name"]:
        first = name.split()[0]
        assert any(first in line for line in lines), name
    rows = [line for line in lines if line.startswith("│")]
    # A name wraps only when it is longer than its 24-character column.
    assert len(rows) <= 1 + sum(len(n) // 24 + 1 for n in demo.segments["name"])


def test_the_report_shows_segments_with_five_measured_verdicts(demo: Results) -> None:
    report = (demo.run_dir / "report.md").read_text(encoding="utf-8")
    assert 3 <= len(demo.segments) <= 6
    assert report.count("\n## Segment ") == len(demo.segments)
    for criterion in ("Identifiable", "Substantial", "Accessible", "Differentiable", "Actionable"):
        assert criterion in report
    assert report.count("| identifiable |") == len(demo.segments)


def test_every_quote_in_the_report_is_verbatim_in_the_corpus(demo: Results) -> None:
    report = (demo.run_dir / "report.md").read_text(encoding="utf-8")
    units = demo.units.set_index("unit_id")["text"]
    corpus = corpus_text()
    quotes = list(QUOTE.finditer(report))
    assert len(quotes) >= 10
    for q in quotes:
        shown = html.unescape(q["text"]).removesuffix(" …")
        assert " ".join(shown.split()) in " ".join(units[q["id"]].split()), q["id"]
        # A unit may join a ticket's messages or a speaker's consecutive cues: every sentence
        # is verbatim in the corpus on its own.
        for part in re.split(r"\s{2,}|(?<=[.!?])\s+", shown):
            pattern = PLACEHOLDER.sub(r".{1,80}?", re.escape(plain(part)))
            assert re.search(pattern, corpus), part


def test_the_planted_customer_groups_are_the_segments_found(demo: Results) -> None:
    truth = pd.read_csv(ROOT / "corpora" / "demo_truth.csv").set_index("respondent_id")["group"]
    people = demo.respondents.set_index("respondent_id")["segment_id"]
    people = people[people >= 0]
    table = pd.crosstab(people, truth[people.index])
    owners = table.idxmax(axis=1)
    assert set(owners) >= {"A", "B", "C", "D"}, table
    purity = table.max(axis=1).sum() / table.to_numpy().sum()
    assert purity >= 0.6, table


def test_the_demo_with_an_llm_has_the_same_report_with_the_models_words(
    demo: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir = tmp_path / "llm-run"
    shutil.copytree(demo.run_dir, run_dir)  # the local stages are reused, not recomputed
    server = FakeOpenAI()
    server.responder = ScriptedModel()
    server.start()
    try:
        for name, value in llm_env(server).items():
            monkeypatch.setenv(name, value)
        with_llm = voc.run([DEMO], run_dir, Config(llm="openai"))
    finally:
        server.stop()
    assert with_llm.manifest["stages"]["themes"] == demo.manifest["stages"]["themes"]
    assert headings(run_dir / "report.md") == headings(demo.run_dir / "report.md")
    report = (run_dir / "report.md").read_text(encoding="utf-8")
    assert all(label.startswith("LLM theme") for label in with_llm.themes["label"])
    assert all(name.startswith("LLM persona") for name in with_llm.segments["name"])
    assert "LLM persona" in report and "The LLM's judgement" in report
    assert len(server.requests) == len(with_llm.themes) + 2 * len(with_llm.segments)


SHIPPED = ROOT / "reports" / "demo"


def stage_prints(manifest: dict) -> dict[str, str]:
    return {name: done["fingerprint"] for name, done in manifest["stages"].items()}


def test_the_shipped_demo_run_is_what_this_voc_makes_of_the_demo_corpus() -> None:
    """When this fails, regenerate it: `rm -rf reports/demo && bash scripts/demo.sh`."""
    manifest = json.loads((SHIPPED / "manifest.json").read_text(encoding="utf-8"))
    run = Run(SHIPPED, [DEMO], load_config([DEMO]))
    assert stage_prints(manifest) == fingerprints(run, "offline"), "reports/demo is stale"


def test_a_fresh_run_makes_the_shipped_demos_themes_and_segments(demo: Results) -> None:
    """Not only its fingerprints: the shipped run was made on another machine (or this one), and
    a fresh run here finds the same themes and the same segments."""
    shipped = Results.load(SHIPPED)
    assert len(demo.themes) == len(shipped.themes)
    units = shipped.units.set_index("unit_id")["theme_id"]
    fresh_units = demo.units.set_index("unit_id")["theme_id"][units.index]
    assert adjusted_rand_score(units, fresh_units) >= 0.98
    people = shipped.respondents.set_index("respondent_id")["segment_id"]
    fresh = demo.respondents.set_index("respondent_id")["segment_id"][people.index]
    assert len(demo.segments) == len(shipped.segments)
    assert adjusted_rand_score(people, fresh) >= 0.95


def test_a_copy_of_the_repository_reuses_the_shipped_demo_and_a_rename_relabels_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "elsewhere"
    shutil.copytree(DEMO, repo / "corpora" / "demo")
    shutil.copytree(SHIPPED, repo / "reports" / "demo")
    monkeypatch.chdir(repo)
    before = json.loads((repo / "reports/demo/manifest.json").read_text(encoding="utf-8"))
    again = voc.run(["corpora/demo"], "reports/demo")
    assert again.manifest["stages"] == before["stages"]  # nothing recomputed
    from typer.testing import CliRunner

    from voc.cli import app

    done = CliRunner().invoke(app, ["theme", "rename", "reports/demo", "0", "Close the month"])
    assert done.exit_code == 0, done.output
    after = json.loads((repo / "reports/demo/manifest.json").read_text(encoding="utf-8"))
    redone = {n for n in after["stages"] if after["stages"][n] != before["stages"][n]}
    assert redone == {"label", "trends", "profiles", "criteria", "report"}
    people = pd.read_parquet(repo / "reports/demo/respondents.parquet")["segment_id"]
    assert people.tolist() == again.respondents["segment_id"].tolist()
    assert pd.read_parquet(repo / "reports/demo/themes.parquet")["label"][0] == "Close the month"

    # Merging the two smallest themes keeps the segments and says who moved.
    smallest = pd.read_parquet(repo / "reports/demo/themes.parquet").nsmallest(2, "size")
    done = CliRunner().invoke(
        app, ["theme", "merge", "reports/demo", *map(str, smallest["theme_id"])]
    )
    assert done.exit_code == 0, done.output
    assert re.search(
        r"(\d+ (people|person) moved from segment \d+|No one moved between segments)", done.output
    )
    merged = pd.read_parquet(repo / "reports/demo/respondents.parquet")["segment_id"]
    segments = pd.read_parquet(repo / "reports/demo/segments.parquet")
    assert len(segments) == len(again.segments)
    assert adjusted_rand_score(people, merged) >= 0.8


def test_a_month_after_the_demo_updates_in_its_themes_without_redoing_its_work(
    demo: Results, tmp_path: Path
) -> None:
    """`voc update` with March's answers: only March's new texts are embedded, the base map is
    not refitted (nothing in the base run changes, no grain is chosen), known jobs land in the
    demo's themes and a re-submitted answer in its own theme."""
    march = demo_next_month(tmp_path / "march")
    said = demo.units[(demo.units["source"] == "nps.csv") & (demo.units["theme_id"] >= 0)]
    again = said.drop_duplicates("text").head(20)
    with (march / "nps.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [[f"again-{i}", "2026-03-30", 8, t] for i, t in enumerate(again["text"])]
        )
    before = {p.name: p.read_bytes() for p in demo.run_dir.glob("*.parquet")}

    march_run = voc.run([march], tmp_path / "run-march", Config(base_run=demo.run_dir))

    assert {p.name: p.read_bytes() for p in demo.run_dir.glob("*.parquet")} == before
    embedded = march_run.manifest["embedding"]
    assert embedded["computed"] <= 150 and embedded["from_cache"] >= len(again)
    assert "min_size_scores" not in march_run.manifest["theme_params"]  # no grain sweep, no map fit
    units = march_run.units
    resubmitted = units[units["respondent_id"].str.startswith("again-")]
    assert (
        resubmitted["text"].map(again.set_index("text")["theme_id"]) == resubmitted["theme_id"]
    ).all()
    fresh = units[~units["respondent_id"].str.startswith("again-") & (units["non_answer"] == "")]
    base_ids = set(demo.themes["theme_id"])
    assert fresh["theme_id"].isin(base_ids).mean() >= 0.8
    people = march_run.respondents  # in the demo's segments, however few join each this month
    assert set(people["segment_id"]) - {-1} <= set(demo.segments["segment_id"])
    assert (people["segment_id"] != -1).mean() >= 0.9
    assert "joined the base run's segments" in march_run.manifest["segment_note"]
    kept = march_run.themes.merge(demo.themes, on="theme_id", suffixes=("", "_base"))
    assert len(kept) >= 0.5 * len(demo.themes) and (kept["label"] == kept["label_base"]).all()


def test_a_handful_of_answers_still_join_the_demos_segments(demo: Results, tmp_path: Path) -> None:
    """Three people this month: too few to form a segment, but the demo's segments exist."""
    (tmp_path / "week").mkdir()
    said = demo.units[(demo.units["source"] == "nps.csv") & (demo.units["theme_id"] >= 0)]
    rows = [[f"new-{i}", 7, t] for i, t in enumerate(said["text"].drop_duplicates().head(3))]
    with (tmp_path / "week" / "nps.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["respondent_id", "score", "comment"], *rows])
    week = voc.run([tmp_path / "week"], tmp_path / "run-week", Config(base_run=demo.run_dir))
    assert (week.respondents["segment_id"] != -1).all()
    assert set(week.respondents["segment_id"]) <= set(demo.segments["segment_id"])
