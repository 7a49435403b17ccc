"""The five segmentation criteria, measured first: identifiable, substantial, accessible,
differentiable, actionable. Each gets a verdict (pass / weak / fail), the figure behind it and
a one-line reason a founder can read."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.core.tables import UNASSIGNED
from voc.segments.facts import attribute_columns
from voc.segments.params import CriteriaParams

NULL_DRAWS = 199  # Gaussian splits the differentiable test compares a segment's split with
RULE_DEPTH = 2  # the identifiable rule: a decision tree this deep, readable as one sentence
IDENTIFIABLE = 0.75  # balanced accuracy at which members are recognisable (pass)
PARTLY = 0.65  # ... by attributes only partly (weak)
REACH_LIFT = 1.2  # an attribute value concentrates a segment at this lift over everyone
REACH_PASS, REACH_WEAK = 0.6, 0.4  # share of members reachable through one value
DISTINCT_P, SEPARATE_P = 0.01, 0.05  # differentiable: pass, weak at these p-values
ACTION_LIFT, ACTION_SHARE = 1.5, 0.15  # a job stands out: this lift, this share of members


@dataclass
class Verdict:
    """One criterion for one segment."""

    verdict: str  # pass | weak | fail
    figure: float
    shown: str  # the figure as a person reads it
    reason: str


def grade(value: float, good: float, fair: float) -> str:
    return "pass" if value >= good else "weak" if value >= fair else "fail"


def rule_score(x: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[float, str]:
    """Cross-validated balanced accuracy of a depth-2 tree predicting membership, and the
    tree's rule for members as text."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    if x.empty or y.sum() < 3 or (~y).sum() < 3:
        return 0.5, ""
    leaf = max(2, int(0.02 * len(y)))
    tree = DecisionTreeClassifier(
        max_depth=RULE_DEPTH, min_samples_leaf=leaf, class_weight="balanced", random_state=seed
    )
    folds = StratifiedKFold(
        n_splits=min(5, int(y.sum()), int((~y).sum())), shuffle=True, random_state=seed
    )
    score = float(cross_val_score(tree, x, y, cv=folds, scoring="balanced_accuracy").mean())
    tree.fit(x, y)
    return score, member_rule(tree, list(x.columns))


def member_rule(tree: object, names: list[str]) -> str:
    """The path to the leaf richest in members, e.g. 'role = Controller and plan ≠ Starter'."""
    t = tree.tree_  # type: ignore[attr-defined]
    best, best_path = -1.0, []
    stack: list[tuple[int, list[str]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if t.children_left[node] == -1:
            value = t.value[node][0]
            purity = value[1] / max(value.sum(), 1e-9)
            if purity > best:
                best, best_path = purity, path
            continue
        name = names[t.feature[node]]
        col, _, val = name.partition("=")
        stack.append((t.children_left[node], [*path, f"{col} ≠ {val}" if val else f"no {col}"]))
        stack.append((t.children_right[node], [*path, f"{col} = {val}" if val else f"{col}"]))
    return " and ".join(best_path)


def one_hot(respondents: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Attribute values as 0/1 columns ("plan=Pro"); no columns when there are no attributes
    (a plain id + text file), which the criteria then judge from themes alone."""
    if not columns:
        return pd.DataFrame(index=respondents.index)
    frame = respondents[columns].astype("string").fillna("unknown").replace("", "unknown")
    return pd.get_dummies(frame, prefix_sep="=", dtype=float)


def theme_score(mentions: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[float, str]:
    """Cross-validated balanced accuracy of predicting membership from the themes a person
    mentions (a screener question could ask about them), and the themes that weigh most.
    A linear model, not a tree: a job is often spread over several themes."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    if mentions.empty or y.sum() < 3 or (~y).sum() < 3:
        return 0.5, ""
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    folds = StratifiedKFold(
        n_splits=min(5, int(y.sum()), int((~y).sum())), shuffle=True, random_state=seed
    )
    score = float(cross_val_score(model, mentions, y, cv=folds, scoring="balanced_accuracy").mean())
    weights = pd.Series(model.fit(mentions, y).coef_[0], index=mentions.columns)
    top = [str(t).replace("theme ", "#") for t in weights.nlargest(3).index]
    return score, "mentions " + ", ".join(top)


def identifiable(attrs: pd.DataFrame, mentions: pd.DataFrame, y: np.ndarray, seed: int) -> Verdict:
    """Observable attributes first; if they fail, what people talk about (a screener question)."""
    score, rule = rule_score(attrs, y, seed)
    if score >= IDENTIFIABLE:
        return Verdict(
            "pass",
            score,
            f"{score:.2f} balanced accuracy",
            f"Recognisable from attributes: {rule}.",
        )
    t_score, t_rule = theme_score(mentions, y, seed)
    # With no attributes (a plain id + text file) only the themes were measured: say only that.
    shown = f"{score:.2f} from attributes, " if attrs.shape[1] else ""
    shown += f"{t_score:.2f} from themes"
    if t_score >= IDENTIFIABLE or score >= PARTLY:
        how = (
            f"attributes only partly ({rule})"
            if score >= PARTLY
            else f"only by what they talk about ({t_rule})"
        )
        return Verdict("weak", max(score, t_score), shown, f"Recognisable {how}.")
    return Verdict(
        "fail",
        max(score, t_score),
        shown,
        "Neither attributes nor the themes people mention recognise members reliably "
        f"(balanced accuracy under {IDENTIFIABLE}).",
    )


def substantial(share: float, size: int, revenue_share: float, params: CriteriaParams) -> Verdict:
    """Share of respondents (and of revenue) against the configured threshold."""
    limit = params.substantial_share
    shown = f"{share:.0%} of respondents" + (
        "" if np.isnan(revenue_share) else f", {revenue_share:.0%} of revenue"
    )
    if share >= limit and size >= params.min_segment_respondents:
        return Verdict("pass", share, shown, f"At least {limit:.0%} of respondents.")
    if share >= limit:
        return Verdict("weak", share, shown, f"Only {size} people: too few to trust.")
    if not np.isnan(revenue_share) and revenue_share >= limit:
        return Verdict(
            "weak", share, shown, f"Under {limit:.0%} of people but {revenue_share:.0%} of revenue."
        )
    return Verdict("fail", share, shown, f"Under the {limit:.0%} threshold.")


# Columns that record what people answered or how analysts coded it (sentiment, a rating, a
# complaint reason): true of a segment, but nothing a team can target people by.
OUTCOME_COLUMN = re.compile(
    r"sentiment|score|rating|nps|recommend|satisf|confidence|gold|answer|reason|label", re.I
)


def reach_columns(attributes: dict, reach: list[str]) -> list[str]:
    """The attributes accessible looks at: those named in the config, else every categorical
    attribute that is not an answer or a coding of one."""
    return reach or [a for a in attributes if not OUTCOME_COLUMN.search(a)]


def accessible(attributes: dict, reach: list[str]) -> Verdict:
    """How much of the segment one attribute value covers that a team can target people by
    (see `reach_columns`)."""
    best = None
    columns = reach_columns(attributes, reach)
    for name in columns:
        for v in attributes.get(name) or []:
            if v["lift"] >= REACH_LIFT and (best is None or v["share"] > best[1]["share"]):
                best = (name, v)
    if best is None:
        where = ", ".join(columns) or "any attribute (none were given)"
        return Verdict(
            "fail",
            0.0,
            "no concentration",
            f"Members do not concentrate on any value of {where}.",
        )
    name, v = best
    shown = f"{v['share']:.0%} {name} = {v['value']}"
    verdict = grade(v["share"], REACH_PASS, REACH_WEAK)
    return Verdict(
        verdict,
        v["share"],
        shown,
        f"{v['share']:.0%} share {name} '{v['value']}' ({v['lift']:.1f}× the base rate).",
    )


def cluster_index(x: np.ndarray, labels: np.ndarray) -> float:
    """Within-cluster over total sum of squares: low when the two groups are well apart."""
    total = ((x - x.mean(axis=0)) ** 2).sum()
    within = sum(
        ((x[labels == g] - x[labels == g].mean(axis=0)) ** 2).sum() for g in np.unique(labels)
    )
    return float(within / total) if total > 0 else 1.0


def separation_p(x: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """SigClust-style Monte Carlo test: is this two-group split tighter than a split of the same
    sizes along the main axis of one Gaussian population with the same covariance? A plain
    label permutation would call any clustering significant, because clustering chose the
    labels; keeping the sizes keeps a small segment from being judged against an even split."""
    from sklearn.decomposition import PCA

    dims = min(5, x.shape[1], len(x) - 1)
    # ARPACK finds the few leading components directly: a full SVD of every pair's
    # respondents × features matrix took most of the criteria stage.
    solver = "arpack" if dims < min(x.shape) else "full"
    z = PCA(n_components=dims, svd_solver=solver, random_state=seed).fit_transform(x)
    observed = cluster_index(z, labels)
    rng = np.random.default_rng(seed)
    cov = np.cov(z, rowvar=False) + 1e-9 * np.eye(dims)
    small = min(int(labels.sum()), len(labels) - int(labels.sum()))
    hits = 0
    for _ in range(NULL_DRAWS):
        sim = rng.multivariate_normal(np.zeros(dims), cov, size=len(z))
        axis = np.argsort(sim[:, 0])  # PCA output: axis 0 carries the most variance
        low, high = np.zeros(len(z), int), np.zeros(len(z), int)
        low[axis[:small]], high[axis[-small:]] = 1, 1
        hits += min(cluster_index(sim, low), cluster_index(sim, high)) <= observed
    return (hits + 1) / (NULL_DRAWS + 1)


def differentiable(
    x: np.ndarray,
    seg: np.ndarray,
    s: int,
    mentions: pd.DataFrame,
    names: dict[int, str],
    seed: int,
    tested: dict[tuple[int, int], float],
) -> tuple[Verdict, int | None]:
    """Against every other segment: the least separated pair decides; also which themes
    differ most between them."""
    worst_p, worst = 0.0, None
    for other in sorted(set(seg.tolist()) - {s}):
        pair = (seg == s) | (seg == other)
        if pair.sum() < 6:
            continue
        key = (min(s, other), max(s, other))
        if key not in tested:
            tested[key] = separation_p(x[pair], (seg[pair] == s).astype(int), seed)
        p = tested[key]
        if worst is None or p > worst_p:
            worst_p, worst = p, other
    if worst is None:
        return Verdict("weak", 1.0, "n/a", "Too few respondents to test."), None
    gap = (mentions[seg == s].mean() - mentions[seg == worst].mean()).abs().sort_values()
    differ = ", ".join(names.get(int(t), f"#{t}") for t in gap.index[::-1][:2])
    verdict = "pass" if worst_p <= DISTINCT_P else "weak" if worst_p <= SEPARATE_P else "fail"
    reason = (
        f"Distinct even from its closest segment ({worst}); differs most on {differ}."
        if verdict != "fail"
        else f"Not separable from segment {worst} beyond chance (closest themes: {differ})."
    )
    return Verdict(verdict, worst_p, f"p = {worst_p:.3f} vs segment {worst}", reason), worst


def actionable(themes: list[dict], labels: pd.DataFrame) -> Verdict:
    """Jobs over-represented in the segment (lift ≥ `ACTION_LIFT`, mentioned by at least
    `ACTION_SHARE` of members) that come with stated pains or outcomes a team can build for."""
    by_id = labels.set_index("theme_id")
    jobs = [
        t
        for t in themes
        if t["lift"] >= ACTION_LIFT
        and t["mention_share"] >= ACTION_SHARE
        and t["theme_id"] in by_id.index
        and (len(by_id.loc[t["theme_id"], "pains"]) or len(by_id.loc[t["theme_id"], "outcomes"]))
    ]
    shown = f"{len(jobs)} over-represented job{'s' if len(jobs) != 1 else ''}"
    if not jobs:
        return Verdict("fail", 0.0, shown, "No job stands out in this segment to build for.")
    top = by_id.loc[jobs[0]["theme_id"], "label"]
    return Verdict(
        "pass" if len(jobs) >= 2 else "weak",
        float(len(jobs)),
        shown,
        f"Build for '{top}' first ({jobs[0]['lift']:.1f}× more common here).",
    )


def recommend(row: dict, closest: int | None) -> str:
    """What to do with a segment that fails substantial or differentiable."""
    if row["differentiable"] == "fail" and closest is not None:
        return f"Merge with segment {closest}: the two are not distinct."
    if row["substantial"] == "fail":
        return "Too small to target alone: collect more data, or fold it into a related segment."
    return ""


def evaluate(
    segments: pd.DataFrame,
    respondents: pd.DataFrame,
    matrix: pd.DataFrame,
    x: np.ndarray,
    assignment: pd.Series,
    themes: pd.DataFrame,
    params: CriteriaParams,
) -> pd.DataFrame:
    """Five verdicts per segment as columns `<criterion>`, `<criterion>_figure`,
    `<criterion>_shown`, `<criterion>_reason`, plus `recommendation`."""
    if segments.empty:
        return pd.DataFrame(columns=["segment_id"])
    people = respondents.set_index("respondent_id").loc[matrix.index]
    seg = assignment.reindex(matrix.index).to_numpy()
    keep = seg != UNASSIGNED
    attrs = one_hot(
        people.reset_index(),
        [c for c in attribute_columns(respondents) if c not in ("segment_id",)],
    )
    attrs.index = matrix.index
    mentions = (matrix > 0).astype(float)
    mentions.columns = [f"theme {c}" for c in mentions.columns]
    names = dict(zip(themes["theme_id"], themes["label"], strict=True))
    rows, tested = [], {}
    for _, s in segments.iterrows():
        sid = int(s["segment_id"])
        y = seg == sid
        verdicts = {
            "identifiable": identifiable(attrs[keep], mentions[keep], y[keep], params.seed),
            "substantial": substantial(s["share"], int(s["size"]), s["revenue_share"], params),
            "accessible": accessible(s["attributes"], params.reach_attributes),
        }
        verdicts["differentiable"], closest = differentiable(
            x[keep], seg[keep], sid, (matrix[keep] > 0).astype(float), names, params.seed, tested
        )
        verdicts["actionable"] = actionable(s["themes"], themes)
        row: dict[str, object] = {"segment_id": sid}
        for name, v in verdicts.items():
            row.update(
                {
                    name: v.verdict,
                    f"{name}_figure": v.figure,
                    f"{name}_shown": v.shown,
                    f"{name}_reason": v.reason,
                }
            )
        row["recommendation"] = recommend(row, closest)
        rows.append(row)
    return pd.DataFrame(rows)
