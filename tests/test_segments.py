"""voc finds the segments planted in a corpus and judges them as a founder should.

The planted corpus (tests/planted.py) has four groups a voice can tell apart (A, B, C∪E, D;
C and E ask for exactly the same things) and the checks below hold for any seed and any CPU:
tests/test_segments_stability.py runs them under other seeds and perturbed embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import voc
from tests.planted import write_planted
from voc.core.config import Config
from voc.core.rundir import Results
from voc.segments.consensus import HOLDS
from voc.segments.criteria import accessible
from voc.segments.facts import makeup


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, pd.Series, Path]:
    """The number of segments chosen by voc itself."""
    folder = tmp_path_factory.mktemp("planted")
    truth = pd.Series(write_planted(folder / "corpus"))
    results = voc.run([folder / "corpus"], folder / "run", Config())
    return results, truth, folder


@pytest.fixture(scope="module")
def forced(planted: tuple) -> tuple[Results, pd.Series]:
    """Five segments asked for, one more than the voice can tell apart."""
    _, truth, folder = planted
    shutil.copytree(folder / "run", folder / "run-5")
    return voc.run([folder / "corpus"], folder / "run-5", Config(segments=5)), truth


def voice(truth: pd.Series) -> pd.Series:
    """The groups as far as what people say can tell: E is C."""
    return truth.replace({"E": "C"})


def majority(results: Results, truth: pd.Series) -> pd.Series:
    """The planted group most members of each found segment come from."""
    people = results.respondents.set_index("respondent_id")
    found = people["segment_id"][people["segment_id"] >= 0]
    return pd.crosstab(found, truth[found.index]).idxmax(axis=1)


def verdicts(results: Results, criterion: str) -> pd.Series:
    return results.segments.set_index("segment_id")[criterion]


def test_planted_segments_are_recovered(planted: tuple) -> None:
    results, truth, _ = planted
    people = results.respondents.set_index("respondent_id")["segment_id"]
    # Four groups can be told apart, so four segments, one per group.
    assert sorted(majority(results, voice(truth))) == ["A", "B", "C", "D"]
    placed = people[people >= 0]
    assert len(placed) >= 0.95 * len(people)
    assert adjusted_rand_score(voice(truth)[placed.index], placed) >= 0.9


def test_twins_are_one_segment_when_voc_chooses(planted: tuple) -> None:
    results, truth, _ = planted
    people = results.respondents.set_index("respondent_id")["segment_id"]
    twins = people[truth[people.index].isin(["C", "E"])]
    assert twins.value_counts(normalize=True).iloc[0] >= 0.9


def test_small_segment_is_not_substantial(planted: tuple) -> None:
    results, truth, _ = planted
    owners = majority(results, truth)
    small = owners[owners == "D"].index
    assert len(small) == 1
    assert verdicts(results, "substantial")[small[0]] != "pass"
    assert (verdicts(results, "substantial").drop(small) == "pass").all()


def test_every_segment_reports_how_well_it_holds(planted: tuple) -> None:
    results, _, _ = planted
    stability = results.segments["stability"]
    assert stability.between(HOLDS, 1.0).all(), stability


def test_indistinct_pair_is_not_differentiable(forced: tuple) -> None:
    """Five asked of four groups: one group is cut in two. Which one is chance, so the test
    does not name it; what must hold is that the two parts fail differentiable and the cut
    does not hold across resamples, while every real group passes and holds. C and E,
    identical by construction, are never told apart."""
    results, truth = forced
    owners = majority(results, voice(truth))
    assert len(owners) == 5
    doubled = owners[owners.duplicated(keep=False)].index
    assert len(doubled) == 2 and owners[doubled].nunique() == 1
    single = owners.index.difference(doubled)
    assert (verdicts(results, "differentiable")[doubled] == "fail").all()
    # Real groups are distinct beyond chance (a Monte Carlo p-value: pass ≤ 0.01, weak ≤ 0.05).
    assert (verdicts(results, "differentiable")[single] != "fail").all()
    stability = verdicts(results, "stability")
    assert stability[doubled].min() < HOLDS and (stability[single] >= HOLDS).all()
    people = results.respondents.set_index("respondent_id")["segment_id"]
    twins = people[truth[people.index].isin(["C", "E"]) & (people >= 0)]
    assert adjusted_rand_score(truth[twins.index], twins) < 0.2


def test_segment_without_attribute_signal_is_weak_on_identifiable(planted: tuple) -> None:
    results, truth, _ = planted
    owners = majority(results, truth)
    plain = owners[owners == "B"].index[0]
    tracked = owners[owners == "A"].index[0]
    assert verdicts(results, "identifiable")[plain] == "weak"
    assert verdicts(results, "identifiable")[tracked] == "pass"


def test_every_segment_has_five_verdicts_with_figures(planted: tuple) -> None:
    results, _, _ = planted
    for criterion in ("identifiable", "substantial", "accessible", "differentiable", "actionable"):
        assert results.segments[criterion].isin(["pass", "weak", "fail"]).all()
        assert results.segments[f"{criterion}_shown"].str.len().gt(0).all()
        assert results.segments[f"{criterion}_reason"].str.len().gt(0).all()


def test_same_corpus_and_seed_give_the_same_themes_and_segments(planted: tuple) -> None:
    first, _, folder = planted
    again = voc.run([folder / "corpus"], folder / "run-again", Config())
    pd.testing.assert_series_equal(first.units["theme_id"], again.units["theme_id"])
    pd.testing.assert_series_equal(first.respondents["segment_id"], again.respondents["segment_id"])
    assert first.themes["label"].tolist() == again.themes["label"].tolist()


def test_a_repeated_run_reuses_every_stage(planted: tuple) -> None:
    first, _, folder = planted
    again = voc.run([folder / "corpus"], folder / "run", Config())
    assert again.manifest["stages"] == first.manifest["stages"]


def test_accessible_judges_the_attributes_a_team_names(planted: tuple) -> None:
    results, truth, folder = planted
    tracked = majority(results, truth).pipe(lambda o: o[o == "A"].index[0])
    # Unnamed: any categorical attribute may carry the segment (here role, plan or channel).
    assert verdicts(results, "accessible")[tracked] == "pass"
    named = voc.run([folder / "corpus"], folder / "run", Config(reach_attributes=["channel"]))
    shown = named.segments.set_index("segment_id")["accessible_shown"]
    assert shown[tracked].endswith("channel = sales")
    nowhere = voc.run([folder / "corpus"], folder / "run", Config(reach_attributes=["region"]))
    assert (nowhere.segments["accessible"] == "fail").all()  # no such column in this corpus


def test_an_attribute_few_members_have_is_not_read_as_everyone_having_it() -> None:
    members = pd.Series(["Can't Tell"] * 3 + [""] * 297)
    everyone = pd.Series(["Can't Tell"] * 10 + ["Late Flight"] * 40 + [""] * 2950)
    [only] = makeup(members, everyone)
    assert only["value"] == "Can't Tell" and only["share"] == 0.01
    assert accessible({"negativereason": [only]}, ["negativereason"]).verdict == "fail"


def test_accessible_does_not_target_people_by_what_they_answered() -> None:
    attributes = {
        "airline_sentiment": [{"value": "negative", "share": 0.9, "lift": 1.5}],
        "airline": [{"value": "United", "share": 0.5, "lift": 1.9}],
    }
    verdict = accessible(attributes, [])
    assert verdict.shown == "50% airline = United" and verdict.verdict == "weak"


def test_asking_for_more_segments_than_hold_gives_them_or_the_true_reason(tmp_path: Path) -> None:
    """320 people in four distinguishable groups, six segments asked: six of ten people each
    fit easily, so a shortfall must say what really happened."""
    write_planted(tmp_path / "corpus", people=320)
    results = voc.run([tmp_path / "corpus"], tmp_path / "run", Config(segments=6))
    note = results.manifest["segment_note"]
    assert len(results.segments) == 6 or "6 asked:" in note, note
    assert "each needs at least" not in note, note
