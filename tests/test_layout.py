"""The house shows the pipeline: no module imports itself back (imports inside functions
included), every stage declares the files it touches and the options it depends on, and no
module grows past what a reader takes in at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import grimp
import pytest

import voc
from voc.core.config import Config
from voc.core.rundir import SHARED_FILES, declared
from voc.pipeline.registry import STAGES
from voc.pipeline.stage import CORPUS

ROOT = Path(voc.__file__).parent
# Modules allowed past ~500 lines, each with its reason in its docstring.
LONG = 560


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("voc", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.append(" → ".join((module, *back)))
    assert cycles == []


def test_every_option_a_stage_depends_on_is_a_config_field() -> None:
    fields = set(Config.model_fields)
    for stage in STAGES:
        assert set(stage.option_names()) <= fields, stage.name
        for params in stage.params:
            for f in dataclasses.fields(params):
                assert f.name in fields, f"{params.__name__}.{f.name}"
                # the parameter's default is Config's: one place for every default
                default = f.default_factory() if f.default is dataclasses.MISSING else f.default
                assert default == getattr(Config(), f.name), f"{params.__name__}.{f.name}"


def test_stages_need_only_earlier_stages_and_read_what_those_write() -> None:
    written = {CORPUS}
    for i, stage in enumerate(STAGES):
        assert set(stage.needs) <= {s.name for s in STAGES[:i]}, stage.name
        assert set(stage.reads) <= written, stage.name
        written |= set(stage.writes)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run_dir = tmp_path_factory.mktemp("layout") / "run"
    voc.run([ROOT.parent / "corpora" / "demo"], run_dir)  # a stage opening an undeclared file fails
    return run_dir


def test_every_file_a_run_writes_is_declared_by_a_stage(demo_run: Path) -> None:
    patterns = [f for stage in STAGES for f in stage.files()] + list(SHARED_FILES)
    files = [p.relative_to(demo_run).as_posix() for p in demo_run.rglob("*") if p.is_file()]
    assert files and [f for f in files if not declared(f, patterns)] == []


def test_modules_stay_small_enough_to_read() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONG
    }
    assert long == {}
