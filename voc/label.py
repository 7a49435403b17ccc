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
    r"\b(?:i|we)\s+(?:really\s+)?(?:want|need|needed|wanted|would love|'d love|wish(?: i| we)? "
    r"could|would like|'d like|am trying|are trying|have to|had to|just want)\s+(?:to\s+)?"
    r"(?P<want>[^.!?;]{6,90})",
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
    """A readable name: the best phrase, plus a second keyword it does not already contain."""
    if not words:
        return "Miscellaneous feedback"
    first = words[0]
    extra = next((w for w in words[1:] if not set(w.split()) & set(first.split())), "")
    name = f"{first} & {extra}" if extra else first
    return name[:1].upper() + name[1:]


def offline_label(data: dict) -> ThemeLabel:
    """Job statement from what the quotes themselves say they want, need and struggle with."""
    words: list[str] = list(data.get("keywords", []))
    quotes = [q["text"] for q in data.get("quotes", [])]
    wants = [m.group("want") for q in quotes for m in WANT_CUES.finditer(q)]
    sos = [m.group("so") for q in quotes for m in SO_CUES.finditer(q)]
    pains = [s for q in quotes for s in sentences(q) if PAIN_CUES.search(s)]
    topic = " and ".join(words[:2]) if words else "this"
    motivation = tidy(wants[0]) if wants else f"get {topic} sorted without friction"
    outcome = (
        tidy(sos[0])
        if sos
        else (tidy(wants[1]) if len(wants) > 1 else "spend my time on the work that matters")
    )
    situation = f"it comes to {words[0]}" if words else "I use the product"
    return ThemeLabel(
        name=name_from_keywords(words),
        job=f"When {situation}, I want to {motivation}, so I can {outcome}.",
        pains=[tidy(p, 20) for p in dict.fromkeys(pains)][:3],
        outcomes=[tidy(w) for w in dict.fromkeys(wants)][:3],
    )


def theme_request(theme: pd.Series, units: pd.DataFrame) -> dict:
    """The evidence for one theme: keywords, size and its representative quotes with ids."""
    quotes = units.set_index("unit_id").loc[list(theme["quote_ids"]), "text"]
    return {
        "keywords": list(theme["keywords"]),
        "size": int(theme["size"]),
        "quotes": [{"id": uid, "text": text} for uid, text in quotes.items()],
    }
