"""Label themes as jobs to be done: a short name, a job statement, pains and desired outcomes.

The offline labeler builds them from the theme's keywords and its most representative quotes;
with an LLM configured, the model writes them from the same evidence."""

from __future__ import annotations

import re

import pandas as pd

from voc.schemas import ThemeLabel

PAIN_CUES = re.compile(
    r"\b(can't|cannot|can not|won't|doesn't|don't|didn't|isn't|no way|slow|manual(ly)?|hard|"
    r"difficult|frustrat\w*|annoy\w*|pain|waste\w*|takes? (forever|ages|hours|days)|broken|"
    r"fail\w*|error\w*|stuck|confus\w*|missing|lack\w*|too (many|much|expensive)|expensive|"
    r"problem\w*|issue\w*|bug\w*|wrong|late|delay\w*|lost|hate)\b",
    re.IGNORECASE,
)
WANT_CUES = re.compile(
    r"\b(?:i|we)(?:'d| would)?\s+(?:really\s+|just\s+|also\s+)?"
    r"(?:want(?:ed)?|need(?:ed)?|like|love|have|had|wish(?:ed)?|am trying|are trying)\s+"
    r"(?:(?:we|i) could |to )(?P<want>[^.!?;]{6,90})",
    re.IGNORECASE,
)
NEED_CUES = re.compile(
    r"\b(?:i|we)\s+(?:really\s+|just\s+)?need\s+(?P<want>(?:a|an|the|some|better|more)\s+"
    r"[^.!?;]{4,80})",
    re.IGNORECASE,
)
# Requests phrased without 'I want': "the ability to export", "please let us approve", "a way to".
ASK_CUES = re.compile(
    r"\b(?:(?:ability|option|way|able|possible) to|please(?: just)?(?: let (?:me|us))?|"
    r"let (?:me|us)|allow (?:me|us) to|would be (?:great|nice|good) to)\s+(?P<want>[^.!?;]{6,80})",
    re.IGNORECASE,
)
SO_CUES = re.compile(r"\bso (?:that )?(?:i|we) (?:can|could)\s+(?P<so>[^.!?;]{4,80})", re.I)


def sentences(text: str) -> list[str]:
    """Split a quote into sentences, dropping fragments too short to read."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip().split()) >= 3]


def tidy(phrase: str, limit: int = 12) -> str:
    """Lower-case first letter, no trailing punctuation, at most `limit` words."""
    words = phrase.strip().strip(".,;:!?\"' ").split()[:limit]
    text = " ".join(words)
    return text[:1].lower() + text[1:] if text else text


def name_from_keywords(words: list[str]) -> str:
    """A readable name: the best phrase, plus a second one that adds a different word."""
    if not words:
        return "Miscellaneous feedback"
    first = words[0]
    extra = next((w for w in words[1:] if not set(w.split()) & set(first.split())), "")
    name = f"{first}, {extra}" if extra else first
    return name[:1].upper() + name[1:]


def motivations(quotes: list[str], words: list[str]) -> list[str]:
    """What the quotes say people want or need to do, as 'to'-phrases, most typical first; only
    those that mention the theme's own keywords, so an aside never becomes the job."""
    found = []
    for q in quotes:
        for m in WANT_CUES.finditer(q):
            found.append(tidy(m.group("want")))
        for m in NEED_CUES.finditer(q):
            found.append("get " + tidy(m.group("want")))
        for m in ASK_CUES.finditer(q):
            found.append(tidy(m.group("want"), 16))
    stems = {w[:5] for k in words[:4] for w in k.split()}
    on_topic = [f for f in found if stems & {w[:5] for w in f.lower().split()}]
    return list(dict.fromkeys(f for f in on_topic if len(f.split()) >= 2))


def distinct(texts: list[str], limit: int) -> list[str]:
    """Up to `limit` texts, skipping any that shares most of its words with one kept."""
    kept: list[str] = []
    for text in texts:
        words = set(text.lower().split())
        if all(len(words & set(k.lower().split())) < 0.6 * len(words) for k in kept):
            kept.append(text)
        if len(kept) == limit:
            break
    return kept


def offline_label(data: dict) -> ThemeLabel:
    """Name from the theme's distinctive phrases; job statement, pains and outcomes from what
    its most typical quotes say people want, need and struggle with."""
    words: list[str] = list(data.get("keywords", []))
    quotes = [q["text"] for q in data.get("quotes", [])]
    wants = motivations(quotes, words)
    sos = [tidy(m.group("so")) for q in quotes for m in SO_CUES.finditer(q)]
    pains = distinct([tidy(s, 24) for q in quotes for s in sentences(q) if PAIN_CUES.search(s)], 3)
    topic = words[0] if words else "the product"
    motivation = wants[0] if wants else f"get {topic} working without friction"
    outcome = sos[0] if sos else "get on with the rest of my work"
    return ThemeLabel(
        name=name_from_keywords(words),
        job=f"When I deal with {topic}, I want to {motivation}, so I can {outcome}.",
        pains=pains,
        outcomes=distinct(wants, 3),
    )


def theme_request(theme: pd.Series, units: pd.DataFrame) -> dict:
    """The evidence for one theme: keywords, size and its representative quotes with ids."""
    quotes = units.set_index("unit_id").loc[list(theme["quote_ids"]), "text"]
    return {
        "keywords": list(theme["keywords"]),
        "size": int(theme["size"]),
        "quotes": [{"id": uid, "text": text} for uid, text in quotes.items()],
    }
