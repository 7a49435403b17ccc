"""Key phrases of themes, offline: the 1–4-word phrases a theme's own texts use ("card not
arrived", "save report filters"), ranked KeyBERT-style by how close their embedding is to the
theme's centre, with maximal marginal relevance so the list is not one phrase five times.

Candidates are word runs inside one clause that neither start nor end with a stop word (a
negation may open a phrase, "no answer", never close it), used by at least two of the theme's
units; the `CANDIDATES` most distinctive of them (class-based TF-IDF) are embedded by the
`Embedder` given (voc's cache and encoder), never from a model hub. A phrase ranks by its
cosine to the theme's centre, plus twice its margin over the nearest other theme's centre (a
name tells its theme apart), less 0.05 per word past the first (a longer phrase must say
more). The theme's name is the first phrase."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from voc.core.geometry import centroids, mmr
from voc.core.text import meaningful
from voc.embed.cache import Embedder
from voc.themes.keywords import FILLER, NEGATORS, normalise

MAX_WORDS = 4
CANDIDATES = 96  # most distinctive candidates per theme that get embedded
PHRASES = 5  # key phrases kept per theme
DIVERSITY = 0.3  # MMR weight against repeating a phrase already chosen
OWN_MARGIN = 2.0  # weight of "closer to its own theme than to any other"
LENGTH_COST = 0.05  # each word past the first must earn its place
# Words that never open or close a name: pronouns and adverbs the stop list lacks.
VAGUE = frozenset({
    "i'm", "it's", "don't", "somebody", "anybody", "everybody", "nobody's", "finally",
    "definitely", "probably", "usually", "always", "literally", "currently", "recently",
})  # fmt: skip
CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”/\n]+")
WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


def boundary_words() -> frozenset[str]:
    """Words a phrase may contain but not start or end with: stop words and filler."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset((ENGLISH_STOP_WORDS | FILLER | VAGUE) - NEGATORS)


def phrases_in(text: str, stop: frozenset[str]) -> set[str]:
    """Every candidate phrase of one text (each once)."""
    found: set[str] = set()
    for part in CLAUSE.split(normalise(meaningful(text)).lower()):
        words = WORD.findall(part)
        for i, first in enumerate(words):
            if first in stop or first.isdigit():
                continue
            for j in range(i, min(i + MAX_WORDS, len(words))):
                last = words[j]
                if last not in stop and last not in NEGATORS and not last.isdigit():
                    found.add(" ".join(words[i : j + 1]))
    return found


def distinctive(
    per_text: list[set[str]], labels: np.ndarray, theme: int, overall: Counter
) -> list[str]:
    """The theme's candidates, most distinctive first: coverage inside the theme times the
    log-lift over the whole corpus (class-based TF-IDF); at least two units must use one."""
    members = np.flatnonzero(labels == theme)
    inside = Counter(p for i in members for p in per_text[i])
    floor = min(2, len(members))
    n = len(labels)
    scored = {
        p: (c / len(members)) * math.log1p((c / len(members)) / (overall[p] / n))
        for p, c in inside.items()
        if c >= floor
    }
    return sorted(scored, key=lambda p: (-scored[p], p))[:CANDIDATES]


def theme_phrases(
    texts: list[str], labels: np.ndarray, vectors: np.ndarray, embedder: Embedder
) -> tuple[dict[int, list[str]], dict[str, np.ndarray]]:
    """Up to `PHRASES` key phrases per theme, best first, and the embedding of every phrase
    kept (group names are chosen among them)."""
    stop = boundary_words()
    per_text = [phrases_in(t, stop) for t in texts]
    overall = Counter(p for found in per_text for p in found)
    ids, centres = centroids(vectors, labels)
    shortlist = {t: distinctive(per_text, labels, t, overall) for t in ids.tolist()}
    unique = sorted({p for ps in shortlist.values() for p in ps})
    embedded = embedder(unique) if unique else np.zeros((0, vectors.shape[1]))
    lookup = dict(zip(unique, embedded, strict=True))
    result: dict[int, list[str]] = {}
    for row, (t, candidates) in enumerate(shortlist.items()):
        if not candidates:
            result[t] = []
            continue
        vecs = np.stack([lookup[p] for p in candidates])
        extra_words = np.array([len(p.split()) - 1 for p in candidates])
        relevance = fit(vecs @ centres.T, row) - LENGTH_COST * extra_words
        chosen = mmr(np.round(relevance, 6), vecs, PHRASES, DIVERSITY)  # noise never reorders
        result[t] = [candidates[i] for i in chosen]
    kept = {p for ps in result.values() for p in ps}
    return result, {p: lookup[p] for p in kept}


def fit(similarity: np.ndarray, own: int) -> np.ndarray:
    """How well each phrase names its own theme (column `own` of its cosine to every theme
    centre): close to that centre, and closer to it than to any other theme's, so "refund not
    showing" beats a bare "refund" that fits two themes equally."""
    others = np.delete(similarity, own, axis=1)
    nearest_other = others.max(axis=1) if others.shape[1] else 0.0
    return similarity[:, own] + OWN_MARGIN * (similarity[:, own] - nearest_other)


def theme_name(phrases: list[str]) -> str:
    """A theme's name: its best phrase, capitalised ("Card not arrived")."""
    if not phrases:
        return ""
    return phrases[0][:1].upper() + phrases[0][1:]
