"""Label themes as jobs to be done: a short name, a job statement, pains and desired outcomes.

The offline labeler names a theme by its best key phrase (`voc.themes.phrases`), and builds
the job only from the customers' own words in its most typical quotes: a request they state or ask
("I want to top up by bank transfer."), else the pain they describe ('I want this fixed: "My
card has not arrived."'); a theme that only praises says what customers value instead. A
ticket's subject and body are separate sentences. With an LLM configured, the model writes
them from the same evidence."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from voc.core.text import meaningful
from voc.llm.schemas import ThemeLabel
from voc.themes.keywords import NEGATORS, shown, stem
from voc.themes.phrases import theme_name

PAIN_CUES = re.compile(
    r"\b(can't|cannot|can not|won't|doesn't|don't|didn't|isn't|hasn't|haven't|"
    r"(?:did|does|do|was|is|has|have) not|still waiting|"
    r"no (?:one|way)|nobody|never|(?:had|have|having) to|slow|manual(ly)?|hard|"
    r"difficult|frustrat\w*|annoy\w*|pain|waste\w*|takes? (forever|ages|hours|days)|broken|"
    r"fail\w*|error\w*|stuck|confus\w*|missing|lack\w*|too (many|much|expensive)|expensive|"
    r"problem\w*|issue\w*|bug\w*|wrong|late|delay\w*|lost|hate)\b",
    re.IGNORECASE,
)
WANT_CUES = re.compile(
    r"\b(?:i|we)(?:'d| would)?\s+(?:really\s+|just\s+|also\s+)?"
    r"(?:want(?:ed)?|need(?:ed)?|like|love|wish(?:ed)?|am trying|are trying)\s+"
    r"(?:(?:we|i) could |to )(?P<want>[^.!?;]{6,90})",
    re.IGNORECASE,
)
NEED_CUES = re.compile(
    r"\b(?:i|we)\s+(?:really\s+|just\s+)?need\s+(?P<want>(?:a|an|the|some|better|more)\s+"
    r"[^.!?;]{4,80})",
    re.IGNORECASE,
)
# Requests phrased without 'I want': "the ability to export", "please let us approve", "a way to";
# not "being able to", which is how people praise what already works, nor "won't let us", a pain.
ASK_CUES = re.compile(
    r"\b(?:(?:ability|option|way) to|(?<!being )able to|please(?: just)?(?: let (?:me|us))?|"
    r"(?<!n't )(?<!not )(?:let (?:me|us)|allow (?:me|us) to)|would be (?:great|nice|good) to)"
    r"\s+(?P<want>[^.!?;]{6,80})",
    re.IGNORECASE,
)
# Requests asked as questions, the way support queries are: "How do I top up by bank transfer?",
# "Can I change my PIN?", "Is it possible to get a second card?" (not "why can I not …", a pain).
QUESTION_CUES = re.compile(
    r"(?:^|[.!?]\s+|\b(?:and|but|so)\s+)(?:please,?\s+)?(?:how (?:do|can|could|would|should) "
    r"(?:i|we)|(?:can|could) (?:i|we)|is it possible to|where (?:do|can) (?:i|we)|"
    r"what do (?:i|we) (?:need|have) to do to)\s+(?!not\b)(?P<want>[^.!?;]{4,80})",
    re.IGNORECASE,
)
# Words of praise: a theme whose quotes only praise says what customers value, not a job.
PRAISE_CUES = re.compile(
    r"\b(great|excellent|brilliant|amazing|lovely|friendly|helpful|kind|caring|professional|"
    r"thank\w*|good|fantastic|wonderful|superb|happy|pleased|easy|efficient|polite|"
    r"recommend\w*|love[ds]?|best|perfect|nice|well done)\b",
    re.IGNORECASE,
)
SO_CUES = re.compile(r"\bso (?:that )?(?:i|we) (?:can|could)\s+(?P<so>[^.!?;]{4,80})", re.I)
# Where a cue's clause ends: a spaced dash or an em dash (not "9–5" or "follow-up"), "and I",
# "but", ", it …", or the reason starting ("so I can").
CLAUSE_END = re.compile(
    r"\s+[-–]+\s+|\s*—\s*|\s+(?:and|but) (?:i|we)\b|\s+but\b|\s+so (?:that )?(?:i|we)\b"
    r"|,\s+(?:i|we|they|it|which|right now)\b",
    re.IGNORECASE,
)
QUOTE_WORDS = (3, 25)  # a quote sentence short enough to stand in for the job


def sentences(text: str) -> list[str]:
    """Split a quote into sentences, dropping fragments too short to read."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip().split()) >= 3]


def tidy(phrase: str, limit: int = 12) -> str:
    """Lower-case first letter, no trailing punctuation, at most `limit` words."""
    words = phrase.strip().strip(".,;:!?\"' ").split()[:limit]
    text = " ".join(words)
    return text[:1].lower() + text[1:] if text else text


def clause(phrase: str, limit: int = 12) -> str:
    """A cue's phrase up to its first clause boundary, so it reads as one clause: 'abandon the
    call after 50 minutes', not '… - no one answered and I'. Too long to show whole, it is cut
    at its last comma rather than mid-clause."""
    words = CLAUSE_END.split(phrase, maxsplit=1)[0].split()
    text = " ".join(words[:limit])
    if len(words) > limit and "," in text:
        text = text.rsplit(",", 1)[0]
    return tidy(text, limit)


def lead_phrases(words: list[str]) -> list[str]:
    """The best showable keyword phrase and the next one that adds a different word, so a
    name or situation never repeats itself or rests on a bare 'not'."""
    words = [w for w in words if shown(w)]
    if not words:
        return []
    first = {stem(w) for w in words[0].split()}
    extra = next((w for w in words[1:] if not first & {stem(x) for x in w.split()}), "")
    return [words[0], extra] if extra else [words[0]]


def name_from_keywords(words: list[str]) -> str:
    """A readable name: the best phrase, plus a second one that adds a different word."""
    name = ", ".join(lead_phrases(words)) or "Miscellaneous feedback"
    return name[:1].upper() + name[1:]


def situation(words: list[str]) -> str:
    """'When it comes to mental health and therapy': the theme's lead phrases, preferring those
    without a negation, which read oddly as a topic ('when it comes to not answer')."""
    plain = [w for w in words if not NEGATORS & set(w.split())]
    phrases = lead_phrases(plain) or lead_phrases(words) or ["this theme"]
    return "When it comes to " + " and ".join(phrases)


def captured(match: re.Match[str], group: str) -> str:
    """A cue's phrase without the half word its length cap may have cut ('…offers, o')."""
    text, end = match.group(group), match.end(group)
    if end < len(match.string) and match.string[end].isalnum():
        return text.rsplit(" ", 1)[0]
    return text


def cue_phrases(quote: str) -> list[str]:
    """Every want, need or ask phrase in one quote, each cut to a single clause."""
    return (
        [clause(captured(m, "want")) for m in WANT_CUES.finditer(quote)]
        + ["get " + clause(captured(m, "want")) for m in NEED_CUES.finditer(quote)]
        + [clause(captured(m, "want"), 16) for m in ASK_CUES.finditer(quote)]
        + [clause(captured(m, "want")) for m in QUESTION_CUES.finditer(quote)]
    )


def motivations(quotes: list[str], words: list[str]) -> list[str]:
    """What the quotes say people want or need to do, as 'to'-phrases, most typical first; only
    those that mention the theme's own keywords, so an aside never becomes the job."""
    found = [phrase for q in quotes for phrase in cue_phrases(q)]
    on_topic = [f for f in found if mentions(f, words)]
    return list(dict.fromkeys(f for f in on_topic if len(f.split()) >= 2))


def mentions(text: str, words: list[str]) -> bool:
    """Whether the text uses one of the theme's top keywords (negators aside, which every
    complaint uses), so an aside is never taken for the theme's job."""
    stems = {stem(w) for k in words[:4] for w in k.split() if w not in NEGATORS}
    return bool(stems & {stem(w) for w in re.findall(r"[\w'’-]+", text.lower())})


def stated_want(quotes: list[str], words: list[str]) -> str:
    """'I want to <motivation>' from the first quote that states one, with ', so I can …' only
    when that same quote gives the reason: nothing is made up."""
    for q in quotes:
        wants = motivations([q], words)
        if wants:
            so = next((clause(captured(m, "so")) for m in SO_CUES.finditer(q)), "")
            return f"I want to {wants[0]}, so I can {so}." if so else f"I want to {wants[0]}."
    return ""


def told_in_quote(quotes: list[str], words: list[str]) -> str:
    """'customers say: "…"' (see `quoted`): when nobody states a want or a pain, their own words
    describe the job better than an invented one."""
    return f"customers say: {quoted(quotes, words)}"


def quoted(quotes: list[str], words: list[str]) -> str:
    """One readable quote sentence in quotation marks, verbatim, preferring one that uses the
    theme's keywords."""
    low, high = QUOTE_WORDS
    said = quote_sentences(quotes)
    readable = [s for s in said if low <= len(s.split()) <= high]
    if readable:
        text = next((s for s in readable if mentions(s, words)), readable[0])
    elif said:  # every sentence is long: cut the first one, visibly
        text = " ".join(said[0].split()[:high]) + "…"
    else:
        return "there is no quote to go by."
    return f'"{text}"' + ("" if text[-1] in ".!?…" else ".")


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


def quote_sentences(quotes: list[str]) -> list[str]:
    """The sentences of the quotes, each whole: a ticket's subject line is a sentence of its
    own, never run into the first sentence of its body."""
    return [s for q in quotes for s in sentences(q)]


def praise_only(quotes: list[str]) -> bool:
    """Whether the quotes praise and nothing else: most of them use a word of praise and none
    states a pain."""
    said = quote_sentences(quotes)
    praising = sum(bool(PRAISE_CUES.search(q)) for q in quotes)
    return bool(said) and 2 * praising > len(quotes) and not any(is_pain(s) for s in said)


def is_pain(sentence: str) -> bool:
    """A sentence that complains and does not praise ("nothing was too much trouble" is
    praise)."""
    return bool(PAIN_CUES.search(sentence)) and not PRAISE_CUES.search(sentence)


def pain_job(pains: list[str]) -> str:
    """'I want this fixed: "…"' with the most typical pain verbatim, or '' when none."""
    if not pains:
        return ""
    pain = pains[0][:1].upper() + pains[0][1:]
    return f'I want this fixed: "{pain}."'


def offline_label(data: dict) -> ThemeLabel:
    """Name from the theme's key phrase (else its distinctive keywords); the job only from what
    its most typical quotes say, in this order: a request a customer states or asks ("I want
    to …"), else the pain they describe ("I want this fixed: …"), else, for a theme that only
    praises, what customers value; the offline labeler never invents a job."""
    words: list[str] = list(data.get("keywords", []))
    phrases: list[str] = list(data.get("phrases", []))
    quotes = [q["text"] for q in data.get("quotes", [])]
    said = quote_sentences(quotes)
    pains = distinct([tidy(s, 24) for s in said if is_pain(s)], 3)
    name = theme_name(phrases) or name_from_keywords(words)
    if praise_only(quotes) and not motivations(quotes, words):
        job = f"Customers value {name[:1].lower() + name[1:]}: {quoted(quotes, words)}"
    else:
        want = stated_want(quotes, words) or pain_job(pains) or told_in_quote(quotes, words)
        job = f"{situation(phrases or words)}, {want}"
    return ThemeLabel(
        name=name,
        job=job,
        pains=pains,
        outcomes=distinct(motivations(quotes, words), 3),
    )


def distinct_names(names: list[str], keywords: list[list[str]]) -> list[str]:
    """Theme names a reader can tell apart: a name several themes share gains each theme's
    first keyword not already in it ("Helpful, friendly (ease)"), then a number if need be."""
    shared = Counter(names)
    out = []
    for name, words in zip(names, keywords, strict=True):
        if shared[name] > 1:
            extra = next((w for w in words if w.lower() not in name.lower()), "")
            name = f"{name} ({extra})" if extra else name
        out.append(name)
    seen: Counter[str] = Counter()
    for i, name in enumerate(out):
        seen[name] += 1
        if seen[name] > 1:
            out[i] = f"{name} {seen[name]}"
    return out


def theme_request(theme: pd.Series, units: pd.DataFrame) -> dict:
    """The evidence for one theme: keywords, size and its representative quotes with ids."""
    quotes = units.set_index("unit_id").loc[list(theme["quote_ids"]), "text"]
    return {
        "keywords": list(theme["keywords"]),
        "phrases": list(theme.get("phrases", [])),
        "size": int(theme["size"]),
        "quotes": [{"id": uid, "text": by_line(text)} for uid, text in quotes.items()],
    }


def by_line(text: str) -> str:
    """The meaningful words of a quote, line by line: a ticket's subject ("Export broken") and
    its body stay on separate lines, so they are read and quoted as separate sentences."""
    return "\n".join(filter(None, (meaningful(line) for line in text.splitlines())))
