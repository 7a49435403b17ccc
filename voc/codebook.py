"""Start from a researcher's codebook: each code becomes a theme that keeps its name, the rest
of the corpus is still clustered, and themes found beside the codebook are marked `new`.

The rule, in full. A code's seed is the mean direction of its name, its description and the
texts a researcher coded with it (in an imported `.qdpx`). The corpus is clustered as in any
run; then, for `ROUNDS` rounds, every answer goes to the nearest of the codes' centres and the
discovered themes' centres (an answer under `noise_reassign_similarity` to every code stays
where it was), and a discovered theme is *claimed* by a code when its centre is that code's
nearest theme, or as close to it as near-duplicate themes are merged (`merge_similarity`), or
when the codes took at least half of its answers. A claimed theme's answers all join codes, so
the code and the cluster that is its job in the data become one. Each code's centre then moves
to the mean of its answers, held near its seed. Discovered themes that keep at least the run's
minimum theme size stay, marked `new`; a code no answer joins is reported as without evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from voc.config import Config
from voc.errors import VocError
from voc.qda import Code, read_qda
from voc.tables import NOISE

if TYPE_CHECKING:
    from voc.themes import ThemeResult

ROUNDS = 5
CLAIM = 0.7
NAME_COLUMNS = ("name", "code", "theme", "label")
DESCRIPTION_COLUMNS = ("description", "definition", "memo")
EXAMPLE_COLUMNS = ("example", "examples", "quote")


def read_codebook(path: Path) -> list[Code]:
    """The codes of a REFI-QDA codebook (`.qdc`), project (`.qdpx`, with each code's coded
    texts as examples) or a CSV with a `name` column and optional `description` and
    `example` columns."""
    path = Path(path)
    if not path.is_file():
        raise VocError(f"Codebook {path} does not exist. Give a .qdc, .qdpx or .csv file.")
    suffix = path.suffix.lower()
    if suffix in (".qdc", ".qdpx"):
        codes = read_qda(path).codes
    elif suffix == ".csv":
        codes = read_csv_codebook(path)
    else:
        raise VocError(
            f"Codebook {path} is neither .qdc, .qdpx nor .csv. Export the codebook from your QDA "
            "tool as REFI-QDA, or write a CSV with a `name` column."
        )
    named: dict[str, Code] = {}
    for code in codes:
        name = code.name.strip()
        if not name:
            continue
        if name in named:  # the same code twice (e.g. under two groups): one theme
            named[name].examples += code.examples
            named[name].description = named[name].description or code.description
        else:
            named[name] = Code(name, code.description.strip(), list(code.examples))
    if not named:
        raise VocError(f"Codebook {path} holds no named codes. Add at least one code.")
    return list(named.values())


def read_csv_codebook(path: Path) -> list[Code]:
    import pandas as pd

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise VocError(f"Cannot read codebook {path} ({err}). Save it as UTF-8 CSV.") from None
    columns = {c.strip().lower(): c for c in table.columns}

    def column(names: tuple[str, ...]) -> str | None:
        return next((columns[n] for n in names if n in columns), None)

    name = column(NAME_COLUMNS)
    if name is None:
        raise VocError(
            f"Codebook {path} has columns {', '.join(map(str, table.columns)) or 'none'}; it "
            "needs a `name` column (and optionally `description` and `example`)."
        )
    description, example = column(DESCRIPTION_COLUMNS), column(EXAMPLE_COLUMNS)
    return [
        Code(
            row[name],
            row[description] if description else "",
            [row[example]] if example and row[example].strip() else [],
        )
        for _, row in table.iterrows()
    ]


def unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def code_texts(code: Code) -> list[str]:
    """What a code's seed is made of: its name, description and examples."""
    return [t for t in (code.name, code.description, *code.examples) if t.strip()]


def seeds(codes: list[Code], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One unit vector per code: the mean direction of its name, description and examples."""
    texts = [code_texts(code) for code in codes]
    vectors = unit_rows(np.asarray(encode([t for parts in texts for t in parts]), dtype=float))
    ends = np.cumsum([len(parts) for parts in texts])
    return unit_rows(np.stack([v.sum(axis=0) for v in np.split(vectors, ends[:-1])]))


@dataclass
class Coding:
    """Which code each answer carries (−1: none) and which discovered themes the codes took."""

    code: np.ndarray  # per answer: index into the codebook, or −1
    claimed: set[int]  # discovered theme ids whose answers all went to codes


def apply_codebook(
    vectors: np.ndarray, labels: np.ndarray, seed_vectors: np.ndarray, config: Config
) -> Coding:
    """Codes against the discovered themes, by the rule in the module docstring."""
    from voc.themes import centroids

    x = unit_rows(np.asarray(vectors, dtype=float))
    found = centroids(x, labels)
    ids = np.array(list(found), dtype=int)
    themes = np.stack(list(found.values())) if found else np.zeros((0, x.shape[1]))
    centres = seed_vectors.copy()
    owner = np.full(len(ids), -1)  # the code that claimed each discovered theme, −1: none yet
    code = np.full(len(x), -1)
    for _ in range(ROUNDS):
        to_code = x @ centres.T
        rivals = themes[owner < 0]
        to_theme = (x @ rivals.T).max(axis=1) if len(rivals) else np.full(len(x), -np.inf)
        best = to_code.max(axis=1)
        code = np.where(
            (best >= to_theme) & (best >= config.noise_reassign_similarity),
            to_code.argmax(axis=1),
            -1,
        )
        if len(ids):
            near = themes @ centres.T
            nearest_theme = near.argmax(axis=0)
            for i, t in enumerate(ids):
                j = int(near[i].argmax())
                taken = code[labels == t]
                if owner[i] < 0 and (
                    near[i, j] >= config.merge_similarity
                    or (near[i, j] >= CLAIM and nearest_theme[j] == i)
                    or (taken >= 0).mean() >= 0.5
                ):
                    owner[i] = j if (taken < 0).all() else np.bincount(taken[taken >= 0]).argmax()
        # a claimed theme's remaining answers join the code that claimed it
        home = dict(zip(ids.tolist(), owner.tolist(), strict=True))
        claimed_by = np.array([home.get(int(t), -1) for t in labels])
        code = np.where((code < 0) & (claimed_by >= 0), claimed_by, code)
        centres = unit_rows(
            np.stack(
                [
                    unit_rows(x[code == j].mean(axis=0)) + s if (code == j).any() else s
                    for j, s in enumerate(seed_vectors)
                ]
            )
        )
    return Coding(code, {int(t) for t in ids[owner >= 0]})


@dataclass
class CodedThemes:
    """The themes of a run started from a codebook, and the codes no answer joined."""

    result: ThemeResult
    without_evidence: list[str]


def codebook_themes(
    found: ThemeResult,
    vectors: np.ndarray,
    texts: list[str],
    people: list[str],
    codes: list[Code],
    seed_vectors: np.ndarray,
    config: Config,
) -> CodedThemes:
    """The discovered themes recast around the codebook: codes first (ids in codebook order,
    named by `code`, status `code`), then the discovered themes the codes left, status `new`.
    A code theme's stability is its answers' mean stability in the discovered themes they came
    from (0 for answers that were unclustered): how firmly the data groups them."""
    from voc.themes import MIN_SIZES, ThemeResult, describe, similarity_to_centre

    coding = apply_codebook(vectors, found.assignment, seed_vectors, config)
    found_stability = found.themes.set_index("theme_id")["stability"]
    # each answer's stability in the theme it was found in (0 when it was unclustered)
    origin = found_stability.reindex(found.assignment).fillna(0.0).to_numpy()
    labels = np.full(len(vectors), NOISE)
    stability: dict[int, float] = {}
    names: dict[int, str] = {}
    evidence = [j for j in range(len(codes)) if (coding.code == j).any()]
    for theme, j in enumerate(evidence):
        labels[coding.code == j] = theme
        stability[theme] = float(origin[coding.code == j].mean())
        names[theme] = codes[j].name
    min_size = int(found.params.get("min_cluster_size") or MIN_SIZES[0])
    left = (coding.code < 0) & ~np.isin(found.assignment, [NOISE, *coding.claimed])
    for t in sorted(set(found.assignment[left].tolist())):
        members = left & (found.assignment == t)
        if members.sum() >= min_size:
            theme = len(stability)
            labels[members] = theme
            stability[theme] = float(found_stability[t])
    table = describe(vectors, texts, people, labels, stability)
    table["code"] = table["theme_id"].map(names).fillna("")
    table["status"] = np.where(table["code"] != "", "code", "new")
    result = ThemeResult(
        labels, found.coords, table, found.params, similarity_to_centre(vectors, labels)
    )
    return CodedThemes(result, [c.name for j, c in enumerate(codes) if j not in evidence])
