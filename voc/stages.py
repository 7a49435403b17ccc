"""The stages, each a plain function of the run: read the previous stages' files, write its own.
The pipeline decides which of them need to run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc import criteria as crit
from voc import edits
from voc.label import distinct_names, offline_label, theme_request
from voc.llm import LLM, Ask, BudgetExceeded
from voc.pipeline import Run
from voc.profiles import offline_profile, profile_request
from voc.schemas import CriteriaJudgement, SegmentProfile, ThemeLabel
from voc.segments import UNASSIGNED, describe, find_segments
from voc.store import load_table, save_table
from voc.tables import (
    RESPONDENT_COLUMNS,
    SEGMENT_COLUMNS,
    THEME_COLUMNS,
    UNIT_COLUMNS,
    check,
    nps_group,
)
from voc.themes import find_themes


def ingest(run: Run, llm: LLM) -> None:
    """Corpus files → units and respondents tables; problems go to the manifest."""
    from voc.ingest import ingest as read_corpus

    got = read_corpus(run.corpus, run.config, progress=run.reporter.step)
    units = check(got.units, UNIT_COLUMNS, "units")
    units["nps_group"] = units["score"].map(nps_group)
    save_table(units, run.path("units.parquet"))
    save_table(
        check(got.respondents, RESPONDENT_COLUMNS, "respondents"), run.path("respondents.parquet")
    )
    run.manifest["inputs"] = got.inputs
    run.manifest["problems"] = [p.to_dict() for p in got.problems]
    run.manifest["counts"] = {"units": len(units), "respondents": len(got.respondents)}


def embed(run: Run, llm: LLM) -> None:
    """Units → one vector each, through the cache shared by all runs."""
    from voc.embed import embed as embed_texts
    from voc.embed import encoder_name

    units = load_table(run.path("units.parquet"))
    vectors, computed = embed_texts(units["text"].tolist(), run.config, run.reporter.bar)
    np.save(run.path("embeddings.npy"), vectors)
    run.manifest["embedding"] = {
        "model": encoder_name(run.config),
        "units": len(units),
        "computed": computed,
        "from_cache": len(units) - computed,
    }


def themes(run: Run, llm: LLM) -> None:
    """Vectors → themes, then the reviewer's theme edits re-applied."""
    units = load_table(run.path("units.parquet"))
    vectors = np.load(run.path("embeddings.npy"))
    result = find_themes(
        vectors,
        units["text"].tolist(),
        units["respondent_id"].tolist(),
        run.config,
        run.reporter.step,
    )
    units["theme_id"] = result.assignment
    units["x"], units["y"] = result.coords[:, 0], result.coords[:, 1]
    units["theme_similarity"] = result.similarity
    table = result.themes
    table["quote_ids"] = [[units["unit_id"].iat[i] for i in idx] for idx in table["quote_idx"]]
    table = table.drop(columns="quote_idx")
    units, table, report = edits.apply_theme_edits(run.dir, units, table, vectors, run.config)
    run.manifest["theme_params"] = result.params
    run.manifest["edits"] = report
    unclustered = units["theme_id"] == -1
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "themes": len(table),
        "unclustered_units": int(unclustered.sum()),
    }
    save_table(units, run.path("units.parquet"))
    save_table(table, run.path("themes.parquet"))


def label(run: Run, llm: LLM) -> None:
    """Each theme named as a job to be done, by the LLM or the offline labeler."""
    units = load_table(run.path("units.parquet"))
    table = load_table(run.path("themes.parquet"))
    requests = [theme_request(theme, units) for _, theme in table.iterrows()]
    asks = [Ask("theme_label", data, ThemeLabel, offline_label) for data in requests]
    answers = ask_all(run, llm, asks)
    table["label"] = distinct_names([a.name for a in answers], list(table["keywords"]))
    table["job"] = [a.job for a in answers]
    table["pains"] = [a.pains for a in answers]
    table["outcomes"] = [a.outcomes for a in answers]
    table = edits.apply_label_edits(run.dir, units, table)
    save_table(check(table, THEME_COLUMNS, "themes"), run.path("themes.parquet"))


def ask_all(run: Run, llm: LLM, asks: list[Ask]) -> list:
    """Answers for all asks, concurrently; past the LLM budget, the offline answers (the
    budget message is shown once, and the answers already paid for are kept)."""
    try:
        return llm.ask_many(asks)
    except BudgetExceeded as err:
        run.reporter.step(str(err))
        done = err.results or [None] * len(asks)
        llm.budget_reached(err, sum(a is None for a in done))
        return [
            a if a is not None else ask.offline(ask.data) for a, ask in zip(done, asks, strict=True)
        ]


def segments(run: Run, llm: LLM) -> None:
    """Respondents → segments by theme mix; the segments table of measured facts."""
    units = load_table(run.path("units.parquet"))
    people = load_table(run.path("respondents.parquet")).drop(columns="segment_id", errors="ignore")
    hidden = set(load_table(run.path("themes.parquet")).query("hidden")["theme_id"])
    visible = units.assign(theme_id=units["theme_id"].where(~units["theme_id"].isin(hidden), -1))
    vectors = np.load(run.path("embeddings.npy"))
    result = find_segments(visible, people, vectors, run.config)
    result.assignment = edits.apply_segment_merges(run.dir, result.assignment)
    people["segment_id"] = result.assignment.reindex(people["respondent_id"]).to_numpy()
    people["segment_id"] = people["segment_id"].fillna(UNASSIGNED).astype(int)
    facts = describe(visible, people.drop(columns="segment_id"), result)
    save_table(people, run.path("respondents.parquet"))
    save_table(facts, run.path("segments.parquet"))
    result.matrix.to_parquet(run.path("segment_matrix.parquet"))
    np.save(run.path("segment_features.npy"), result.features)
    run.manifest["segment_selection"] = result.selection.to_dict(orient="records")
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "segments": result.k,
        "unassigned_respondents": int((people["segment_id"] == UNASSIGNED).sum()),
        "single_answer_respondents": int((result.matrix.gt(0).sum(axis=1) == 1).sum()),
    }


def profiles(run: Run, llm: LLM) -> None:
    """A persona per segment, grounded in its members' quotes."""
    units = load_table(run.path("units.parquet"))
    themes_table = load_table(run.path("themes.parquet"))
    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    asks = []
    for _, seg in table.iterrows():
        members = set(people.loc[people["segment_id"] == seg["segment_id"], "respondent_id"])
        data = profile_request(seg, themes_table, units, members)
        asks.append(Ask("segment_profile", data, SegmentProfile, offline_profile))
    drafted = ask_all(run, llm, asks)
    table["name"] = [p.name for p in drafted]
    table["profile"] = [p.model_dump() for p in drafted]
    table = edits.apply_segment_edits(run.dir, people, table)
    save_table(check(table, SEGMENT_COLUMNS, "segments"), run.path("segments.parquet"))


def criteria(run: Run, llm: LLM) -> None:
    """The five criteria measured per segment; the LLM's judgement beside them if configured."""
    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    table = table.drop(
        columns=[
            c
            for c in table.columns
            if c.startswith(crit.CRITERIA) or c in ("recommendation", "judgement")
        ]
    )
    matrix = pd.read_parquet(run.path("segment_matrix.parquet"))
    matrix.columns = matrix.columns.astype(int)
    assignment = people.set_index("respondent_id")["segment_id"]
    themes_table = load_table(run.path("themes.parquet"))
    x = np.load(run.path("segment_features.npy"))
    measured = crit.evaluate(
        table, people.drop(columns="segment_id"), matrix, x, assignment, themes_table, run.config
    )
    table = table.merge(measured, on="segment_id")
    table["judgement"] = [judge(llm, row) for _, row in table.iterrows()]
    save_table(table, run.path("segments.parquet"))


def judge(llm: LLM, row: pd.Series) -> dict | None:
    """The model's view of actionable and accessible; None on the offline backend, which has
    no judgement beyond the measurements."""
    if llm.backend == "offline":
        return None
    data = {
        "segment": {"name": row["name"], "summary": row["profile"]["summary"]},
        "measured": {
            c: {"verdict": row[c], "figure": row[f"{c}_shown"], "reason": row[f"{c}_reason"]}
            for c in crit.CRITERIA
        },
    }
    try:
        answer = llm.ask("criteria_judgement", data, CriteriaJudgement, offline=lambda _d: None)
    except BudgetExceeded as err:
        llm.budget_reached(err, 1)
        return None
    return answer.model_dump() if answer is not None else None


def report(run: Run, llm: LLM) -> None:
    """The artefacts people read: report.md, figures, map.html, CSV copies."""
    from voc.report import write_report

    write_report(run)
