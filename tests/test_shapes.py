"""The files strangers bring, end to end through `voc run`: every shape of corpus a person is
likely to have gives a report, no traceback, and every person counted."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.planted import answer
from voc.cli import app
from voc.core.tables import nps
from voc.ingest.passages import count_tokens

TOPICS = ["close", "paid", "sso"]


def invoke(*args: str | Path) -> tuple[int, str]:
    """`voc ARGS…` in this process (the CLI's own code path); exit code and all it printed."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def answers(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [answer(rng, TOPICS[i % len(TOPICS)]) for i in range(n)]


def run_ok(corpus: Path, out: Path) -> tuple[str, str]:
    """Run voc on a corpus and check what every run must give: exit 0, no traceback, a report
    and every table; the console output and report.md."""
    code, said = invoke("run", corpus, "--out", out)
    assert code == 0, said
    assert "Traceback" not in said
    for name in ("report.md", "map.html", "units.parquet", "respondents.parquet",
                 "themes.parquet", "segments.parquet", "manifest.json"):  # fmt: skip
        assert (out / name).exists(), name
    return said, (out / "report.md").read_text(encoding="utf-8")


def people(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "respondents.parquet")


def segment_sizes(out: Path) -> list[int]:
    return (
        pd.read_parquet(out / "segments.parquet")["size"].tolist()
        if (out / "segments.parquet").exists()
        else []
    )


def test_text_only(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    texts = answers(60)
    write_csv(tmp_path / "c" / "comments.csv", ["Feedback"], [[t] for t in texts])
    _, report = run_ok(tmp_path / "c", tmp_path / "run")
    assert len(people(tmp_path / "run")) == 60  # rows without an id are 60 people
    assert "## Segment" in report or "**No segments**" in report


def test_id_and_text_only_is_judged_without_attributes(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    texts = answers(90)
    write_csv(tmp_path / "c" / "export.csv", ["id", "text"], [[i, t] for i, t in enumerate(texts)])
    run_ok(tmp_path / "c", tmp_path / "run")
    segments = pd.read_parquet(tmp_path / "run" / "segments.parquet")
    # One answer a person: segments hold only as far as resampling says they do (see the note).
    assert len(segments) >= 1 and (segments["size"] >= 10).all()
    for criterion in ("identifiable", "substantial", "accessible", "differentiable", "actionable"):
        assert segments[criterion].isin(["pass", "weak", "fail"]).all()
    # With no attributes, membership can only be recognised by what people talk about.
    if len(segments) > 1:
        assert segments["identifiable_shown"].str.contains("from themes").all()
    assert len(people(tmp_path / "run")) == 90


@pytest.mark.parametrize("question", ["What could we do better?", "Q3"])
def test_survey_export_with_the_question_as_header(tmp_path: Path, question: str) -> None:
    """A survey tool's export: the header is the question itself (or just "Q3"): the open
    answers are found by their content. "Nothing" is a satisfied answer and keeps its person."""
    (tmp_path / "c").mkdir()
    rng = random.Random(2)
    rows, scores = [], []
    texts = answers(80)
    for i in range(100):
        score = rng.choice([2, 5, 7, 8, 9, 10])
        text = texts[i] if i < 80 else rng.choice(["Nothing", "nothing really", "No"])
        rows.append([f"S-{i:03d}", score, text])
        scores.append(score)
    rows.append(["S-100", "ten", "The monthly close is slow because reconciliation is manual"])
    header = ["Respondent ID", "How likely are you to recommend us? (0-10)", question]
    write_csv(tmp_path / "c" / "survey.csv", header, rows)
    said, report = run_ok(tmp_path / "c", tmp_path / "run")
    assert "score 'ten' is not a number" in " ".join(said.split())
    everyone = people(tmp_path / "run")
    assert len(everyone) == 101
    nothing = everyone[everyone["segment_note"] == "nothing to add"]
    assert len(nothing) == 20
    assert f"| Nothing to add | 20 | {nps(pd.Series(scores[80:])):+.0f} |" in report
    assert f"overall NPS {nps(pd.Series(scores)):+.0f}" in report  # everyone scored counts
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    assert (units["kind"] == "nps").all()


def test_star_ratings_are_not_an_nps_score(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    rng = random.Random(3)
    rows = [[t, rng.randint(1, 5)] for t in answers(60)]
    write_csv(tmp_path / "c" / "reviews.csv", ["review", "stars"], rows)
    _, report = run_ok(tmp_path / "c", tmp_path / "run")
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    assert units["score"].isna().all() and "(overall NPS" not in report
    assert set(units["stars"]) <= {"1", "2", "3", "4", "5"}  # kept as an attribute


def test_a_dozen_answers_never_give_a_segment_of_one(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    write_csv(
        tmp_path / "c" / "few.csv", ["id", "comment"], [[i, t] for i, t in enumerate(answers(12))]
    )
    _, report = run_ok(tmp_path / "c", tmp_path / "run")
    assert all(size >= 10 for size in segment_sizes(tmp_path / "run"))
    if not segment_sizes(tmp_path / "run"):
        assert "**No segments**" in report and "too few" in report
    assert len(people(tmp_path / "run")) == 12


def test_one_interview_without_respondents_csv(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    rng = random.Random(4)
    turns = []
    for job in ["close", "audit", "close", "paid", "audit", "close"]:
        turns.append("Interviewer: Tell me more about that?")
        turns.append(f"Dana: {answer(rng, job)}. {answer(rng, job)}.")
    (tmp_path / "c" / "dana.md").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    _, report = run_ok(tmp_path / "c", tmp_path / "run")
    everyone = people(tmp_path / "run")
    assert everyone["respondent_id"].tolist() == ["dana"]
    assert "**No segments**" in report  # one person is no segment


def test_every_answer_the_same(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    write_csv(tmp_path / "c" / "same.csv", ["comment"], [["The app is great"]] * 40)
    run_ok(tmp_path / "c", tmp_path / "run")
    assert len(people(tmp_path / "run")) == 40
    themes = pd.read_parquet(tmp_path / "run" / "themes.parquet")
    assert len(themes) == 1 and themes["respondents"].tolist() == [40]


@pytest.mark.parametrize("copies", [60, 200])
def test_one_answer_repeated_many_times(tmp_path: Path, copies: int) -> None:
    (tmp_path / "c").mkdir()
    rows = [[f"p{i}", "Great service, thank you"] for i in range(copies)]
    write_csv(tmp_path / "c" / "same.csv", ["id", "comment"], rows)
    run_ok(tmp_path / "c", tmp_path / "run")
    assert len(people(tmp_path / "run")) == copies
    assert len(pd.read_parquet(tmp_path / "run" / "themes.parquet")) == 1


def test_two_distinct_answers(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    said = ["The app is great", "Invoices take far too long to send"]
    rows = [[f"p{i}", said[i % 2]] for i in range(60)]
    write_csv(tmp_path / "c" / "two.csv", ["id", "comment"], rows)
    run_ok(tmp_path / "c", tmp_path / "run")
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    # each answer is one theme, whole: the two never share one
    assert units.groupby("text")["theme_id"].nunique().eq(1).all()
    assert units.groupby("theme_id")["text"].nunique().max() == 1


def test_five_answers(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    write_csv(tmp_path / "c" / "five.csv", ["comment"], [[t] for t in answers(5)])
    run_ok(tmp_path / "c", tmp_path / "run")
    assert len(people(tmp_path / "run")) == 5


def test_long_narratives_only(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    rng = random.Random(5)
    rows = []
    for i in range(36):
        job = TOPICS[i % 3]
        rows.append([f"N{i}", " ".join(answer(rng, job) + "." for _ in range(18))])
    write_csv(tmp_path / "c" / "complaints.csv", ["complaint_id", "narrative"], rows)
    run_ok(tmp_path / "c", tmp_path / "run")
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    assert max(count_tokens(units["text"].tolist())) <= 128  # split, never truncated
    assert units.groupby("respondent_id").size().min() >= 2
    assert len(people(tmp_path / "run")) == 36


def test_a_mix_of_every_kind(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    (corpus / "interviews").mkdir(parents=True)
    rng = random.Random(6)
    for name, job in [("ana", "close"), ("ben", "paid"), ("cy", "sso")]:
        turns = [f"Interviewer: Why?\n\n{name.title()}: {answer(rng, job)}." for _ in range(4)]
        (corpus / "interviews" / f"{name}.txt").write_text("\n\n".join(turns), encoding="utf-8")
    texts = answers(60, seed=7)
    write_csv(corpus / "nps.csv", ["respondent_id", "score", "comment"],
              [[f"p{i}", i % 11, t] for i, t in enumerate(texts)])  # fmt: skip
    tickets = [
        {"id": 900 + i, "requester": {"email": f"p{i}@example.com"}, "subject": "Help",
         "messages": [{"author_role": "end-user", "body": answer(rng, TOPICS[i % 3])},
                      {"author_role": "agent", "body": "Thanks, we are on it. Best, Sam"}]}
        for i in range(30)
    ]  # fmt: skip
    (corpus / "tickets.json").write_text(json.dumps(tickets), encoding="utf-8")
    write_csv(corpus / "respondents.csv", ["respondent_id", "plan"],
              [["ana", "Business"], ["ben", "Starter"], ["cy", "Enterprise"]])  # fmt: skip
    run_ok(corpus, tmp_path / "run")
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    assert set(units["kind"]) == {"interview", "nps", "ticket"}
    assert not units["text"].str.contains("we are on it").any()  # agents are not customers
    everyone = people(tmp_path / "run").set_index("respondent_id")
    assert everyone.loc["ben", "plan"] == "Starter"
    assert len(everyone) == 3 + 60 + 30


def test_only_non_answers_exit_1_with_one_paragraph(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    write_csv(tmp_path / "c" / "fft.csv", ["id", "comment"],
              [[1, "N/A"], [2, "Nothing"], [3, ""], [4, "no comment"]])  # fmt: skip
    code, said = invoke("run", tmp_path / "c", "--out", tmp_path / "run")
    assert code == 1
    assert "Traceback" not in said
    message = re.sub(r"\s+", " ", said.split("Error:", 1)[1]).strip()
    assert "blank or a stock non-answer" in message and "voc.toml" in message


def test_ingest_alone_writes_the_tables_and_says_what_it_read(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    write_csv(tmp_path / "c" / "a.csv", ["id", "text"], [[1, "Exports are slow"], [2, "N/A"]])
    code, said = invoke("ingest", tmp_path / "c", "--out", tmp_path / "run")
    assert code == 0, said
    assert "1 units from 2 respondents" in " ".join(said.split())
    assert (tmp_path / "run" / "units.parquet").exists()
    assert not (tmp_path / "run" / "themes.parquet").exists()


def test_a_column_of_comments_with_semicolons_and_commas_keeps_every_row(tmp_path: Path) -> None:
    """Exported tweets and comments carry "&amp;" and "; " in their text: in a one-column file
    that is text, not a delimiter, and no row may be dropped for it."""
    (tmp_path / "c").mkdir()
    texts = answers(40)
    texts[3] = "Late again &amp; no update; the gate moved twice"
    texts[7] = "Great crew; shame about the delay"
    texts[11] = "Refund took weeks, then came in two parts"
    write_csv(tmp_path / "c" / "comments.csv", ["Comment"], [[t] for t in texts])
    code, said = invoke("ingest", tmp_path / "c", "--out", tmp_path / "run")
    assert code == 0, said
    assert "fields but the header" not in said
    units = pd.read_parquet(tmp_path / "run" / "units.parquet")
    assert sorted(units["text"]) == sorted(texts)
