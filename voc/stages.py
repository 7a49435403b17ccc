"""The pipeline's stages, each declared once (`STAGES`): its name, what it reads and writes in the
run directory, the options and edits it depends on, and its function. The pipeline,
fingerprints, edits, `--help` and the report's method text all derive from these declarations.
Heavy libraries are imported inside the functions, so reading the declarations is instant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voc.rundir import Run
from voc.tables import (
    CRITERIA,
    RESPONDENT_COLUMNS,
    RESPONDENT_SEGMENT_COLUMNS,
    SEGMENT_COLUMNS,
    THEME_COLUMNS,
    UNASSIGNED,
    UNIT_COLUMNS,
    check,
    is_voice,
    nps_group,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from voc.config import Config
    from voc.llm import LLM, Ask
    from voc.themes import ThemeResult


def ingest(run: Run, llm: LLM) -> None:
    """Corpus files → units and respondents tables; problems go to the manifest."""
    from voc.ingest import ingest as read_corpus
    from voc.store import save_table

    got = read_corpus(run.corpus, run.config, progress=run.reporter.step)
    units = check(got.units, UNIT_COLUMNS, "units")
    units["nps_group"] = units["score"].map(nps_group)
    save_table(units, run.path("units.parquet"))
    save_table(
        check(got.respondents, RESPONDENT_COLUMNS, "respondents"), run.path("respondents.parquet")
    )
    run.manifest["inputs"] = got.inputs
    run.manifest["problems"] = [p.to_dict() for p in got.problems]
    voice = is_voice(units)
    run.manifest["counts"] = {
        "units": int(voice.sum()),
        "non_answers": units.loc[~voice, "non_answer"].value_counts().to_dict(),
        "respondents": len(got.respondents),
    }


def embed(run: Run, llm: LLM) -> None:
    """Units → one vector each, through the cache shared by all runs. Non-answers hold no words
    to embed: their rows stay zero and no stage reads them."""
    import numpy as np

    from voc.embed import DIMENSIONS, encoder_name
    from voc.embed import embed as embed_texts
    from voc.engine import engine_for
    from voc.store import load_table

    units = load_table(run.path("units.parquet"))
    voice = is_voice(units).to_numpy()
    vectors = np.zeros((len(units), DIMENSIONS), dtype=np.float32)
    texts = units.loc[voice, "text"].tolist()
    vectors[voice], computed = embed_texts(texts, run.config, run.reporter.bar)
    np.save(run.path("embeddings.npy"), vectors)
    run.manifest["embedding"] = {
        "model": encoder_name(run.config),
        "units": len(texts),
        "computed": computed,
        "from_cache": len(texts) - computed,
    }
    run.manifest["engine"] = engine_for(run.config).describe()


def themes(run: Run, llm: LLM) -> None:
    """Vectors → themes, then the reviewer's theme edits re-applied. Only customer voice is
    clustered; non-answers keep theme −1 and no map position."""
    import numpy as np

    from voc import edits
    from voc.groups import add_levels
    from voc.store import load_table, save_table
    from voc.tables import carry_columns
    from voc.themes import find_themes

    units = load_table(run.path("units.parquet"))
    vectors = np.load(run.path("embeddings.npy"))
    voice = is_voice(units).to_numpy()
    spoken = units[voice]
    if run.config.base_run:  # an update: the base run's themes first, new ones for the rest
        from voc.update import Base, carry_base, update_themes

        base = Base.load(run.config.base_run)
        result = update_themes(base, units, vectors, run.config)
    else:
        result = find_themes(
            vectors[voice],
            spoken["text"].tolist(),
            spoken["respondent_id"].tolist(),
            run.config,
            run.reporter.step,
        )
        if run.config.codebook:
            result = start_from_codebook(run, result, vectors[voice], spoken)
    units["theme_id"] = -1
    units["x"] = units["y"] = units["theme_similarity"] = np.nan
    units.loc[voice, "theme_id"] = result.assignment
    units.loc[voice, "x"], units.loc[voice, "y"] = result.coords[:, 0], result.coords[:, 1]
    units.loc[voice, "theme_similarity"] = result.similarity
    table = result.themes
    ids = spoken["unit_id"].to_numpy()
    table["quote_ids"] = [[ids[i] for i in idx] for idx in table["quote_idx"]]
    table = table.drop(columns="quote_idx")
    units, table, report = edits.apply_theme_edits(run.dir, units, table, vectors, run.config)
    spoken = units[voice]
    if run.config.base_run:
        table = carry_base(table, result.themes, base)
    else:
        if run.config.codebook:
            table = carry_columns(table, result.themes, {"code": "", "status": "new"})
        table = add_levels(
            table,
            vectors[voice],
            spoken["text"].tolist(),
            spoken["theme_id"].to_numpy(),
            run.config,
        )
    run.manifest["theme_params"] = result.params
    run.manifest["edits"] = report
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "themes": len(table),
        "theme_groups": int(table["parent_id"].nunique()),
        "unclustered_units": int(((units["theme_id"] == -1) & voice).sum()),
    }
    save_table(units, run.path("units.parquet"))
    save_table(table, run.path("themes.parquet"))


def start_from_codebook(
    run: Run, found: ThemeResult, vectors: np.ndarray, spoken: pd.DataFrame
) -> ThemeResult:
    """The discovered themes recast around the run's codebook (see voc.codebook); the codes no
    answer joined go to the manifest for the report."""
    from voc.codebook import codebook_themes, read_codebook, seeds
    from voc.embed import embed as embed_texts

    codes = read_codebook(Path(run.config.codebook))
    run.reporter.step(f"starting from the codebook's {len(codes)} codes")
    coded = codebook_themes(
        found,
        vectors,
        spoken["text"].tolist(),
        spoken["respondent_id"].tolist(),
        codes,
        seeds(codes, lambda texts: embed_texts(texts, run.config)[0]),
        run.config,
    )
    run.manifest["codebook"] = {
        "file": Path(run.config.codebook).name,
        "codes": [c.name for c in codes],
        "without_evidence": coded.without_evidence,
    }
    return coded.result


def label(run: Run, llm: LLM) -> None:
    """Each theme named as a job to be done, by the LLM or the offline labeler."""
    from voc import edits
    from voc.label import distinct_names, offline_label, theme_request
    from voc.llm import Ask
    from voc.schemas import ThemeLabel
    from voc.store import load_table, save_table

    units = load_table(run.path("units.parquet"))
    table = load_table(run.path("themes.parquet"))
    carried = base_labels(run)  # an update's base themes keep their names, jobs and renames
    todo = table[~table["theme_id"].isin(carried.index)]
    requests = [theme_request(theme, units) for _, theme in todo.iterrows()]
    asks = [Ask("theme_label", data, ThemeLabel, offline_label) for data in requests]
    answers = ask_all(run, llm, asks)
    names = distinct_names([a.name for a in answers], list(todo["keywords"]))
    fresh = {
        t: {"label": name, "job": a.job, "pains": a.pains, "outcomes": a.outcomes}
        for t, name, a in zip(todo["theme_id"], names, answers, strict=True)
    }
    labels = [fresh.get(t) or carried.loc[t].to_dict() for t in table["theme_id"]]
    for column in ("label", "job", "pains", "outcomes"):
        table[column] = [row[column] for row in labels]
    if "code" in table:  # a codebook's theme keeps the researcher's name
        table["label"] = table["code"].where(table["code"].fillna("") != "", table["label"])
    table = edits.apply_label_edits(run.dir, units, table)
    save_table(check(table, THEME_COLUMNS, "themes"), run.path("themes.parquet"))


def base_labels(run: Run) -> pd.DataFrame:
    """In an update, the base run's label, job, pains and outcomes per theme id; else empty."""
    import pandas as pd

    from voc.store import load_table

    columns = ["label", "job", "pains", "outcomes"]
    if not run.config.base_run:
        return pd.DataFrame(columns=columns)
    return load_table(Path(run.config.base_run) / "themes.parquet").set_index("theme_id")[columns]


def trends(run: Run, llm: LLM) -> None:
    """Each theme's NPS impact and trend into the themes table; shares per period into
    trends.parquet (empty when the units carry no dates)."""
    from voc.store import load_table, save_table
    from voc.trends import moving_themes, nps_impact, theme_trends

    units = load_table(run.path("units.parquet"))
    table = load_table(run.path("themes.parquet"))
    impact = nps_impact(units, table["theme_id"].tolist(), run.config.seed)
    table = table.drop(columns=[c for c in impact if c != "theme_id"], errors="ignore")
    table = table.merge(impact, on="theme_id", how="left")
    table["trend"] = table["theme_id"].map(moving_themes(units)).astype(object).fillna("")
    save_table(check(table, [*THEME_COLUMNS, "nps_impact"], "themes"), run.path("themes.parquet"))
    save_table(theme_trends(units), run.path("trends.parquet"))


def ask_all(run: Run, llm: LLM, asks: list[Ask]) -> list:
    """Answers for all asks, concurrently; past the LLM budget, the offline answers (the
    budget message is shown once, and the answers already paid for are kept)."""
    from voc.llm import BudgetExceeded

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
    """Respondents → segments by theme mix; the segments table of measured facts. Everyone
    stays in the respondents table: a person in no segment gets a note saying why."""
    import numpy as np
    import pandas as pd

    from voc import edits
    from voc.segments import describe, find_segments
    from voc.store import load_table, save_table

    units = load_table(run.path("units.parquet"))
    people = load_table(run.path("respondents.parquet"))
    before = people.set_index("respondent_id").get("segment_id")
    people = people.drop(columns=RESPONDENT_SEGMENT_COLUMNS, errors="ignore")
    hidden = set(load_table(run.path("themes.parquet")).query("hidden")["theme_id"])
    visible = units.assign(theme_id=units["theme_id"].where(~units["theme_id"].isin(hidden), -1))
    vectors = np.load(run.path("embeddings.npy"))
    if run.config.base_run:  # people join the base run's segments by the themes they mention
        from voc.update import Base, in_base_segments

        base = Base.load(run.config.base_run)
        result = in_base_segments(base, units, people, vectors, visible, run.config, hidden)
    else:
        result = find_segments(units, people, vectors, segment_config(run), hidden=hidden)
        if before is not None and edits.load_edits(run.dir):
            result.assignment = edits.follow_segments(before, result.assignment)
    result.assignment = edits.apply_segment_merges(run.dir, result.assignment)
    sizes = result.assignment[result.assignment != UNASSIGNED].value_counts()
    # A base segment stays one however few of this period's people join it.
    few = [] if run.config.base_run else sizes[sizes < run.config.min_segment_respondents].index
    if len(few):  # never a segment smaller than the minimum: its people are set aside
        small = result.assignment.isin(few)
        why = f"too few people for a segment (under {run.config.min_segment_respondents})"
        result.reasons = pd.concat([result.reasons, pd.Series(why, index=small[small].index)])
        result.assignment = result.assignment.mask(small, UNASSIGNED)
        result.note = f"{result.note} Groups of {why} were set aside.".strip()
    run.manifest["segment_k"] = result.k
    run.manifest["segment_moves"] = (
        edits.segment_moves(before, result.assignment) if before is not None else []
    )
    ids = people["respondent_id"]
    people["segment_id"] = result.assignment.reindex(ids).fillna(UNASSIGNED).astype(int).values
    people["segment_confidence"] = result.confidence.reindex(ids).to_numpy()
    people["segment_note"] = outside_notes(visible, people, result.reasons)
    facts = describe(visible, people.drop(columns=RESPONDENT_SEGMENT_COLUMNS), result)
    save_table(people, run.path("respondents.parquet"))
    save_table(facts, run.path("segments.parquet"))
    result.matrix.to_parquet(run.path("segment_matrix.parquet"))
    np.save(run.path("segment_features.npy"), result.features)
    run.manifest["segment_selection"] = result.selection.to_dict(orient="records")
    run.manifest["segment_note"] = result.note
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "segments": len(facts),
        "unassigned_respondents": int((people["segment_id"] == UNASSIGNED).sum()),
        "single_answer_respondents": int((result.matrix.gt(0).sum(axis=1) == 1).sum()),
    }


def segment_config(run: Run) -> Config:
    """The options segments run with: the number of segments is kept from before when a
    reviewer edited themes (`--segments N` re-chooses)."""
    from voc import edits

    config = run.config
    if config.segments is not None:
        return config
    kept = run.manifest.get("segment_k") if edits.has_theme_edits(run.dir) else None
    return config.with_updates(segments=kept) if kept else config


# Why a person is in no segment, in the words the report and respondents.csv use.
NOTHING_TO_ADD = "nothing to add"
NO_ANSWER = "no answer"
UNTHEMED = "said nothing that fits a theme"


def outside_notes(units: pd.DataFrame, people: pd.DataFrame, reasons: pd.Series) -> list[str]:
    """Per respondent, "" when in a segment, else why not: only non-answers ("nothing to add"
    when any of them says there is nothing to improve), nothing themed, or the segmenter's
    reason (e.g. a placement that flips between two segments)."""
    voice = is_voice(units)
    spoke = set(units.loc[voice, "respondent_id"])
    nothing = set(units.loc[units.get("non_answer", "") == "nothing", "respondent_id"])
    notes = []
    for rid, seg in zip(people["respondent_id"], people["segment_id"], strict=True):
        if seg != UNASSIGNED:
            notes.append("")
        elif rid in reasons.index:
            notes.append(str(reasons[rid]))
        elif rid not in spoke:
            notes.append(NOTHING_TO_ADD if rid in nothing else NO_ANSWER)
        else:
            notes.append(UNTHEMED)
    return notes


def profiles(run: Run, llm: LLM) -> None:
    """A persona per segment, grounded in its members' quotes."""
    from voc import edits
    from voc.llm import Ask
    from voc.profiles import offline_profile, profile_request
    from voc.schemas import SegmentProfile
    from voc.store import load_table, save_table

    units = load_table(run.path("units.parquet"))
    themes_table = load_table(run.path("themes.parquet"))
    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    if table.empty:  # no segments (too few people): nothing to profile
        save_table(table.reindex(columns=SEGMENT_COLUMNS), run.path("segments.parquet"))
        return
    asks = []
    for _, seg in table.iterrows():
        members = set(people.loc[people["segment_id"] == seg["segment_id"], "respondent_id"])
        data = profile_request(seg, themes_table, units, members)
        asks.append(Ask("segment_profile", data, SegmentProfile, offline_profile))
    drafted = ask_all(run, llm, asks)
    table["name"] = [p.name for p in drafted]
    table["profile"] = [p.model_dump() for p in drafted]
    if run.config.base_run:  # the base run's segments keep their names (renames included)
        base = load_table(Path(run.config.base_run) / "segments.parquet")
        names = table["segment_id"].map(base.set_index("segment_id")["name"])
        table["name"] = names.fillna(table["name"])
    table = edits.apply_segment_edits(run.dir, people, table)
    save_table(check(table, SEGMENT_COLUMNS, "segments"), run.path("segments.parquet"))


def criteria(run: Run, llm: LLM) -> None:
    """The five criteria measured per segment; the LLM's judgement beside them if configured."""
    import numpy as np
    import pandas as pd

    from voc import criteria as crit
    from voc.store import load_table, save_table

    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    table = table.drop(
        columns=[
            c
            for c in table.columns
            if c.startswith(CRITERIA) or c in ("recommendation", "judgement")
        ]
    )
    matrix = pd.read_parquet(run.path("segment_matrix.parquet"))
    matrix.columns = matrix.columns.astype(int)
    assignment = people.set_index("respondent_id")["segment_id"]
    themes_table = load_table(run.path("themes.parquet"))
    x = np.load(run.path("segment_features.npy"))
    attributes = people.drop(columns=RESPONDENT_SEGMENT_COLUMNS, errors="ignore")
    measured = crit.evaluate(table, attributes, matrix, x, assignment, themes_table, run.config)
    if not measured.empty:
        table = table.merge(measured, on="segment_id")
    table["judgement"] = [judge(llm, row) for _, row in table.iterrows()]
    save_table(table, run.path("segments.parquet"))


def judge(llm: LLM, row: pd.Series) -> dict | None:
    """The model's view of actionable and accessible; None on the offline backend, which has
    no judgement beyond the measurements."""
    from voc.llm import BudgetExceeded
    from voc.schemas import CriteriaJudgement

    if llm.backend == "offline":
        return None
    data = {
        "segment": {"name": row["name"], "summary": row["profile"]["summary"]},
        "measured": {
            c: {"verdict": row[c], "figure": row[f"{c}_shown"], "reason": row[f"{c}_reason"]}
            for c in CRITERIA
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


@dataclass(frozen=True)
class Stage:
    """One stage, declared once. `version` changes when the stage computes differently, so
    runs made before re-run it (and only it and what follows)."""

    name: str
    summary: str  # one line: `--help` and the report's method text
    needs: tuple[str, ...]  # the stages whose results it uses: a change there re-runs it
    reads: tuple[str, ...]  # files of the run directory ("corpus" = the corpus files)
    writes: tuple[str, ...]
    options: tuple[str, ...]  # Config fields it depends on: a change re-runs it
    function: Callable[[Run, LLM], None]
    version: int = 1
    edits: tuple[str, ...] = ()  # edit ops this stage is the first to apply
    uses_llm: bool = False  # its output depends on the LLM backend


LLM_OPTIONS = ("llm", "llm_model", "temperature", "prompts_dir", "max_calls", "max_cost")

STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        "read transcripts, tables and tickets into units of customer voice",
        (),
        ("corpus",),
        ("units.parquet", "respondents.parquet"),
        ("redact", "interviewer", "columns", "max_passage_tokens"),
        ingest,
        version=3,
    ),
    Stage(
        "embed",
        "embed each unit's meaningful words (cached across runs)",
        ("ingest",),
        ("units.parquet",),
        ("embeddings.npy",),
        ("embed_model", "embed_backend"),
        embed,
        version=2,
    ),
    Stage(
        "themes",
        "cluster units into themes (UMAP → HDBSCAN), re-apply theme edits",
        ("ingest", "embed"),
        ("units.parquet", "embeddings.npy"),
        ("units.parquet", "themes.parquet"),
        (
            "seed",
            "base_run",
            "codebook",
            "min_theme_size",
            "noise_reassign_similarity",
            "merge_similarity",
            "stability_resamples",
            "fit_sample",
        ),
        themes,
        version=3,
        edits=("merge_themes", "split_theme", "move_unit", "hide_theme", "show_theme"),
    ),
    Stage(
        "label",
        "name each theme as a job to be done (LLM or offline labeler)",
        ("themes",),
        ("units.parquet", "themes.parquet"),
        ("themes.parquet",),
        (*LLM_OPTIONS, "base_run"),
        label,
        version=3,
        edits=("rename_theme", "set_job"),
        uses_llm=True,
    ),
    Stage(
        "trends",
        "measure each theme's NPS impact and, when units have dates, its trend",
        ("label",),
        ("units.parquet", "themes.parquet"),
        ("themes.parquet", "trends.parquet"),
        ("seed",),
        trends,
    ),
    Stage(
        "segments",
        "group respondents by the themes they mention",
        ("themes",),
        ("units.parquet", "respondents.parquet", "themes.parquet", "embeddings.npy"),
        (
            "respondents.parquet",
            "segments.parquet",
            "segment_matrix.parquet",
            "segment_features.npy",
        ),
        (
            "seed",
            "segments",
            "min_segments",
            "max_segments",
            "use_attributes",
            "min_segment_respondents",
            "base_run",
        ),
        segments,
        version=5,
        edits=("merge_segments",),
    ),
    Stage(
        "profiles",
        "draft a persona per segment from its members' quotes",
        ("label", "segments"),
        ("units.parquet", "themes.parquet", "respondents.parquet", "segments.parquet"),
        ("segments.parquet",),
        (*LLM_OPTIONS, "base_run"),
        profiles,
        version=2,
        edits=("rename_segment",),
        uses_llm=True,
    ),
    Stage(
        "criteria",
        "measure the five criteria per segment",
        ("label", "profiles"),
        (
            "respondents.parquet",
            "segments.parquet",
            "segment_matrix.parquet",
            "segment_features.npy",
            "themes.parquet",
        ),
        ("segments.parquet",),
        (
            "seed",
            "substantial_share",
            "min_segment_respondents",
            "reach_attributes",
            "llm",
            "llm_model",
            "max_calls",
            "max_cost",
        ),
        criteria,
        version=4,
        uses_llm=True,
    ),
    Stage(
        "report",
        "write report.md, figures, map.html and CSV copies",
        ("criteria", "trends"),
        ("units.parquet", "themes.parquet", "respondents.parquet", "segments.parquet"),
        ("report.md", "map.html"),
        (),
        report,
        version=5,
    ),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    """The declaration of the stage called `name`."""
    return STAGES[STAGE_NAMES.index(name)]


def first_stage_of(op: str) -> str:
    """The first stage that applies an edit op: where re-running starts after such an edit."""
    return next(s.name for s in STAGES if op in s.edits)


EDIT_OPS = tuple(op for s in STAGES for op in s.edits)
