"""Keywords of themes: class-based TF-IDF on coverage over the customers' own words, with
negations kept as words and voc's placeholders, masks and filler left out."""

from __future__ import annotations

import re

import numpy as np

from voc.core.tables import NOISE
from voc.core.text import meaningful
from voc.ingest.redact import CARD, EMAIL, IBAN, NAME, PHONE, SECRET

KEYWORDS_PER_THEME = 8


# Words customers use everywhere that say nothing about the job itself.
FILLER = {
    "honestly",
    "really",
    "just",
    "like",
    "need",
    "needs",
    "want",
    "wants",
    "wanted",
    "would",
    "love",
    "get",
    "got",
    "also",
    "still",
    "make",
    "makes",
    "thing",
    "things",
    "lot",
    "bit",
    "pretty",
    "quite",
    "actually",
    "basically",
    "frankly",
    "fair",
    "right",
    "well",
    "able",
    "use",
    "using",
    "used",
    "every",
    "time",
    "us",
    "we",
    "im",
    "ive",
    "did",
    "does",
    "matters",
    "big",
    "one",
    "case",
    "talk",
    "week",
    "quarter",
    "good",
    "great",
    "yes",
    "ok",
}


# Words that turn a phrase around: out of the stop list so "not answer" survives as a bigram,
# but never shown alone, where they say nothing. "nothing" stays a stop word: in answers to
# "what could we improve?" it pairs with everything ("nothing perfect") and carries no topic.
NEGATORS = frozenset({"not", "no", "never", "nobody"})


# "couldn't", "cannot", "dont": split off the negation so it is a word the vectoriser keeps
# (otherwise "couldn't be better" becomes "couldn better").
NEGATED = re.compile(
    r"\b(?:(\w+)n['’]t|(do|does|did|is|are|was|were|has|have|had|could|would|should|ca|wo)nt"
    r"|(can)not)\b",
    re.IGNORECASE,
)


FULL_FORMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


# Text that is not customer voice: voc's own redaction placeholders, masks such as the CFPB's
# XXXX and XX/XX/XXXX, and the tails of "you've", "we'll", "they're".
NOT_VOICE = re.compile(
    "|".join(re.escape(p) for p in (EMAIL, PHONE, CARD, IBAN, SECRET, NAME))
    + r"|\bx{2,}\b|['’](?:ve|ll|re)\b",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """The text as the vectoriser should see it: negations as words, masks and placeholders
    gone, so neither "did answer" nor "xxxx" can become a keyword."""
    text = NOT_VOICE.sub(" ", text)
    return NEGATED.sub(lambda m: f"{full_form(next(g for g in m.groups() if g))} not", text)


def full_form(word: str) -> str:
    """'ca' of "can't" → 'can', 'wo' of "won't" → 'will' ('ai' of "ain't" is not AI)."""
    return FULL_FORMS.get(word.lower(), word)


def stem(word: str) -> str:
    """A crude stem, enough to see 'permission' and 'permissions' as one word."""
    return word[:5]


def shown(term: str) -> bool:
    """Whether a term can be a keyword: not a bare negator ('not') and not one word twice
    ('doing doing', left when stop words between them are removed)."""
    words = term.split()
    if set(words) <= NEGATORS:
        return False
    return len(words) == 1 or stem(words[0]) != stem(words[1])


def keywords(texts: list[str], labels: np.ndarray, top: int = KEYWORDS_PER_THEME) -> dict:
    """Class-based TF-IDF on coverage: a term scores when many of the theme's units use it
    and few units elsewhere do. Phrases used by a single unit are ignored."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    ids = sorted(set(labels.tolist()) - {NOISE})
    if not ids:
        return {}
    vec = CountVectorizer(
        stop_words=sorted((ENGLISH_STOP_WORDS - NEGATORS) | FILLER),
        ngram_range=(1, 2),
        min_df=2,
        binary=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
    )
    try:
        x = vec.fit_transform([normalise(meaningful(t)) for t in texts]).tocsr()
    except ValueError:  # nothing but stop words or one-off words
        return {i: [] for i in ids}
    words = vec.get_feature_names_out()
    visible = np.array([shown(str(w)) for w in words])
    overall = np.asarray(x.mean(axis=0)).ravel()
    result = {}
    for i in ids:
        inside = np.asarray(x[labels == i].mean(axis=0)).ravel()
        score = inside * np.log1p(inside / np.maximum(overall, 1e-9)) * visible
        order = [j for j in np.argsort(-score)[: top * 3] if score[j] > 0]
        result[i] = dedupe_terms([str(words[j]) for j in order])[:top]
    return result


def dedupe_terms(terms: list[str]) -> list[str]:
    """Drop a term already inside a higher-ranked one ('bank' after 'bank feeds', plurals)."""
    kept: list[str] = []
    for term in terms:
        stems = {stem(w) for w in term.split()}  # 'permission' ~ 'permissions'
        if not any(stems <= {stem(w) for w in k.split()} for k in kept):
            kept.append(term)
    return kept
