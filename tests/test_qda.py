"""Researchers open voc's coding in their QDA tool: the shipped demo run exported as REFI-QDA,
valid against the exchange schema, and read back with every coded text where it belongs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from voc.cli import app
from voc.ingest.qda import read_qda

ROOT = Path(__file__).resolve().parents[1]
DEMO_RUN = ROOT / "reports" / "demo"
SCHEMA = ROOT.parent / "shared" / "data" / "refi_qda" / "Project.xsd"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qda") / "demo.qdpx"
    done = CliRunner().invoke(app, ["export", str(DEMO_RUN), "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out


@pytest.mark.skipif(not SCHEMA.exists(), reason="needs shared/data/refi_qda beside the repo")
def test_the_project_is_valid_refi_qda(exported: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    project = etree.fromstring(zipfile.ZipFile(exported).read("project.qde"))
    assert schema.validate(project), schema.error_log.last_error


def test_every_coded_selection_is_its_units_text_under_its_theme(exported: Path) -> None:
    units = pd.read_parquet(DEMO_RUN / "units.parquet").set_index("unit_id")
    themes = pd.read_parquet(DEMO_RUN / "themes.parquet").set_index("theme_id")["label"]
    project = read_qda(exported)
    coded = units[units["theme_id"] >= 0]
    assert len(project.selections) == len(coded)
    for code, unit_id, text in project.selections:
        assert text == units.loc[unit_id, "text"]
        assert code == themes[units.loc[unit_id, "theme_id"]]
    assert sorted(c.name for c in project.codes) == sorted(themes)  # one code per theme


def test_cases_carry_attributes_and_segment(exported: Path) -> None:
    qde = zipfile.ZipFile(exported).read("project.qde").decode("utf-8")
    people = pd.read_parquet(DEMO_RUN / "respondents.parquet")
    assert qde.count("<Case ") == len(people)
    for variable in ("segment_id", "plan", "role"):
        assert f'name="{variable}" typeOfVariable="Text"' in qde


def test_the_codebook_alone_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "demo.qdc"
    done = CliRunner().invoke(app, ["export", str(DEMO_RUN), "--format", "qdc", "--out", str(out)])
    assert done.exit_code == 0, done.output
    themes = pd.read_parquet(DEMO_RUN / "themes.parquet")
    codes = read_qda(out).codes
    expected = zip(themes["label"], themes["job"], strict=True)
    assert sorted((c.name, c.description) for c in codes) == sorted(expected)


def test_codes_by_case_counts_each_interviewees_passages_per_theme() -> None:
    units = pd.read_parquet(DEMO_RUN / "units.parquet")
    spoken = units[(units["kind"] == "interview") & (units["theme_id"] >= 0)]
    table = pd.read_csv(DEMO_RUN / "codes_by_case.csv", index_col="respondent_id")
    assert sorted(table.index) == sorted(spoken["respondent_id"].unique())
    assert table.sum(axis=1).to_dict() == spoken.groupby("respondent_id").size().to_dict()
    assert "## Codes by case (interviews)" in (DEMO_RUN / "report.md").read_text(encoding="utf-8")
