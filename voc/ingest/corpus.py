"""Corpus files in, one row per piece of customer voice out.

Readers (transcripts, tables, tickets) turn each file into records; this module gives them
stable ids, redacts them, splits long ones into passages, merges respondent attributes and
builds the units and respondents tables. A file or row that cannot be used becomes a Problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from voc.core.errors import Problem, VocError
from voc.core.tables import RESPONDENT_COLUMNS, UNIT_COLUMNS, UNIT_CORE
from voc.ingest.files import (
    TABLE_SUFFIXES,
    TRANSCRIPT_SUFFIXES,
    CorpusFile,
    decode,
    discover,
    sha256,
)
from voc.ingest.params import IngestParams
from voc.ingest.passages import split_each
from voc.ingest.records import FileResult, Record, Unreadable, short_hash
from voc.ingest.redact import redact
from voc.ingest.spreadsheets import read_attributes, read_table
from voc.ingest.transcripts import read_transcript


@dataclass
class Ingested:
    """The stage's output: units, respondents, what was skipped and what was read."""

    units: pd.DataFrame
    respondents: pd.DataFrame
    problems: list[Problem]
    inputs: list[dict]


def ingest(
    paths: Sequence[Path],
    params: IngestParams,
    progress: Callable[[str], None] | None = None,
    strict: bool = False,
    besides: Path | None = None,
) -> Ingested:
    """Read every corpus file under `paths` (but `besides`, the run's codebook) into units and
    respondents; raises VocError when nothing usable was found, or on any problem when
    `strict`."""
    files, missing = discover(paths, besides)
    problems = [Problem(str(p), "not found", hint="check the path") for p in missing]
    records: list[tuple[CorpusFile, Record]] = []
    inputs: list[dict] = []
    attribute_tables: list[pd.DataFrame] = []
    for corpus_file in files:
        if progress:
            progress(f"reading {corpus_file.source}")
        result, digest = _read(corpus_file, params, attribute_tables)
        problems += result.problems
        units = _finish(corpus_file, result.records, params)
        records += [(corpus_file, r) for r in units]
        entry = {"path": corpus_file.source, "sha256": digest, "units": len(units)}
        entry["kind"] = result.kind
        if result.empty:
            entry["empty"] = result.empty
        if result.non_answers:
            entry["non_answers"] = result.non_answers
        inputs.append(entry)
    if not records:
        raise VocError(_nothing_usable(paths, files, problems))
    if all(r.non_answer for _, r in records):
        raise VocError(_only_non_answers(paths, records))
    if strict and problems:
        listed = "; ".join(str(p) for p in problems)
        raise VocError(
            f"{len(problems)} input problem(s) and strict mode is on: {listed}. Fix these inputs "
            "or run without --strict to skip them."
        )
    units = _units_frame(records, attribute_tables)
    per_source = units["source"].value_counts()
    for entry in inputs:  # after duplicates were counted once
        entry["units"] = int(per_source.get(entry["path"], 0))
    return Ingested(units, _respondents_frame(units), problems, inputs)


def _read(
    corpus_file: CorpusFile, params: IngestParams, attribute_tables: list[pd.DataFrame]
) -> tuple[FileResult, str]:
    """A file's records (a respondents file adds to attribute_tables instead), or an empty
    result with the problem that stopped it."""
    source = corpus_file.source
    digest = ""
    try:
        data = corpus_file.path.read_bytes()
        digest = sha256(data)
        suffix = corpus_file.suffix
        if suffix not in TRANSCRIPT_SUFFIXES | TABLE_SUFFIXES:
            raise Unreadable(
                f"voc cannot read {suffix or 'extension-less'} files",
                "export it as .txt, .docx, .vtt, .srt, .csv, .xlsx or .json(l)",
            )
        if not data.strip():
            raise Unreadable("the file is empty", "remove it or export it again")
        text = None if suffix in (".docx", ".xlsx") else decode(data)
        if corpus_file.is_respondents:
            attribute_tables.append(read_attributes(corpus_file.path, text, source, params.columns))
            return FileResult(kind="respondents"), digest
        if suffix in TABLE_SUFFIXES:
            return read_table(corpus_file.path, text, source, params.columns), digest
        stem = Path(source).stem
        return read_transcript(corpus_file.path, text, stem, params.interviewer), digest
    except Unreadable as err:
        problem = Problem(source, err.cause, hint=err.hint)
    except OSError as err:
        problem = Problem(source, f"cannot open the file ({err.strerror})", hint="check access")
    except Exception as err:  # a reader bug must cost one file, not the run
        problem = Problem(source, f"voc could not read this file ({err!r})", hint="report it")
    return FileResult(kind="skipped", problems=[problem]), digest


def _finish(corpus_file: CorpusFile, records: list[Record], params: IngestParams) -> list[Record]:
    """Records redacted, long ones split into passages, each with its stable unit id."""
    redacted = []
    for record in records:
        text, context = record.text.strip(), record.context.strip()
        if params.redact:
            text, context = redact(text, record.names), redact(context, record.names)
        redacted.append(replace(record, text=text, context=context))
    voiced = [r.text for r in redacted if not r.non_answer]
    parts_of = iter(split_each(voiced, params.max_passage_tokens))
    out: list[Record] = []
    for record in redacted:
        if record.non_answer:  # kept whole, even when empty: it stands for a person
            out.append(replace(record, unit_id=short_hash(corpus_file.source, record.locator)))
            continue
        parts = next(parts_of)
        for i, part in enumerate(parts):
            where = record.locator if len(parts) == 1 else f"{record.locator}#{i + 1}"
            unit_id = short_hash(corpus_file.source, where)
            out.append(replace(record, text=part, unit_id=unit_id))
    return out


def _units_frame(
    records: list[tuple[CorpusFile, Record]], attribute_tables: list[pd.DataFrame]
) -> pd.DataFrame:
    """The units table: contract columns, then attributes; duplicates counted once."""
    rows: dict[tuple[str, ...], dict] = {}
    for corpus_file, r in records:
        # Only one person's repeated answer is merged (a form submitted twice). Interview turns
        # never are ("Yes." answers differ by their question), nor are non-answers, and rows
        # without an id are different people, however alike their words: each must count.
        key = (
            (r.unit_id,)
            if r.kind == "interview" or r.non_answer
            else (r.kind, r.respondent_id, r.text, str(r.score))
        )
        if key in rows:
            rows[key]["count"] += 1
            continue
        rows[key] = {
            "unit_id": r.unit_id,
            "respondent_id": r.respondent_id,
            "kind": r.kind,
            "source": corpus_file.source,
            "locator": r.locator,
            "text": r.text,
            "speaker": r.speaker,
            "context": r.context,
            "date": r.date,
            "score": float(r.score) if not math.isnan(r.score) else math.nan,
            "count": 1,
            "non_answer": r.non_answer,
            **{_attribute_name(k): v for k, v in r.attributes.items()},
        }
    units = pd.DataFrame(list(rows.values()))
    attributes = [c for c in units.columns if c not in UNIT_COLUMNS]
    for table in attribute_tables:
        units = _fill_attributes(units, table, attributes)
        attributes = [c for c in units.columns if c not in UNIT_COLUMNS]
    units = units[UNIT_COLUMNS + attributes]
    for column in ["unit_id", "respondent_id", "kind", "source", "locator", "text", "speaker",
                   "context", "date", "non_answer", *attributes]:  # fmt: skip
        units[column] = units[column].fillna("").astype(str)
    units["score"] = units["score"].astype(float)
    units["count"] = units["count"].astype(int)
    return units.reset_index(drop=True)


def _attribute_name(key: str) -> str:
    """Attribute keys never shadow the contract columns."""
    return f"{key}_attr" if key in UNIT_CORE else key


def _fill_attributes(units: pd.DataFrame, table: pd.DataFrame, known: list[str]) -> pd.DataFrame:
    """respondents.csv values fill the gaps; values from the unit's own file win."""
    if table.empty or "respondent_id" not in table.columns:
        return units
    table = table.drop_duplicates("respondent_id").set_index("respondent_id")
    table.columns = [_attribute_name(c) for c in table.columns]
    for column in table.columns:
        extra = units["respondent_id"].map(table[column])
        if column in units.columns:
            current = units[column].astype("object")
            empty = current.isna() | (current.astype(str).str.strip() == "")
            units[column] = current.where(~empty, extra)
        else:
            units[column] = extra
    return units


def _respondents_frame(units: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: kinds, number of units, and each attribute's first non-empty
    value (vectorised: a python function per group took most of ingest on 15k rows)."""
    attributes = [c for c in units.columns if c not in UNIT_COLUMNS]
    grouped = units.groupby("respondent_id", sort=True)
    kinds = units.drop_duplicates(["respondent_id", "kind"]).sort_values("kind")
    respondents = pd.DataFrame(
        {
            "kinds": (
                kinds.assign(kind=kinds["kind"] + ",")
                .groupby("respondent_id", sort=True)["kind"]
                .sum()
                .str.rstrip(",")
            ),
            "n_units": grouped.size(),
        }
    )
    if attributes:
        values = units[attributes].astype("object")
        blank = values.isna() | values.apply(lambda col: col.astype(str).str.strip().eq(""))
        firsts = values.mask(blank).groupby(units["respondent_id"], sort=True).first()
        respondents = respondents.join(firsts.fillna(""))
    respondents = respondents.reset_index()
    return respondents[RESPONDENT_COLUMNS + attributes]


def _only_non_answers(paths: Sequence[Path], records: list[tuple[CorpusFile, Record]]) -> str:
    where = ", ".join(str(p) for p in paths)
    nothing = sum(r.non_answer == "nothing" for _, r in records)
    return (
        f"Every answer in {where} is blank or a stock non-answer ({nothing} say 'nothing' or "
        f"'no', {len(records) - nothing} are empty or like 'N/A'): there are no words to find "
        "themes in. Check that the text column voc picked holds the open answers, or name it "
        'in voc.toml (`[columns] text = ["Your question"]`).'
    )


def _nothing_usable(paths: Sequence[Path], files: list[CorpusFile], problems: list) -> str:
    where = ", ".join(str(p) for p in paths) or "(no paths given)"
    if not files:
        return (
            f"No corpus files found in {where}. Give files or folders holding transcripts "
            "(.txt, .md, .docx, .vtt, .srt) or tables (.csv, .tsv, .xlsx, .json, .jsonl)."
        )
    shown = "; ".join(str(p) for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return (
        f"Nothing usable was found in {where}: {len(files)} file(s) read but none held customer "
        f"text. {shown}{more}. Check that tables have a text column (or set `columns.text` in "
        "voc.toml) and that transcripts contain speaker turns."
    )
