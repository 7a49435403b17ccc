"""Segments of people that hold: each respondent is described by what they said, segments come
from a consensus of many resampled fits rather than from one draw, and every segment reports
how reliably it comes back.

The rule, in full:

1. **What a person said.** Each answer counts, split softly, towards its nearest themes and
   its nearest fine clusters of answers (spectral clustering of the answers' neighbour graph,
   about 2.5·√answers of them, the same whatever the seed). An answer on the border of two
   themes counts partly to both instead of flipping between them, and the fine clusters keep
   two jobs apart when a run's themes happen to merge them: segments depend less on the exact
   themes of one run. An answer that fits no theme still counts through its fine clusters.
2. **Many fits, not one.** For each candidate k, `RESAMPLES` draws each fit a mixture of k
   answer profiles plus one background profile of what everybody says (`SHARED` of every
   answer is expected to come from it, so themes all groups mention cannot make a group) to a
   random `SAMPLE_SHARE` of the respondents, and place everyone in the group their own answers
   favour most (segment sizes play no part in placement).
3. **Consensus.** How often two people land together across the draws (co-association) is cut
   into k segments by average linkage on 1 − co-association; a split counts only when both
   sides hold at least `params.min_segment_respondents` people. Each person then joins the
   segment whose members they land with most often.
4. **k.** A segment's stability is its mean best Jaccard overlap with the groups of each draw
   (Hennig's clusterwise stability; 0.75 or more means it holds). The number of segments is
   the largest k in [`params.min_segments`, `params.max_segments`] whose every segment holds
   and has at least `params.min_segment_respondents` people; if none does, the k whose weakest
   segment is most stable, read as tendencies. `params.segments` fixes k instead.
5. **Who stays out.** Only clear cases; they keep their row, with a reason. A person whose
   answers what everybody says explains at least 1.25 times better than any group's profile
   does (likelihood ratio under `EVIDENCE` = 0.8, averaged over the draws): they said only what
   every segment says ("Great product", a support complaint). And a person who lands with
   their own segment's members in fewer than half of the draws (`FLIP`): their placement
   flips between two segments.

Every random choice is seeded (params.seed; the fine clusters by a fixed seed), unit vectors
and graph distances are rounded before clustering and the consensus counts are integers, so
one machine gives the same segments every time and another CPU's last bits move at most a
borderline person."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from voc.core.geometry import renumber_by_size
from voc.core.tables import UNASSIGNED, is_voice
from voc.segments.answers import answer_profiles, attribute_tokens, theme_matrix
from voc.segments.consensus import (
    HOLDS,
    RESAMPLES,
    Candidate,
    Placement,
    choose,
    consensus,
    jaccard_stability,
    place,
    silhouette,
)
from voc.segments.params import SegmentParams


@dataclass
class SegmentResult:
    """Respondent → segment, the matrix it came from, how the number was chosen, and how
    reliably each segment and each person's place in it came back across the draws."""

    assignment: pd.Series  # segment id per respondent_id, UNASSIGNED when in no segment
    matrix: pd.DataFrame  # respondents who said something × themes, share of their themed units
    features: np.ndarray  # answer profiles in meaning space, one row per row of matrix
    selection: pd.DataFrame  # k, stability, smallest, silhouette, chosen
    k: int
    # how often the person lands with their segment's members across the draws (0–1), per
    # respondent_id in matrix
    confidence: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    # why a person in matrix is in no segment, per respondent_id (only those)
    reasons: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    stability: dict[int, float] = field(default_factory=dict)  # segment id → 0–1
    note: str = ""  # why this many segments, in a sentence a reader can follow


def one_segment(
    matrix: pd.DataFrame, everyone: pd.Series, features: np.ndarray, note: str, k: int = 1
) -> SegmentResult:
    """Everyone in matrix in segment 0 (k=1), or in none (k=0: too few for a
    segment of the minimum size, each of them with the note as reason)."""
    ids = matrix.index
    assignment = pd.Series(0 if k else UNASSIGNED, index=ids, name="segment_id", dtype=int)
    selection = pd.DataFrame(
        [
            {
                "k": k,
                "stability": 1.0 if k else float("nan"),
                "smallest": len(ids) if k else 0,
                "silhouette": float("nan"),
                "chosen": True,
            }
        ]
    )
    return SegmentResult(
        assignment.reindex(everyone).fillna(UNASSIGNED).astype(int),
        matrix,
        features,
        selection,
        k,
        pd.Series(1.0 if k else float("nan"), index=ids, name="segment_confidence"),
        pd.Series(note if not k else None, index=ids if not k else [], dtype=str),
        {0: 1.0} if k else {},
        note,
    )


def candidate_ks(n: int, params: SegmentParams, min_size: int) -> list[int]:
    """The numbers of segments to try: params.segments, else min_segments..max_segments; in
    both cases only as many as n respondents fill with min_size each."""
    most = n // min_size
    if params.segments:
        return [min(params.segments, most)] if min(params.segments, most) >= 2 else []
    return list(range(max(2, params.min_segments), min(params.max_segments, most) + 1))


def find_segments(
    units: pd.DataFrame,
    respondents: pd.DataFrame,
    vectors: np.ndarray,
    params: SegmentParams,
    hidden: Collection[int] = (),
) -> SegmentResult:
    """Segments from a consensus of resampled mixture fits; see the module docstring for the
    rule. Counted: every answer that is customer voice (not a non-answer) and not in a hidden
    theme; an answer with no theme counts through its fine clusters. Never a segment under
    params.min_segment_respondents: too few people for several segments give one, too few for
    one give none, with a note saying why."""
    keep = (is_voice(units) & ~units["theme_id"].isin(list(hidden))).to_numpy()
    counted, vectors = units[keep].reset_index(drop=True), np.asarray(vectors)[keep]
    spoke = pd.Index(sorted(counted["respondent_id"].unique()))
    matrix = theme_matrix(counted).reindex(spoke).fillna(0.0)
    everyone = respondents["respondent_id"]
    n = len(matrix)
    min_size = max(1, params.min_segment_respondents)
    if n == 0:
        return one_segment(matrix, everyone, np.zeros((0, 0)), NOTHING_SAID, k=0)
    if matrix.shape[1] == 0:
        return one_segment(matrix, everyone, np.zeros((n, 0)), NO_THEMES, k=0)
    if n < min_size:
        note = f"{n} respondents with answers: too few for a segment of at least {min_size}."
        return one_segment(matrix, everyone, np.zeros((n, 0)), note, k=0)
    extra = attribute_tokens(respondents, matrix.index) if params.use_attributes else None
    profiles = answer_profiles(counted, vectors, matrix.index, extra)
    counts, features = profiles.counts, profiles.features()
    if params.segments == 1:
        return one_segment(matrix, everyone, features, "One segment, as configured.")
    ks = candidate_ks(n, params, min_size)
    if not ks:
        fewest = params.segments or max(2, params.min_segments)
        note = (
            f"{n} respondents with answers: too few for {fewest} segments of at least "
            f"{min_size}, so they form one segment."
        )
        return one_segment(matrix, everyone, features, note)
    candidates = [consensus(counts, k, params.seed, min_size) for k in ks]
    best = candidates[0] if params.segments else choose(candidates, min_size)
    selection = pd.DataFrame(
        [
            {
                "k": c.k,
                "stability": round(float(c.stability.min()), 3),
                "smallest": int(c.sizes().min()),
                "silhouette": round(silhouette(features, c.segment, params.seed), 3),
                "chosen": c is best,
            }
            for c in candidates
        ]
    )
    placed = place(best, min_size)
    segment, confidence = placed.segment, placed.confidence
    if len(set(segment[segment >= 0].tolist())) <= 1:  # one group left: it is everyone's
        note = explain(best, candidates, params, 1, min_size, placed, n)
        result = one_segment(matrix, everyone, features, note)
        result.selection = selection
        return result
    kept = segment[segment >= 0]
    mapping = dict(zip(kept.tolist(), renumber_by_size(kept).tolist(), strict=True))
    final = np.array([mapping.get(s, UNASSIGNED) for s in segment])
    k = len(set(mapping.values()))
    held = jaccard_stability(best.labels, final, k)
    ids = matrix.index
    reasons = {ids[i]: SHARED_ONLY for i in placed.vague}
    for i, (a, b, mine, theirs) in placed.flips.items():
        one, other = (
            f"segment {mapping[x]}" if x in mapping else "a dissolved one" for x in (a, b)
        )
        reasons[ids[i]] = (
            f"placement flips between {one} and {other} (lands with the first in {mine:.0%} "
            f"of resamples, with the second in {theirs:.0%})"
        )
    note = explain(best, candidates, params, k, min_size, placed, n) + (
        f" {len(reasons)} of {n} respondents with answers fit no segment clearly."
        if reasons
        else ""
    )
    return SegmentResult(
        pd.Series(final, index=ids, name="segment_id")
        .reindex(everyone)
        .fillna(UNASSIGNED)
        .astype(int),
        matrix,
        features,
        selection,
        k,
        pd.Series(confidence.round(3), index=ids, name="segment_confidence"),
        pd.Series(reasons, dtype=str),
        {s: round(float(held[s]), 3) for s in range(k)},
        note,
    )


SHARED_ONLY = "says only what every segment says: no segment fits their answers better"


NOTHING_SAID = "No respondent said anything to segment on."


NO_THEMES = "No answer fits a theme: there is nothing to segment on."


def explain(
    best: Candidate,
    candidates: list[Candidate],
    params: SegmentParams,
    k: int,
    min_size: int,
    placed: Placement,
    n: int,
) -> str:
    """Why this many segments, in a sentence or two."""
    weakest = float(best.stability.min())
    if params.segments:
        text = f"{k} segment{'s' if k != 1 else ''} as configured"
        if k < params.segments:
            why = shortfall(params.segments, best, min_size, placed, n)
            text += f" ({params.segments} asked: {why})"
        return text + f"; the least stable comes back in {weakest:.0%} of {RESAMPLES} resamples."
    tried = ", ".join(f"{c.k}: {float(c.stability.min()):.2f}" for c in candidates)
    if k == 1:
        return (
            "One segment: no number of segments tried gives segments that all hold (weakest "
            f"segment for each number tried: {tried}), so everyone is in one."
        )
    if best.sound(min_size) and weakest >= HOLDS:
        return (
            f"{k} segments: the most whose every segment holds (Jaccard stability at least "
            f"{HOLDS} over {RESAMPLES} resamples) with at least {min_size} respondents each "
            f"(weakest segment for each number tried: {tried})."
        )
    return (
        f"{k} segment{'s' if k != 1 else ''}, though no number tried gives segments that all "
        f"hold (weakest segment for each number tried: {tried}): read them as tendencies."
    )


def shortfall(asked: int, best: Candidate, min_size: int, placed: Placement, n: int) -> str:
    """Why fewer segments than asked came out: the true reason, from where they were lost."""
    if asked * min_size > n:
        return f"{n} respondents with answers fill at most {n // min_size} segments of {min_size}"
    if best.cut_groups < asked:
        return (
            f"the resamples agree on no more than {best.cut_groups} groups of at least "
            f"{min_size} people"
        )
    lost = best.cut_groups - len(best.stability)
    if placed.dissolved or lost:
        sizes = " and ".join(map(str, placed.dissolved))
        held = f"{len(placed.dissolved)} held only {sizes} people" if placed.dissolved else ""
        emptied = f"{lost} lost everyone" if lost else ""
        parts = " and ".join(p for p in (emptied, held) if p)
        return (
            f"of the {best.cut_groups} groups the resamples point to, {parts} once everyone "
            "joined the group they land with most and the unclear cases were set aside, under "
            f"the minimum of {min_size}, so their people joined the others"
        )
    return f"each needs at least {min_size} respondents"


def set_aside_small(result: SegmentResult, min_size: int) -> SegmentResult:
    """Never a segment under `min_size` people (one an edit's merge of segments, or the
    consensus, left that small): its people are set aside, each with the reason."""
    sizes = result.assignment[result.assignment != UNASSIGNED].value_counts()
    few = sizes[sizes < min_size].index
    if len(few):
        small = result.assignment.isin(few)
        why = f"too few people for a segment (under {min_size})"
        result.reasons = pd.concat([result.reasons, pd.Series(why, index=small[small].index)])
        result.assignment = result.assignment.mask(small, UNASSIGNED)
        result.note = f"{result.note} Groups of {why} were set aside.".strip()
    return result


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
