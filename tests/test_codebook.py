"""Researchers start from their own codebook: each code becomes a theme under its own name, the
rest of the corpus is still clustered into themes marked new, and codes nothing in the corpus
speaks to are reported. Codebooks come as CSV, REFI-QDA .qdc or a .qdpx project."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score
from typer.testing import CliRunner

from voc.cli import app
from voc.core.config import Config, load_config
from voc.core.rundir import Run
from voc.pipeline.runner import fingerprints

ROOT = Path(__file__).resolve().parents[1]
DEMO, DEMO_RUN = ROOT / "corpora" / "demo", ROOT / "reports" / "demo"
BANKING = ROOT.parent / "shared" / "data" / "banking77"
CODES = "\n".join(
    [
        "name,description,example",
        "Bank reconciliation,Matching bank transactions to ledger entries,"
        "The bank feed lines do not match the entries in our books",
        "Single sign-on,Logging in through the company identity provider,"
        "We need SAML SSO with Okta before IT signs off",
        "Time travel,Going back in time to fix last year's mistakes,"
        "I wish I could visit the dinosaurs",
        "",
    ]
)


def voc(*args: object, code: int = 0) -> str:
    done = CliRunner().invoke(app, [str(a) for a in args])
    assert done.exit_code == code, done.output
    return done.output


@pytest.fixture(scope="module")
def coded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("codebook")
    (root / "codes.csv").write_text(CODES, encoding="utf-8")
    voc("run", DEMO, "--out", root / "run", "--codebook", root / "codes.csv")
    return root / "run"


def test_codes_become_themes_under_their_names_and_the_rest_is_new(coded_demo: Path) -> None:
    themes = pd.read_parquet(coded_demo / "themes.parquet").set_index("label")
    units = pd.read_parquet(coded_demo / "units.parquet")
    for name, words in (
        ("Bank reconciliation", ("bank", "match", "rec")),
        ("Single sign-on", ("sso", "saml", "log", "identity", "directory", "password")),
    ):
        assert themes.loc[name, "status"] == "code"
        texts = units.loc[units["theme_id"] == themes.loc[name, "theme_id"], "text"].str.lower()
        on_topic = texts.str.contains("|".join(words), regex=True)
        assert on_topic.mean() >= 0.8  # the code's job, not a neighbour's
        assert themes.loc[name, "size"] >= 20
    assert "Time travel" not in themes.index
    others = themes[themes["status"] != "code"]
    assert len(others) >= 10 and (others["status"] == "new").all()
    report = (coded_demo / "report.md").read_text(encoding="utf-8")
    assert "Started from the codebook `codes.csv`: 2 of its 3 codes" in report
    assert "**Codes with no evidence** (no answer came close to them): Time travel." in report
    assert "*(new)*" in report


def test_a_qdpx_project_seeds_the_themes_its_coding_made(tmp_path: Path) -> None:
    """The round trip a researcher makes: voc's coding exported, read back as the codebook of a
    new run; each code's texts come back under that code."""
    project = tmp_path / "demo.qdpx"
    voc("export", DEMO_RUN, "--out", project)
    voc("run", DEMO, "--out", tmp_path / "run", "--codebook", project)
    before = pd.read_parquet(DEMO_RUN / "units.parquet").set_index("unit_id")
    names = pd.read_parquet(DEMO_RUN / "themes.parquet").set_index("theme_id")["label"]
    after = pd.read_parquet(tmp_path / "run" / "units.parquet").set_index("unit_id")
    labels = pd.read_parquet(tmp_path / "run" / "themes.parquet").set_index("theme_id")["label"]
    coded = before[before["theme_id"] >= 0]
    was = coded["theme_id"].map(names)
    now = after.loc[coded.index, "theme_id"].map(labels)
    assert (was == now).mean() >= 0.9
    assert set(names) <= set(labels)


@pytest.mark.slow  # about a minute: `pytest -m slow tests/test_codebook.py`
@pytest.mark.skipif(not BANKING.exists(), reason="needs shared/data/banking77")
def test_banking77_ten_codes_of_seventy_seven_intents(tmp_path: Path) -> None:
    """30 queries per intent; a codebook of 10 intents, each its name and one example query
    from outside the corpus. The 10 themes carry the names and most of their intent's queries;
    the other 67 intents are still found as themes of their own."""
    data = pd.read_csv(BANKING / "train.csv")
    rows, examples = [], {}
    for intent, texts in data.groupby("category")["text"]:
        texts = texts.sample(frac=1, random_state=3).tolist()
        examples[intent] = texts[0]
        rows += [(intent, t) for t in texts[1:31]]
    corpus = pd.DataFrame(rows, columns=["intent", "text"])
    corpus["customer_id"] = [f"q{i}" for i in range(len(corpus))]
    (tmp_path / "corpus").mkdir()
    corpus[["customer_id", "text"]].to_csv(tmp_path / "corpus" / "queries.csv", index=False)
    chosen = random.Random(5).sample(sorted(examples), 10)
    codebook = pd.DataFrame(
        {"name": [c.replace("_", " ") for c in chosen], "example": [examples[c] for c in chosen]}
    )
    codebook.to_csv(tmp_path / "codes.csv", index=False)
    voc("run", tmp_path / "corpus", "--out", tmp_path / "run", "--codebook", tmp_path / "codes.csv")

    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    units["intent"] = units["respondent_id"].map(corpus.set_index("customer_id")["intent"])
    themes = pd.read_parquet(tmp_path / "run" / "themes.parquet")
    label = units["theme_id"].map(themes.set_index("theme_id")["label"])
    recall = {c: (label[units["intent"] == c] == c.replace("_", " ")).mean() for c in chosen}
    assert set(themes.loc[themes["status"] == "code", "label"]) == set(codebook["name"])
    assert sum(recall.values()) / len(recall) >= 0.65, recall
    # one code may lose much of its intent to a neighbouring one (which, varies by CPU): not two
    assert sorted(recall.values())[1] >= 0.4, recall
    rest = units[~units["intent"].isin(chosen)]
    assert normalized_mutual_info_score(rest["intent"], rest["theme_id"]) >= 0.75


def test_a_codebook_voc_cannot_read_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "corpus.csv").write_text("id,text\n1,The export is slow\n", encoding="utf-8")
    (tmp_path / "codes.csv").write_text("code_name,notes\nSpeed,slow things\n", encoding="utf-8")
    out = tmp_path / "run"
    said = voc(
        "run", tmp_path / "corpus.csv", "-o", out, "--codebook", tmp_path / "codes.csv", code=1
    )
    assert "has columns code_name, notes; it needs a `name` column" in " ".join(said.split())
    (tmp_path / "codes.txt").write_text("Speed\n", encoding="utf-8")
    said = voc(
        "run", tmp_path / "corpus.csv", "-o", out, "--codebook", tmp_path / "codes.txt", code=1
    )
    assert "neither .qdc, .qdpx nor .csv" in " ".join(said.split())
    assert not out.exists()  # nothing runs before the codebook is read


def test_voc_toml_names_the_codebook_beside_it_and_its_content_counts(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "voc.toml").write_text('codebook = "codes.csv"\n', encoding="utf-8")
    (corpus / "codes.csv").write_text(CODES, encoding="utf-8")
    config = load_config([corpus])
    assert config.codebook == corpus / "codes.csv"
    run = Run(tmp_path / "run", [corpus], config)
    before = fingerprints(run, "offline")
    (corpus / "codes.csv").write_text(CODES + "Pricing,What it costs,\n", encoding="utf-8")
    after = fingerprints(run, "offline")
    assert before["embed"] == after["embed"] and before["themes"] != after["themes"]
    for folder in ("here", "there"):  # the same codebook in another place: nothing re-runs
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "codes.csv").write_text(CODES, encoding="utf-8")
    here, there = (
        fingerprints(
            Run(tmp_path / "run", [corpus], Config(codebook=tmp_path / f / "codes.csv")), "offline"
        )
        for f in ("here", "there")
    )
    assert here == there
